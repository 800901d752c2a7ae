"""The API of the value chains (read only)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from escp_portal.api.serializers import ModelSerializer
from escp_portal.api.viewsets import ReadOnlyPolicyViewSet

from ..filters import ValueChainFilterSet
from ..models import ValueChain


class StageAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    partner = serializers.IntegerField(source="partner_id", allow_null=True)
    member = serializers.SerializerMethodField(
        help_text="The member company placed on the stage, for those who may see it (its "
        "cluster's managers, the coordinators); null for others, who see only that one is there."
    )
    member_placed = serializers.SerializerMethodField()
    contribution = serializers.CharField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_member(self, obj):
        return obj.member_id if getattr(obj, "member_named", False) else None

    @extend_schema_field(serializers.BooleanField())
    def get_member_placed(self, obj):
        return obj.member_id is not None


class StageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    depends_on = serializers.SerializerMethodField()
    assignments = StageAssignmentSerializer(many=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_depends_on(self, obj):
        return [s.pk for s in obj.depends_on.all()]


class ValueChainSerializer(ModelSerializer):
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

    def get_queryset(self):
        """Placed members are named by ``rules.member_named``, as on the value chain page; the
        check rides along in the placements' own query."""
        from ..models import StageAssignment
        from ..rules import member_named

        placements = StageAssignment.objects.annotate(member_named=member_named(self.request.user))
        return (
            super()
            .get_queryset()
            .prefetch_related(None)
            .prefetch_related(
                Prefetch("stages__assignments", queryset=placements), "stages__depends_on"
            )
        )
