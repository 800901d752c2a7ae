import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escp_portal.choices import CountryFilter
from escp_portal.filters import id_filter
from escp_portal.forms import FilterForm

from .models import (
    ExportGroup,
    LocalCounterpart,
    Meeting,
    MeetingProfile,
    Mission,
    Outcome,
    Participation,
)
from .rules import naming_members


def _partnerships(request):
    from partnerships.models import Partnership

    user = getattr(request, "user", None)
    return Partnership.objects.filter(pk__in=Mission.objects.visible_to(user).values("partnership"))


class MissionFilterSet(django_filters.FilterSet):
    partnership = django_filters.ModelChoiceFilter(queryset=_partnerships, label=_("Partnership"))
    country = CountryFilter(label=_("Country"))
    kind = django_filters.ChoiceFilter(choices=Mission.Kind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=Mission.Status.choices, label=_("Status"))
    starts_after = django_filters.DateFilter(
        field_name="end_date", lookup_expr="gte", label=_("From")
    )
    starts_before = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label=_("To")
    )

    class Meta:
        model = Mission
        form = FilterForm
        fields = ["partnership", "country", "kind", "status", "starts_after", "starts_before"]


class ParticipationFilterSet(django_filters.FilterSet):
    mission = id_filter(field_name="mission_id")
    partnership = id_filter(field_name="mission__partnership_id")
    member = id_filter(field_name="member_id", method="filter_member")
    cluster = id_filter(field_name="cluster_id")
    status = django_filters.ChoiceFilter(choices=Participation.Status.choices)

    class Meta:
        model = Participation
        form = FilterForm
        fields = ["mission", "partnership", "member", "cluster", "status"]

    def filter_member(self, queryset, name, value):
        # Who took part is told only to those who may name the members (``can_name_members``):
        # to an EC officer, a search by member finds nothing.
        user = getattr(self.request, "user", None)
        return naming_members(queryset, user, "mission__partnership_id").filter(**{name: value})


class OutcomeFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id")
    mission = id_filter(field_name="mission_id")
    kind = django_filters.ChoiceFilter(choices=Outcome.Kind.choices)
    counterpart_country = CountryFilter()
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Outcome
        form = FilterForm
        fields = ["partnership", "mission", "kind", "counterpart_country"]


class ExportGroupFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id")

    class Meta:
        model = ExportGroup
        form = FilterForm
        fields = ["partnership"]


# --- B2B meetings -------------------------------------------------------------------------------


class MeetingProfileFilterSet(django_filters.FilterSet):
    mission = id_filter(field_name="participation__mission_id")
    participation = id_filter(field_name="participation_id")

    class Meta:
        model = MeetingProfile
        form = FilterForm
        fields = ["mission", "participation"]


class LocalCounterpartFilterSet(django_filters.FilterSet):
    mission = id_filter(field_name="mission_id")
    country = CountryFilter()
    kind = django_filters.ChoiceFilter(choices=LocalCounterpart.Kind.choices)

    class Meta:
        model = LocalCounterpart
        form = FilterForm
        fields = ["mission", "country", "kind"]


class MeetingFilterSet(django_filters.FilterSet):
    mission = id_filter(field_name="mission_id")
    state = django_filters.ChoiceFilter(choices=Meeting.State.choices)
    participation = id_filter(method="filter_party")
    counterpart = id_filter(method="filter_party")
    scheduled = django_filters.BooleanFilter(
        field_name="starts_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Meeting
        form = FilterForm
        fields = ["mission", "state", "participation", "counterpart", "scheduled"]

    def filter_party(self, queryset, name, value):
        if name == "participation":
            return queryset.filter(Q(requester_id=value) | Q(recipient_id=value))
        return queryset.filter(
            Q(requester_counterpart_id=value) | Q(recipient_counterpart_id=value)
        )
