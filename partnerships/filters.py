"""One FilterSet per list, shared by the pages and the API: ``?country=DE`` means the same in the
browser and at ``/api/v1/``."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from escp_portal.filters import id_filter
from escp_portal.forms import FilterForm

from .models import ClusterOrganisation, Partner, Partnership, Programme, Sector


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


def _country_choices():
    return list(countries)


class PartnershipFilterSet(SearchFilterMixin, django_filters.FilterSet):
    search_fields = ("acronym", "name", "objectives")

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.all(), to_field_name="code", label=_("Programme")
    )
    generation = django_filters.NumberFilter(min_value=1, max_value=99, label=_("Generation"))
    phase = django_filters.ChoiceFilter(choices=Partnership.Phase.choices, label=_("Phase"))
    status = django_filters.ChoiceFilter(choices=Partnership.Status.choices, label=_("Status"))
    country = django_filters.ChoiceFilter(
        choices=_country_choices, method="filter_country", label=_("Partner country")
    )
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
        )
    )

    class Meta:
        model = Partnership
        form = FilterForm
        fields = ["q", "programme", "generation", "phase", "status", "country", "sector", "cluster"]

    def filter_country(self, queryset, name, value: str):
        return queryset.filter(
            Exists(Partner.objects.filter(partnership=OuterRef("pk"), cluster__country=value))
        )

    def filter_cluster(self, queryset, name, value):
        return queryset.filter(
            Exists(Partner.objects.filter(partnership=OuterRef("pk"), cluster=value))
        )


class ClusterFilterSet(SearchFilterMixin, django_filters.FilterSet):
    search_fields = ("name", "acronym", "city", "description")

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    country = django_filters.ChoiceFilter(choices=_country_choices, label=_("Country"))
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
    country = django_filters.ChoiceFilter(
        choices=_country_choices, field_name="cluster__country", label=_("Country")
    )
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
