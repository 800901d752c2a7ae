"""The API's serializers: what a partnership, cluster, partner, programme and member look like
at ``/api/v1/``, and the checks of a request body before a service sees it."""

from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from escp_portal.api.serializers import ModelSerializer, PolicySerializer, VisibleField, described

from .. import nace
from ..models import ClusterOrganisation, Member, Partner, Partnership, Programme, Sector
from ..models.members import CONTACT_FIELDS
from ..rules import can_set_programme_fields
from ..services.partnerships import PARTNERSHIP_COORDINATOR_FIELDS, PARTNERSHIP_STAFF_FIELDS
from .examples import CLUSTER_EXAMPLES, MEMBER_EXAMPLES, PARTNERSHIP_EXAMPLES


class ProgrammeSerializer(ModelSerializer):
    partnership_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "code", "name", "description", "partnership_count"]


@described(
    cluster_name="Name of the cluster organisation.",
    country="ISO 3166 alpha-2 code of the cluster's country.",
    role="`coordinator` (at most one at a time), `partner` or `affiliated`.",
    joined_on="Date the cluster joined the partnership.",
    left_on="Date it left; null while it takes part.",
)
class PartnerInlineSerializer(ModelSerializer):
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    country = CountryField(source="cluster.country", read_only=True)

    class Meta:
        model = Partner
        fields = ["id", "cluster", "cluster_name", "country", "role", "joined_on", "left_on"]


@described(
    url="Address of the partnership in the API.",
    acronym="Short name, unique within a programme and generation.",
    phase="`preparatory`, `implementation`, `investment` or `voluntary` (the 4i strands 1 "
    "and 2 map onto preparatory and implementation).",
    status="`draft` (not public), `active` or `completed`.",
    start_date="First day of the partnership's period (ISO 8601 date).",
    end_date="Last day of the partnership's period (ISO 8601 date).",
    eu_funding='EU funding in EUR, a decimal as a string (e.g. "495000.00").',
    objectives="The partnership's objectives, as published in the directory.",
    partners="The partner clusters, with their role and dates.",
    updated_at="When the partnership was last changed.",
)
@extend_schema_serializer(examples=PARTNERSHIP_EXAMPLES)
class PartnershipSerializer(ModelSerializer):
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


@described(
    country="ISO 3166 alpha-2 country code.",
    declared_member_count="Members the cluster declares (its own count, not the portal's).",
    partnership_count="Partnerships the cluster takes part in now.",
    updated_at="When the profile was last changed.",
)
@extend_schema_serializer(examples=CLUSTER_EXAMPLES)
class ClusterSerializer(ModelSerializer):
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


@described(
    country="ISO 3166 alpha-2 country code.",
    nuts_region="NUTS code of the region, e.g. DE21.",
    nace_title="Title of the NACE Rev. 2 code, in the request's language.",
    annual_turnover="Annual turnover in EUR, a decimal as a string.",
    balance_sheet_total="Balance sheet total in EUR, a decimal as a string.",
    competences="Free tags, matched by their slug (case and spelling of spaces do not matter).",
    contact_name="Contact person (personal data): empty for readers not allowed to see it.",
    contact_email="Contact person's email (personal data), as contact_name.",
    contact_phone="Contact person's phone (personal data), as contact_name.",
    clusters="Ids of the cluster organisations the member belongs to (that you may see).",
    erased_at="When the member's personal data was erased; null otherwise.",
    updated_at="When the member was last changed.",
)
@extend_schema_serializer(examples=MEMBER_EXAMPLES)
class MemberSerializer(ModelSerializer):
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


class MemberBulkRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Index (from 0) of the row in `rows`.")
    action = serializers.CharField(
        help_text="What writing the row would do: `create`, `update` or `unchanged`."
    )
    member_id = serializers.IntegerField(
        allow_null=True, help_text="Id of the member the row updates; null for a new one."
    )
    name = serializers.CharField(help_text="The member's name as sent.")
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text="Field name to `[before, after]` for an update (contact persons left out).",
    )
    size_class = serializers.CharField(
        help_text="EU size class derived from employees, turnover and balance sheet "
        "(`micro`, `small`, `medium`, `large`), empty if unknown."
    )


class MemberBulkResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(help_text="True when nothing was written (a preview).")
    create = serializers.IntegerField(help_text="Rows that create a member.")
    update = serializers.IntegerField(help_text="Rows that change an existing member.")
    unchanged = serializers.IntegerField(help_text="Rows equal to the member already held.")
    rows = MemberBulkRowSerializer(
        many=True, required=False, help_text="Only for a dry run: what each row would do."
    )
    members = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Only when written: the id of the member of each row, in the order sent.",
    )


class MemberClusterSerializer(serializers.Serializer):
    cluster = serializers.CharField(help_text="Name of the cluster organisation.")
    member_since = serializers.DateField(allow_null=True, help_text="Date the member joined.")


class MemberPersonalDataSerializer(serializers.Serializer):
    """Everything the portal holds on a member (``partnerships.exports.member_personal_data``)."""

    id = serializers.IntegerField(help_text="Id of the member.")
    name = serializers.CharField()
    kind = serializers.CharField(
        help_text="`enterprise`, `research`, `university`, `public_body` or `other`."
    )
    country = serializers.CharField(help_text="ISO 3166 alpha-2 code.")
    nuts_region = serializers.CharField(help_text="NUTS code of the region, e.g. DE21.")
    city = serializers.CharField()
    nace_code = serializers.CharField(help_text="NACE Rev. 2 code of the main activity.")
    employees = serializers.IntegerField(allow_null=True, help_text="Persons employed.")
    annual_turnover = serializers.CharField(
        allow_null=True, help_text="Annual turnover in EUR (a decimal as a string)."
    )
    balance_sheet_total = serializers.CharField(
        allow_null=True, help_text="Balance sheet total in EUR (a decimal as a string)."
    )
    founded_year = serializers.IntegerField(allow_null=True)
    export_markets = serializers.ListField(
        child=serializers.CharField(), help_text="ISO 3166 codes of the countries it exports to."
    )
    website = serializers.CharField()
    contact_name = serializers.CharField(help_text="Contact person (personal data).")
    contact_email = serializers.CharField(help_text="Contact person's email (personal data).")
    contact_phone = serializers.CharField(help_text="Contact person's phone (personal data).")
    is_sme = serializers.BooleanField(
        allow_null=True, help_text="Derived from the EU SME definition, never typed in."
    )
    size_class = serializers.CharField(help_text="EU size class derived from the figures.")
    competences = serializers.ListField(child=serializers.CharField())
    clusters = MemberClusterSerializer(many=True, help_text="The clusters it belongs to.")
    erased_at = serializers.DateTimeField(allow_null=True, help_text="When it was erased.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    exported_at = serializers.DateTimeField(help_text="When this export was made.")


class MemberBulkSerializer(serializers.Serializer):
    cluster = serializers.PrimaryKeyRelatedField(queryset=ClusterOrganisation.objects.all())
    rows = serializers.ListField(
        child=serializers.DictField(),
        max_length=5000,
        allow_empty=False,
        help_text="Rows with the columns of the import template; `id` matches a member.",
    )
    dry_run = serializers.BooleanField(default=False)
