"""One FilterSet per list, shared by its page and its API endpoint."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escp_portal.choices import CountryFilter
from escp_portal.filters import id_filter
from escp_portal.forms import FilterForm
from partnerships.models import Sector

from .models import FundingCall, Voucher, VoucherScheme
from .rules import nameable_vouchers


class VoucherSchemeFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id")

    class Meta:
        model = VoucherScheme
        form = FilterForm
        fields = ["partnership"]


class VoucherFilterSet(django_filters.FilterSet):
    scheme = id_filter(field_name="scheme_id", label=_("Scheme"))
    partnership = id_filter(field_name="scheme__partnership_id", label=_("Partnership"))
    status = django_filters.ChoiceFilter(choices=Voucher.Status.choices, label=_("Status"))
    sme = django_filters.BooleanFilter(field_name="to_sme", label=_("To an SME"))
    member = id_filter(field_name="member_id", method="filter_member", label=_("Member"))
    granted_from = django_filters.DateFilter(
        field_name="granted_on", lookup_expr="gte", label=_("Granted from")
    )
    granted_to = django_filters.DateFilter(
        field_name="granted_on", lookup_expr="lte", label=_("Granted until")
    )

    class Meta:
        model = Voucher
        form = FilterForm
        fields = ["scheme", "partnership", "status", "sme", "member", "granted_from", "granted_to"]

    def filter_member(self, queryset, name, value):
        # Which company got a voucher is told only to those who may name it: to an EC officer,
        # a search by member finds nothing.
        user = getattr(self.request, "user", None)
        return nameable_vouchers(queryset, user).filter(**{name: value})


class FundingCallFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    programme = django_filters.CharFilter(
        field_name="programme", lookup_expr="icontains", label=_("Programme"), max_length=120
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors", queryset=Sector.objects.all(), label=_("Sector")
    )
    country = CountryFilter(method="filter_country", label=_("Eligible country"))
    deadline_from = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("Deadline from")
    )
    deadline_to = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("Deadline until")
    )

    class Meta:
        model = FundingCall
        form = FilterForm
        fields = ["q", "programme", "sector", "country", "deadline_from", "deadline_to"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(topics__icontains=value) | Q(summary__icontains=value)
        )

    def filter_country(self, queryset, name, value: str):
        # A call without countries is open to every country.
        return queryset.filter(Q(countries="") | Q(countries__contains=value))
