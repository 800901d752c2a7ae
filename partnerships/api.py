from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from escp_portal.accounts.policy import visible_to
from escp_portal.api.serializers import PolicySerializer, VisibleField
from escp_portal.api.viewsets import PolicyViewSet, ReadOnlyPolicyViewSet
from partnerships.rules import can_manage_members, member_cluster_ids, with_contact_visibility

from . import member_io, members, nace, services
from .filters import (
    ClusterFilterSet,
    MemberFilterSet,
    PartnerFilterSet,
    PartnershipFilterSet,
    ProgrammeFilterSet,
)
from .models import ClusterOrganisation, Member, Partner, Partnership, Programme, Sector


class ProgrammeSerializer(serializers.ModelSerializer):
    partnership_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "code", "name", "description", "partnership_count"]


class PartnerInlineSerializer(serializers.ModelSerializer):
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    country = CountryField(source="cluster.country", read_only=True)

    class Meta:
        model = Partner
        fields = ["id", "cluster", "cluster_name", "country", "role", "joined_on", "left_on"]


class PartnershipSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", queryset=Programme.objects.all())
    sectors = serializers.SlugRelatedField(
        slug_field="slug", queryset=Sector.objects.all(), many=True, required=False
    )
    partners = PartnerInlineSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:partnership-detail")

    class Meta:
        model = Partnership
        fields = [
            "id",
            "url",
            "acronym",
            "name",
            "programme",
            "generation",
            "phase",
            "status",
            "start_date",
            "end_date",
            "eu_funding",
            "sme_count",
            "sectors",
            "objectives",
            "website",
            "partners",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        # Uniqueness and date order are checked by the service, on the whole row.
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        self.locked_fields = []
        if self.instance is not None and request and not request.user.is_staff:
            for name in services.PARTNERSHIP_STAFF_FIELDS:
                if name not in services.PARTNERSHIP_COORDINATOR_FIELDS and name in fields:
                    fields[name].read_only = True
                    self.locked_fields.append(name)
        return fields

    def validate(self, attrs):
        # A change to a field only the programme may set is refused, not silently dropped;
        # sending back the value it already has (a GET body, PUT) is fine.
        current = self.to_representation(self.instance) if self.instance is not None else {}
        refused = {
            name: [_("Only the programme's administrators can change this field.")]
            for name in getattr(self, "locked_fields", [])
            if name in self.initial_data and str(self.initial_data[name]) != str(current.get(name))
        }
        if refused:
            raise serializers.ValidationError(refused)
        return attrs


class PartnershipViewSet(PolicyViewSet):
    """Partnerships: the public directory, and their coordinators' edits."""

    queryset = Partnership.objects.select_related("programme").prefetch_related(
        "sectors",
        Prefetch("partners", queryset=Partner.objects.select_related("cluster")),
    )
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilterSet

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


class ClusterSerializer(serializers.ModelSerializer):
    country = CountryField()
    sectors = serializers.SlugRelatedField(
        slug_field="slug", queryset=Sector.objects.all(), many=True, required=False
    )
    partnership_count = serializers.SerializerMethodField()

    class Meta:
        model = ClusterOrganisation
        fields = [
            "id",
            "name",
            "acronym",
            "country",
            "nuts_region",
            "city",
            "website",
            "sectors",
            "declared_member_count",
            "description",
            "partnership_count",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators = []

    @extend_schema_field(serializers.IntegerField())
    def get_partnership_count(self, obj):
        return getattr(obj, "partnership_count", None)


class ClusterViewSet(PolicyViewSet):
    """Cluster organisations: public profiles, edited by their cluster managers."""

    queryset = ClusterOrganisation.objects.prefetch_related("sectors")
    serializer_class = ClusterSerializer
    filterset_class = ClusterFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        visible = visible_to(Partner.objects.all(), self.request.user)
        return (
            super()
            .get_queryset()
            .annotate(
                partnership_count=Count(
                    "partnerships_joined", filter=Q(partnerships_joined__in=visible), distinct=True
                )
            )
            .order_by("name", "pk")
        )

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


class PartnerSerializer(PolicySerializer):
    # A partnership the user cannot see is, to them, an invalid id.
    partnership = VisibleField(Partnership)
    cluster = serializers.PrimaryKeyRelatedField(queryset=ClusterOrganisation.objects.all())
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    country = CountryField(source="cluster.country", read_only=True)
    create_only = ("partnership", "cluster")

    class Meta:
        model = Partner
        fields = [
            "id",
            "partnership",
            "cluster",
            "cluster_name",
            "country",
            "role",
            "joined_on",
            "left_on",
        ]
        validators = []


class PartnerViewSet(PolicyViewSet):
    """Partners: which cluster takes part in which partnership, in what role."""

    queryset = Partner.objects.select_related("cluster", "partnership")
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet

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
        visible = visible_to(Partnership.objects.all(), self.request.user)
        return (
            super()
            .get_queryset()
            .annotate(partnership_count=Count("partnerships", filter=Q(partnerships__in=visible)))
            .order_by("code")
        )


# --- members --------------------------------------------------------------------------------------


class CompetenceNamesField(serializers.ListField):
    child = serializers.CharField(max_length=80)

    def to_representation(self, data):
        return [c.name for c in data.all()]


class CountryCodesField(serializers.ListField):
    child = CountryField()

    def to_representation(self, data):
        return [c.code for c in data]


class MemberSerializer(serializers.ModelSerializer):
    country = CountryField()
    export_markets = CountryCodesField(required=False, help_text="ISO country codes.")
    competences = CompetenceNamesField(required=False)
    clusters = serializers.SerializerMethodField()
    cluster = serializers.PrimaryKeyRelatedField(
        queryset=ClusterOrganisation.objects.all(),
        write_only=True,
        required=False,
        help_text="On create: the cluster the new member joins (one you manage).",
    )
    nace_title = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "kind",
            "country",
            "nuts_region",
            "city",
            "nace_code",
            "nace_title",
            "employees",
            "annual_turnover",
            "balance_sheet_total",
            "founded_year",
            "competences",
            "export_markets",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "is_sme",
            "size_class",
            "clusters",
            "cluster",
            "erased_at",
            "updated_at",
        ]
        read_only_fields = ["is_sme", "size_class", "erased_at", "updated_at"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_clusters(self, obj):
        # Only clusters whose members the reader may see.
        allowed = self.context.get("member_clusters")
        return [
            m.cluster_id
            for m in obj.memberships.all()
            if allowed is None or m.cluster_id in allowed
        ]

    @extend_schema_field(serializers.CharField())
    def get_nace_title(self, obj):
        return nace.title(obj.nace_code)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "contacts_visible", False):
            for name in member_io.CONTACT_FIELDS:
                data[name] = None
        return data

    def validate(self, attrs):
        if self.instance is None and "cluster" not in attrs:
            raise serializers.ValidationError({"cluster": [_("Name the cluster to add to.")]})
        return attrs


class MemberBulkSerializer(serializers.Serializer):
    cluster = serializers.PrimaryKeyRelatedField(queryset=ClusterOrganisation.objects.all())
    rows = serializers.ListField(
        child=serializers.DictField(),
        max_length=5000,
        allow_empty=False,
        help_text="Rows with the columns of the import template; `id` matches a member.",
    )
    dry_run = serializers.BooleanField(default=False)


class MemberViewSet(PolicyViewSet):
    """Members of clusters (SMEs and others). Contact persons only for those allowed."""

    queryset = Member.objects.prefetch_related("competences", "memberships")
    serializer_class = MemberSerializer
    login_required = True
    filterset_class = MemberFilterSet

    def get_queryset(self):
        return with_contact_visibility(super().get_queryset(), self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        # Not for the schema's generator: it serializes nothing (and asks for a context often).
        if (
            user.is_authenticated
            and not user.is_staff
            and not getattr(self, "swagger_fake_view", False)
        ):
            context["member_clusters"] = set(member_cluster_ids(user))
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
        clusters = [
            m.cluster
            for m in instance.memberships.select_related("cluster")
            if can_manage_members(self.request.user, m.cluster)
        ]
        if not clusters:
            raise PermissionDenied
        for cluster in clusters:
            members.member_remove(actor=self.request.user, member=instance, cluster=cluster)

    @extend_schema(request=MemberBulkSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Create or update many members of one cluster at once: every row or none.

        Rows use the columns of the import template. A row with an `id`, or with the name and
        country of a member of the cluster, updates that member; others are created. Errors
        come back per row (`index` in `rows`) and nothing is written.
        """
        body = MemberBulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cluster = body.validated_data["cluster"]
        if not can_manage_members(request.user, cluster):
            raise PermissionDenied
        result = members.bulk_upsert(
            actor=request.user,
            cluster=cluster,
            rows=body.validated_data["rows"],
            dry_run=body.validated_data["dry_run"],
        )
        return Response(result)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], url_path="personal-data")
    def personal_data(self, request, pk=None):
        """Everything held on the member, for a data-access request (its cluster managers)."""
        return Response(members.member_personal_data(actor=request.user, member=self.get_object()))

    @extend_schema(request=None, responses={200: MemberSerializer})
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """Erase the member's identifying and personal data; its counts stay in statistics."""
        member = members.member_erase(actor=request.user, member=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=member.pk)).data)
