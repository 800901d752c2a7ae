import django_filters
from django.utils.translation import gettext_lazy as _

from escp_portal.filters import id_filter
from escp_portal.forms import FilterForm

from .models import (
    KPI,
    Decision,
    Measurement,
    Objective,
    PartnershipMeeting,
    Strategy,
    StrategyFeedback,
    TargetMarket,
    Task,
    Trademark,
    TrademarkLicence,
    ValueChain,
)


class StrategyFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id", label=_("Partnership"))
    status = django_filters.ChoiceFilter(choices=Strategy.Status.choices)

    class Meta:
        model = Strategy
        form = FilterForm
        fields = ["partnership", "status"]


class ObjectiveFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="strategy__partnership_id", label=_("Partnership"))
    strategy = id_filter(field_name="strategy_id", label=_("Strategy"))

    class Meta:
        model = Objective
        form = FilterForm
        fields = ["partnership", "strategy"]


class KPIFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="objective__strategy__partnership_id")
    objective = id_filter(field_name="objective_id")
    kind = django_filters.ChoiceFilter(choices=KPI.Kind.choices)
    responsible = id_filter(field_name="responsible_id", label=_("Responsible partner"))

    class Meta:
        model = KPI
        form = FilterForm
        fields = ["partnership", "objective", "kind", "responsible"]


class MeasurementFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="kpi__objective__strategy__partnership_id")
    kpi = id_filter(field_name="kpi_id")
    partner = id_filter(field_name="partner_id")
    status = django_filters.ChoiceFilter(choices=Measurement.Status.choices)
    period_end = django_filters.DateFilter()
    period_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte")
    period_to = django_filters.DateFilter(field_name="period_end", lookup_expr="lte")

    class Meta:
        model = Measurement
        form = FilterForm
        fields = ["partnership", "kpi", "partner", "status", "period_end"]


class TaskFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="objective__strategy__partnership_id")
    objective = id_filter(field_name="objective_id")
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)

    class Meta:
        model = Task
        form = FilterForm
        fields = ["partnership", "objective", "status"]


class TargetMarketFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id")
    priority = django_filters.ChoiceFilter(choices=TargetMarket.Priority.choices)

    class Meta:
        model = TargetMarket
        form = FilterForm
        fields = ["partnership", "priority", "country"]


class ValueChainFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id")

    class Meta:
        model = ValueChain
        form = FilterForm
        fields = ["partnership"]


# --- inclusive coordination, collective trademark (issue #20) ------------------------------------


class StrategyFeedbackFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="strategy__partnership_id", label=_("Partnership"))
    strategy = id_filter(field_name="strategy_id", label=_("Strategy"))
    partner = id_filter(field_name="partner_id", label=_("Partner"))
    feedback_kind = django_filters.ChoiceFilter(choices=StrategyFeedback.Kind.choices)

    class Meta:
        model = StrategyFeedback
        form = FilterForm
        fields = ["partnership", "strategy", "partner", "feedback_kind"]


class PartnershipMeetingFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id", label=_("Partnership"))
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = PartnershipMeeting
        form = FilterForm
        fields = ["partnership", "held_after", "held_before"]


class DecisionFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="meeting__partnership_id", label=_("Partnership"))
    meeting = id_filter(field_name="meeting_id", label=_("Meeting"))
    objective = id_filter(field_name="objective_id", label=_("Objective"))
    task = id_filter(field_name="task_id", label=_("Task"))

    class Meta:
        model = Decision
        form = FilterForm
        fields = ["partnership", "meeting", "objective", "task"]


class TrademarkFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="partnership_id", label=_("Partnership"))

    class Meta:
        model = Trademark
        form = FilterForm
        fields = ["partnership"]


class TrademarkLicenceFilterSet(django_filters.FilterSet):
    partnership = id_filter(field_name="trademark__partnership_id", label=_("Partnership"))
    trademark = id_filter(field_name="trademark_id", label=_("Trademark"))

    class Meta:
        model = TrademarkLicence
        form = FilterForm
        fields = ["partnership", "trademark"]
