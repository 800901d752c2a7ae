from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from escp_portal.accounts.policy import visible_to
from escp_portal.api.viewsets import PolicyViewSet, ReadOnlyPolicyViewSet

from . import services
from .filters import ClusterFilterSet, PartnerFilterSet, PartnershipFilterSet, ProgrammeFilterSet
from .models import ClusterOrganisation, Partner, Partnership, Programme, Sector


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
        from django.core.exceptions import PermissionDenied

        if not self.request.user.is_staff:
            raise PermissionDenied
        instance.delete()


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
        serializer.instance = services.cluster_create(
            actor=self.request.user, sectors=data.pop("sectors", None), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.cluster_update(
            actor=self.request.user,
            cluster=serializer.instance,
            sectors=data.pop("sectors", None),
            **data,
        )


class PartnerSerializer(serializers.ModelSerializer):
    partnership = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.all())
    cluster = serializers.PrimaryKeyRelatedField(queryset=ClusterOrganisation.objects.all())
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    country = CountryField(source="cluster.country", read_only=True)

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

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # A partnership the user cannot see is, to them, an invalid id.
            fields["partnership"].queryset = Partnership.objects.visible_to(request.user)
        if self.instance is not None:
            fields["partnership"].read_only = True
            fields["cluster"].read_only = True
        return fields


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
