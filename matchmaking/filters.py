"""One FilterSet per list, shared by its page and its API endpoint: ``/find/?competence=…`` and
``/api/v1/partner-search/?competence=…`` mean the same."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from escp_portal.choices import CountryFilter, NaceFilter
from escp_portal.forms import FilterForm
from partnerships.models import Member
from partnerships.nace import normalise, validate_sector

from .models import ContactRequest, FindableProfile, PartnerRequest
from .selectors.search import Criteria, filter_members


class PartnerSearchFilterSet(django_filters.FilterSet):
    """The partner search. Each filter narrows the findable members (on the fields their
    profiles show); ``criteria()`` is the same search for the cluster organisations and the
    ranking (``selectors.search``)."""

    q = django_filters.CharFilter(method="noop", max_length=200, label=_("Search"))
    competence = django_filters.CharFilter(method="noop", max_length=80, label=_("Competence"))
    nace = NaceFilter(
        method="noop",
        max_length=10,
        validators=[validate_sector],
        label=_("Sector (NACE)"),
        help_text=_("A NACE section letter (C), division (62) or code (62.01)."),
    )
    country = CountryFilter(method="noop", label=_("Country"))
    size = django_filters.ChoiceFilter(
        choices=Member.Size.choices, method="noop", label=_("Size class")
    )
    export_market = CountryFilter(method="noop", label=_("Exports to"))
    kind = django_filters.ChoiceFilter(
        choices=[("member", _("Members only")), ("cluster", _("Cluster organisations only"))],
        method="noop",
        empty_label=_("Members and clusters"),
        label=_("Show"),
    )

    class Meta:
        model = FindableProfile
        form = FilterForm
        fields = ["q", "competence", "nace", "country", "size", "export_market", "kind"]

    def noop(self, queryset, name, value: str):
        return queryset  # every criterion is applied at once, in ``filter_queryset``

    def criteria(self) -> Criteria:
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        code = (data.get("nace") or "").strip().upper()
        return Criteria(
            q=data.get("q") or "",
            competence=data.get("competence") or "",
            nace=code if len(code) == 1 and code.isalpha() else normalise(code),
            country=data.get("country") or "",
            size=data.get("size") or "",
            export_market=data.get("export_market") or "",
            kind=data.get("kind") or "",
        )

    def filter_queryset(self, queryset):
        return filter_members(queryset, self.criteria())


class ContactRequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ContactRequest.Status.choices, label=_("Status"))

    class Meta:
        model = ContactRequest
        form = FilterForm
        fields = ["status"]


class PartnerRequestFilterSet(django_filters.FilterSet):
    """The "we look for …" posts: by state (open by default on the page), text, competence,
    sector and country."""

    state = django_filters.ChoiceFilter(
        choices=PartnerRequest.State.choices, method="filter_state", label=_("State")
    )
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Search"))
    competence = django_filters.CharFilter(
        field_name="competences", lookup_expr="icontains", max_length=80, label=_("Competence")
    )
    nace = NaceFilter(
        method="filter_nace",
        max_length=10,
        validators=[validate_sector],
        label=_("Sector (NACE)"),
    )
    country = CountryFilter(method="filter_country", label=_("Where"))
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label=_("My posts only"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = PartnerRequest
        form = FilterForm
        fields = ["state", "q", "competence", "nace", "country", "mine"]

    def filter_state(self, queryset, name, value: str):
        today = timezone.localdate()
        if value == PartnerRequest.State.OPEN:
            return queryset.open(today)
        if value == PartnerRequest.State.CLOSED:
            return queryset.filter(closed_at__isnull=False)
        return queryset.filter(closed_at__isnull=True, until__lt=today)

    def filter_q(self, queryset, name, value: str):
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(competences__icontains=word)
            )
        return queryset

    def filter_nace(self, queryset, name, value: str):
        code = value.strip().upper()
        return queryset.filter(nace_codes__icontains=code if code.isalpha() else normalise(code))

    def filter_country(self, queryset, name, value: str):
        return queryset.filter(countries__contains=value)

    def filter_mine(self, queryset, name, value: bool):
        user = getattr(self.request, "user", None)
        return queryset.filter(author_id=user.pk) if value and user else queryset
