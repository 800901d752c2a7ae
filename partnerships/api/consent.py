"""The API of consent: ``invitations/partners/`` (a coordinator invites a cluster; one of its
managers accepts or declines; the coordinator withdraws) and ``partners/{id}/end-sharing/``."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from escp_portal.api.serializers import ModelSerializer, VisibleField
from escp_portal.api.viewsets import IdempotentCreateMixin, VersionedMixin

from .. import selectors
from ..models import ClusterOrganisation, PartnerInvitation, Partnership
from ..services import consent
from .serializers import PartnerSerializer


class PartnerInvitationSerializer(ModelSerializer):
    partnership = VisibleField(Partnership)
    cluster = serializers.PrimaryKeyRelatedField(queryset=ClusterOrganisation.objects.all())
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    partnership_acronym = serializers.CharField(source="partnership.acronym", read_only=True)
    invited_by = serializers.EmailField(source="invited_by.email", read_only=True, default=None)
    answered_by = serializers.EmailField(source="answered_by.email", read_only=True, default=None)

    class Meta:
        model = PartnerInvitation
        fields = [
            "id",
            "partnership",
            "partnership_acronym",
            "cluster",
            "cluster_name",
            "role",
            "message",
            "state",
            "invited_by",
            "created_at",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = ["state", "created_at", "answered_at"]
        validators = []


class PartnerInvitationViewSet(
    IdempotentCreateMixin,
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations of clusters to partnerships. The partnership sees a cluster's members only
    after one of the cluster's managers accepts (`accept/`); `decline/` refuses, `revoke/`
    withdraws an invitation (its partnership's coordinators)."""

    queryset = PartnerInvitation.objects.all()
    serializer_class = PartnerInvitationSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["state"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.partner_invitations(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = consent.partner_invite(
            actor=self.request.user, **serializer.validated_data
        )

    def _answer(self, service):
        invitation = service(actor=self.request.user, invitation=self.get_object())
        if not isinstance(invitation, PartnerInvitation):  # accept answers the partner
            invitation = self.get_queryset().get(pk=self.kwargs["pk"])
        return Response(self.get_serializer(invitation).data)

    @extend_schema(request=None, responses={200: PartnerInvitationSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """One of the cluster's managers accepts: the cluster becomes a partner."""
        return self._answer(consent.partner_invitation_accept)

    @extend_schema(request=None, responses={200: PartnerInvitationSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """One of the cluster's managers declines: the partnership never sees its members."""
        return self._answer(consent.partner_invitation_decline)

    @extend_schema(request=None, responses={200: PartnerInvitationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """The partnership's coordinators withdraw an invitation not yet answered."""
        return self._answer(consent.partner_invitation_revoke)


class EndSharingMixin:
    """``partners/{id}/end-sharing/``: one of the cluster's managers ends its sharing."""

    @extend_schema(request=None, responses={200: PartnerSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="end-sharing",
        permission_classes=[IsAuthenticated],
    )
    def end_sharing(self, request, pk=None):
        partner = consent.partner_sharing_end(actor=request.user, partner=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=partner.pk)).data)
