"""The API of the value chains (read only)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from escp_portal.api.viewsets import ReadOnlyPolicyViewSet

from ..filters import ValueChainFilterSet
from ..models import ValueChain


class StageAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    partner = serializers.IntegerField(source="partner_id", allow_null=True)
    member = serializers.IntegerField(source="member_id", allow_null=True)
    contribution = serializers.CharField()


class StageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    depends_on = serializers.SerializerMethodField()
    assignments = StageAssignmentSerializer(many=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_depends_on(self, obj):
        return [s.pk for s in obj.depends_on.all()]


class ValueChainSerializer(serializers.ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)
    gaps = serializers.SerializerMethodField()

    class Meta:
        model = ValueChain
        fields = ["id", "partnership", "name", "description", "stages", "gaps"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_gaps(self, obj):
        return [s.pk for s in obj.stages.all() if not s.assignments.all()]


class ValueChainViewSet(ReadOnlyPolicyViewSet):
    """Value chains with their stages, who covers each, and the stages nobody covers."""

    queryset = ValueChain.objects.prefetch_related("stages__assignments", "stages__depends_on")
    serializer_class = ValueChainSerializer
    filterset_class = ValueChainFilterSet
    login_required = True
