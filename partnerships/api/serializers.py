"""The API's serializers: what a partnership, cluster, partner, programme and member look like
at ``/api/v1/``, and the checks of a request body before a service sees it."""

from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from escp_portal.api.serializers import PolicySerializer, VisibleField

from .. import nace
from ..models import ClusterOrganisation, Member, Partner, Partnership, Programme, Sector
from ..models.members import CONTACT_FIELDS
from ..rules import can_set_programme_fields
from ..services.partnerships import PARTNERSHIP_COORDINATOR_FIELDS, PARTNERSHIP_STAFF_FIELDS


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
        if self.instance is not None and request and not can_set_programme_fields(request.user):
            for name in PARTNERSHIP_STAFF_FIELDS:
                if name not in PARTNERSHIP_COORDINATOR_FIELDS and name in fields:
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
        extra_kwargs = {
            "is_sme": {
                "help_text": "Derived, never written: only an enterprise (kind) can be an SME, "
                "tested with the figures of its partner and linked enterprises; false for every "
                "other kind whatever its figures."
            },
            "size_class": {"help_text": "Derived, never written; empty for other kinds."},
        }

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
            for name in CONTACT_FIELDS:
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
