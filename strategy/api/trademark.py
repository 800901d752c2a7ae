"""The API of the collective trademark projects and their registers of licensed members."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from escp_portal.api.serializers import PolicySerializer, VisibleField
from escp_portal.api.viewsets import PolicyViewSet
from partnerships.models import Member, Partner, Partnership

from ..filters import TrademarkFilterSet, TrademarkLicenceFilterSet
from ..models import Trademark, TrademarkLicence
from ..rules import member_named
from ..services import trademark as services


@extend_schema_field(OpenApiTypes.INT)
class PartnerId(VisibleField):
    """A partner's id, for a field that is not the model's own (the steps' responsible)."""


class TrademarkSerializer(PolicySerializer):
    partnership = VisibleField(Partnership)
    responsible = PartnerId(Partner, many=True, required=False, write_only=True)
    create_only = ("partnership",)

    class Meta:
        model = Trademark
        fields = [
            "id",
            "partnership",
            *services.TRADEMARK_FIELDS,
            "objective",
            "responsible",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["objective", "created_at", "updated_at"]
        validators = []


class TrademarkViewSet(PolicyViewSet):
    """Collective trademark projects. Creating one starts it: an objective on the live roadmap
    with the steps of registering the mark as tasks (``responsible``: the partners for them)."""

    queryset = Trademark.objects.all()
    serializer_class = TrademarkSerializer
    filterset_class = TrademarkFilterSet
    login_required = True

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        responsible = data.pop("responsible", [])
        serializer.instance = services.trademark_start(
            actor=self.request.user, responsible=responsible, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("responsible", None)
        services.trademark_update(actor=self.request.user, trademark=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.trademark_delete(actor=self.request.user, trademark=instance)


class TrademarkLicenceSerializer(PolicySerializer):
    trademark = VisibleField(Trademark)
    member = VisibleField(Member)
    member_name = serializers.SerializerMethodField()
    create_only = ("trademark", "member")

    class Meta:
        model = TrademarkLicence
        fields = [
            "id",
            "trademark",
            "member",
            "member_name",
            *services.LICENCE_FIELDS,
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators = []

    def _named(self, obj) -> bool:
        named = getattr(obj, "named", None)
        if named is None:
            request = self.context.get("request")
            user = request.user if request else None
            named = Member.objects.visible_to(user).filter(pk=obj.member_id).exists()
        return named

    @extend_schema_field(OpenApiTypes.STR)
    def get_member_name(self, obj):
        return obj.member.name if self._named(obj) else None

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if not self._named(obj):
            data["member"] = None  # a member company holds a licence; which one is not theirs
        return data


class TrademarkLicenceViewSet(PolicyViewSet):
    """The register of members licensed to use a partnership's mark. A member is named (id and
    name) only to those who may see it; others read that a member company holds a licence."""

    queryset = TrademarkLicence.objects.select_related("trademark", "member")
    serializer_class = TrademarkLicenceSerializer
    filterset_class = TrademarkLicenceFilterSet
    login_required = True

    def get_queryset(self):
        return super().get_queryset().annotate(named=member_named(self.request.user))

    def perform_create(self, serializer):
        serializer.instance = services.licence_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("trademark", None)
        data.pop("member", None)
        services.licence_update(actor=self.request.user, licence=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.licence_delete(actor=self.request.user, licence=instance)
