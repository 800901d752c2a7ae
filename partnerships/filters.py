"""One FilterSet per list, shared by the pages and the API: ``?country=DE`` means the same in the
browser and at ``/api/v1/``."""

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from escp_portal.choices import CountryFilter, NaceFilter
from escp_portal.filters import id_filter
from escp_portal.forms import FilterForm

from .models import (
    ClusterMembership,
    ClusterOrganisation,
    Competence,
    Member,
    Partner,
    PartnerExpectation,
    Partnership,
    Programme,
    Sector,
)
from .nace import validate_sector
from .selectors import ended_q, quiet_q, running_q


class SearchFilterMixin:
    search_fields: tuple[str, ...] = ()

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class PartnershipFilterSet(SearchFilterMixin, django_filters.FilterSet):
    search_fields = ("acronym", "name", "objectives")

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.all(), to_field_name="code", label=_("Programme")
    )
    generation = django_filters.NumberFilter(min_value=1, max_value=99, label=_("Generation"))
    phase = django_filters.ChoiceFilter(choices=Partnership.Phase.choices, label=_("Phase"))
    # What the partnership is shown as (partnerships.selectors: active, no recent activity,
    # completed), not the stored status alone: a partnership without an end date and without
    # recent activity is not among the active ones.
    status = django_filters.ChoiceFilter(
        choices=[
            ("active", _("Active")),
            ("quiet", _("No recent activity")),
            ("completed", _("Completed")),
            ("draft", _("Draft")),
        ],
        method="filter_status",
        label=_("Status"),
    )
    country = CountryFilter(method="filter_country", label=_("Partner country"))
    target_country = CountryFilter(method="filter_target_country", label=_("Target market"))
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(),
        to_field_name="slug",
        field_name="sectors",
        label=_("Sector"),
    )
    cluster = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=ClusterOrganisation.objects.all(),
            method="filter_cluster",
            label=_("Partner cluster"),
            # Thousands of clusters make no list to pick from: the cluster pages link here
            # with ?cluster=<id>, and the page names the cluster it filters by.
            widget=forms.HiddenInput,
        )
    )

    class Meta:
        model = Partnership
        form = FilterForm
        fields = [
            "q",
            "programme",
            "generation",
            "phase",
            "status",
            "country",
            "target_country",
            "sector",
            "cluster",
        ]

    def filter_country(self, queryset, name, value: str):
        return queryset.filter(
            Exists(Partner.objects.filter(partnership=OuterRef("pk"), cluster__country=value))
        )

    def filter_status(self, queryset, name, value: str):
        today = timezone.localdate()
        condition = {
            "active": running_q(today),
            "quiet": quiet_q(today),
            "completed": ended_q(today),
            "draft": Q(status=Partnership.Status.DRAFT),
        }[value]
        return queryset.filter(condition)

    def filter_cluster(self, queryset, name, value):
        return queryset.filter(
            Exists(Partner.objects.filter(partnership=OuterRef("pk"), cluster=value))
        )

    def filter_target_country(self, queryset, name, value: str):
        # Target markets are the strategy's (a later app): reached through their relation.
        markets = Partnership._meta.get_field("target_markets").related_model
        return queryset.filter(
            Exists(markets.objects.filter(partnership=OuterRef("pk"), country=value))
        )


class ClusterFilterSet(SearchFilterMixin, django_filters.FilterSet):
    search_fields = ("name", "acronym", "city", "description")

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    country = CountryFilter(label=_("Country"))
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(),
        to_field_name="slug",
        field_name="sectors",
        label=_("Sector"),
    )
    partnership = id_filter(method="filter_partnership", label=_("Partnership (id)"))

    class Meta:
        model = ClusterOrganisation
        form = FilterForm
        fields = ["q", "country", "sector", "partnership"]

    def filter_partnership(self, queryset, name, value: int):
        # Only partners the user may see: a draft partnership's clusters stay unseen.
        user = getattr(self.request, "user", None)
        partners = Partner.objects.visible_to(user).filter(partnership_id=value)
        return queryset.filter(Exists(partners.filter(cluster=OuterRef("pk"))))


class PartnerFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id", label=_("Partnership"))
    cluster = id_filter(field_name="cluster_id", label=_("Cluster"))
    country = CountryFilter(field_name="cluster__country", label=_("Country"))
    role = django_filters.ChoiceFilter(choices=Partner.Role.choices, label=_("Role"))
    current = django_filters.BooleanFilter(
        field_name="left_on", lookup_expr="isnull", label=_("Current partners only")
    )

    class Meta:
        model = Partner
        fields = ["partnership", "cluster", "country", "role", "current"]


class ProgrammeFilterSet(SearchFilterMixin, django_filters.FilterSet):
    search_fields = ("code", "name")
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    class Meta:
        model = Programme
        fields = ["q"]


class MemberFilterSet(SearchFilterMixin, django_filters.FilterSet):
    """Members (SMEs and others). ``?sme=true`` gives the SMEs."""

    search_fields = ("name", "city", "competences__name")

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    cluster = id_filter(method="filter_cluster", label=_("Cluster (id)"))
    partnership = id_filter(method="filter_partnership", label=_("Partnership (id)"))
    country = CountryFilter(label=_("Country"))
    sme = django_filters.BooleanFilter(
        field_name="is_sme",
        label=_("SME"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("SMEs only")), ("false", _("Not SMEs"))]
        ),
    )
    size = django_filters.ChoiceFilter(
        field_name="size_class", choices=Member.Size.choices, label=_("Size")
    )
    kind = django_filters.ChoiceFilter(choices=Member.Kind.choices, label=_("Kind"))
    sector = NaceFilter(
        method="filter_sector",
        validators=[validate_sector],
        label=_("Sector (NACE)"),
        help_text=_("A NACE section letter (C), division (62) or code (62.01)."),
    )
    competence = django_filters.CharFilter(method="filter_competence", label=_("Competence"))
    export_market = CountryFilter(method="filter_export_market", label=_("Exports to"))

    class Meta:
        model = Member
        form = FilterForm
        fields = [
            "q",
            "cluster",
            "partnership",
            "country",
            "sme",
            "size",
            "kind",
            "sector",
            "competence",
            "export_market",
        ]

    def filter_q(self, queryset, name, value):
        # A competence match may join several rows per member: keep each member once.
        matches = super().filter_q(Member.objects.all(), name, value).values("pk")
        return queryset.filter(pk__in=matches)

    def _visible_memberships(self):
        """The row's memberships in clusters whose members the user may see: a cluster (or a
        partnership's cluster) they may not see filters to nothing, even for members they see
        through another cluster."""
        from partnerships.rules import member_cluster_ids

        user = getattr(self.request, "user", None)
        memberships = ClusterMembership.objects.filter(member=OuterRef("pk"))
        if user is not None:
            memberships = memberships.filter(cluster_id__in=member_cluster_ids(user))
        return memberships

    def filter_cluster(self, queryset, name, value: int):
        return queryset.filter(Exists(self._visible_memberships().filter(cluster_id=value)))

    def filter_partnership(self, queryset, name, value: int):
        user = getattr(self.request, "user", None)
        clusters = Partner.objects.visible_to(user).filter(partnership_id=value).values("cluster")
        return queryset.filter(Exists(self._visible_memberships().filter(cluster_id__in=clusters)))

    def filter_sector(self, queryset, name, value: str):
        from .nace import normalise, sections

        value = value.strip().upper()
        if re.fullmatch(r"[A-U]", value):
            divisions = [d for d, section in sections().items() if section == value]
            condition = Q()
            for division in divisions:
                condition |= Q(nace_code__startswith=division)
            return queryset.filter(condition)
        return queryset.filter(nace_code__startswith=normalise(value))

    def filter_competence(self, queryset, name, value: str):
        competences = Competence.objects.filter(
            Q(name__iexact=value.strip()) | Q(slug=slugify(value))
        )
        through = Member.competences.through.objects.filter(
            member=OuterRef("pk"), competence__in=competences
        )
        return queryset.filter(Exists(through))

    def filter_export_market(self, queryset, name, value: str):
        # Stored as comma-separated two-letter codes: a code cannot straddle a comma.
        return queryset.filter(export_markets__contains=value)


class PartnerExpectationFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partner__partnership_id", label=_("Partnership"))
    partner = id_filter(field_name="partner_id", label=_("Partner"))
    entry_kind = django_filters.ChoiceFilter(choices=PartnerExpectation.Kind.choices)
    review = django_filters.ChoiceFilter(choices=PartnerExpectation.Review.choices)

    class Meta:
        model = PartnerExpectation
        form = FilterForm
        fields = ["partnership", "partner", "entry_kind", "review"]
