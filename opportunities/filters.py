"""One FilterSet per list, shared by its page and its API endpoint."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from escp_portal.choices import CountryFilter
from escp_portal.filters import id_filter
from escp_portal.forms import FilterForm

from .models import Broker, InvestmentProject, InvestorContact, Opportunity


def _search(*fields):
    def filter_q(self, queryset, name, value):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    return filter_q


class BrokerFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id")
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=Broker.Kind.choices, label=_("Kind"))
    focus = django_filters.ChoiceFilter(choices=Broker.Focus.choices, label=_("Main role"))
    country = CountryFilter(label=_("Country"))
    in_target_market = django_filters.BooleanFilter(
        field_name="target_market",
        lookup_expr="isnull",
        exclude=True,
        label=_("In a target market"),
    )
    filter_q = _search("name", "organisation", "note")

    class Meta:
        model = Broker
        form = FilterForm
        fields = ["partnership", "q", "kind", "focus", "country", "in_target_market"]


class OpportunityFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id")
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Search"))
    stage = django_filters.ChoiceFilter(choices=Opportunity.Stage.choices, label=_("Stage"))
    broker = id_filter(field_name="broker_id", label=_("Broker"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Follow-up overdue"))
    filter_q = _search("title", "counterpart", "description")

    class Meta:
        model = Opportunity
        form = FilterForm
        fields = ["partnership", "q", "stage", "broker", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(stage__in=Opportunity.OPEN_STAGES, next_follow_up__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class InvestorContactFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id")
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=InvestorContact.Kind.choices, label=_("Kind"))
    country = CountryFilter(label=_("Country"))
    event = id_filter(field_name="event_id", label=_("Met at"))
    filter_q = _search("name", "organisation", "interests")

    class Meta:
        model = InvestorContact
        form = FilterForm
        fields = ["partnership", "q", "kind", "country", "event"]


class InvestmentProjectFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id")
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=InvestmentProject.Status.choices, label=_("Status")
    )
    assistance = django_filters.ChoiceFilter(
        choices=InvestmentProject.Assistance.choices, label=_("Technical assistance")
    )
    s3_area = django_filters.CharFilter(
        field_name="s3_area", lookup_expr="icontains", max_length=200, label=_("S3 priority area")
    )
    filter_q = _search("title", "regions", "s3_area", "description")

    class Meta:
        model = InvestmentProject
        form = FilterForm
        fields = ["partnership", "q", "status", "assistance", "s3_area"]
