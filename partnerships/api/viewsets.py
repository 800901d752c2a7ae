"""The API's viewsets: reads through the selectors, writes through the services, as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from escp_portal.api.viewsets import (
    IDEMPOTENCY_KEY,
    PolicyViewSet,
    ReadOnlyPolicyViewSet,
    run_once,
)

from .. import exports, selectors
from ..filters import (
    ClusterFilterSet,
    MemberFilterSet,
    PartnerFilterSet,
    PartnershipFilterSet,
    ProgrammeFilterSet,
)
from ..models import ClusterOrganisation, Member, Partner, Partnership, Programme
from ..rules import member_clusters_shown
from ..services import member_import, members
from ..services import partnerships as services
from .consent import EndSharingMixin
from .examples import MEMBER_BULK_EXAMPLES
from .serializers import (
    ClusterSerializer,
    MemberBulkResultSerializer,
    MemberBulkSerializer,
    MemberPersonalDataSerializer,
    MemberSerializer,
    PartnerSerializer,
    PartnershipSerializer,
    ProgrammeSerializer,
)


class PartnershipViewSet(PolicyViewSet):
    """Partnerships: the public directory, and their coordinators' edits."""

    queryset = Partnership.objects.all()
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilterSet

    def get_queryset(self):
        return selectors.partnerships(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.partnership_create(
            actor=self.request.user, sectors=data.pop("sectors", None), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.partnership_update(
            actor=self.request.user,
            partnership=serializer.instance,
            sectors=data.pop("sectors", None),
            **data,
        )

    def perform_destroy(self, instance):
        services.partnership_delete(actor=self.request.user, partnership=instance)


class ClusterViewSet(PolicyViewSet):
    """Cluster organisations: public profiles, edited by their cluster managers."""

    queryset = ClusterOrganisation.objects.all()
    serializer_class = ClusterSerializer
    filterset_class = ClusterFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.clusters(self.request.user).prefetch_related("sectors")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        cluster = services.cluster_create(
            actor=self.request.user, sectors=data.pop("sectors", None), **data
        )
        serializer.instance = self.get_queryset().get(pk=cluster.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        cluster = services.cluster_update(
            actor=self.request.user,
            cluster=serializer.instance,
            sectors=data.pop("sectors", None),
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=cluster.pk)


class PartnerViewSet(EndSharingMixin, PolicyViewSet):
    """Partners: which cluster takes part in which partnership, in what role."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet

    def get_queryset(self):
        return selectors.partners(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.partner_add(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.partner_update(
            actor=self.request.user, partner=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.partner_remove(actor=self.request.user, partner=instance)


class ProgrammeViewSet(ReadOnlyPolicyViewSet):
    """Programmes (calls) under which partnerships are funded."""

    queryset = Programme.objects.all()
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet

    def get_queryset(self):
        return selectors.programmes(self.request.user)


class MemberViewSet(PolicyViewSet):
    """Members of clusters (SMEs and others). Contact persons only for those allowed."""

    queryset = Member.objects.all()
    serializer_class = MemberSerializer
    login_required = True
    filterset_class = MemberFilterSet

    def get_queryset(self):
        return selectors.members(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        # Not for the schema's generator: it serializes nothing (and asks for a context often).
        if user.is_authenticated and not getattr(self, "swagger_fake_view", False):
            context["member_clusters"] = member_clusters_shown(user)
        return context

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        cluster = data.pop("cluster")
        member = members.member_create(
            actor=self.request.user,
            cluster=cluster,
            competences=data.pop("competences", []),
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=member.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("cluster", None)
        members.member_update(
            actor=self.request.user,
            member=serializer.instance,
            competences=data.pop("competences", None),
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        members.member_delete(actor=self.request.user, member=instance)

    @extend_schema(
        request=MemberBulkSerializer,
        responses={200: MemberBulkResultSerializer},
        parameters=[IDEMPOTENCY_KEY],
        summary="Create or update many members of a cluster at once",
        examples=MEMBER_BULK_EXAMPLES,
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Create or update many members of one cluster at once: every row or none.

        Rows use the columns of the import template. A row with an `id`, or with the name and
        country of a member of the cluster, updates that member; others are created. Errors
        come back per row (`index` in `rows`) and nothing is written.
        """
        body = MemberBulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)

        def write():
            result = member_import.bulk_upsert(
                actor=request.user,
                cluster=body.validated_data["cluster"],
                rows=body.validated_data["rows"],
                dry_run=body.validated_data["dry_run"],
            )
            return Response(result)

        return run_once(request, write)

    @extend_schema(responses={200: MemberPersonalDataSerializer})
    @action(detail=True, methods=["get"], url_path="personal-data")
    def personal_data(self, request, pk=None):
        """Everything held on the member, for a data-access request (its cluster managers)."""
        member = self.get_object()
        return Response(exports.member_personal_data(actor=request.user, member=member))

    @extend_schema(request=None, responses={200: MemberSerializer})
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """Erase the member's identifying and personal data; its counts stay in statistics."""
        member = members.member_erase(actor=request.user, member=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=member.pk)).data)
