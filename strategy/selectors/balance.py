"""A balanced partnership [Action 7]: how the work and the results are spread across the
partners, and which partner carries far less or far more than its share.

Each figure is one grouped query over the partnership's rows (``{partner id: count}``), so the
page costs the same number of queries whatever the amount of data. The strategy counts tasks
and reports; later apps add theirs (missions organised and joined, outcomes) through
``register_balance_figure`` in their ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, DateTimeField, ExpressionWrapper, F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import REPORTING_GRACE, Measurement, Task
from .coordination import current_partners
from .live import live_strategy_subquery

# Below LOW times or above HIGH times the average share of a figure, a partner is named.
LOW, HIGH = 0.5, 2.0

_figures: list[tuple[str, object, Callable[[int], dict[int, int]]]] = []


def register_balance_figure(key: str, label, function: Callable[[int], dict[int, int]]):
    """``function(partnership_id) -> {partner id: count}`` in one query: a column of the
    balance view (``label``, lazily translated)."""
    if key not in {k for k, _label, _f in _figures}:
        _figures.append((key, label, function))


def tasks_owned(partnership_id: int) -> dict[int, int]:
    """Tasks of the live roadmap (not cancelled) each partner is responsible for."""
    through = Task.responsible.through
    return dict(
        through.objects.filter(task__objective__strategy_id=live_strategy_subquery(partnership_id))
        .exclude(task__status=Task.Status.CANCELLED)
        .order_by()
        .values_list("partner_id")
        .annotate(n=Count("pk"))
    )


def reports_on_time(partnership_id: int) -> dict[int, int]:
    """Values each partner reported on the live strategy's KPIs within the reporting grace
    after their period ended."""
    # reported_at < period_end + grace + 1 day, written from the report's side: a period at the
    # end of the calendar cannot overflow a date.
    shifted = ExpressionWrapper(
        F("reported_at") - (REPORTING_GRACE + timedelta(days=1)), output_field=DateTimeField()
    )
    return dict(
        Measurement.objects.filter(
            kpi__objective__strategy_id=live_strategy_subquery(partnership_id),
            period_end__gt=shifted,
        )
        .order_by()
        .values_list("partner_id")
        .annotate(n=Count("pk"))
    )


register_balance_figure("tasks", gettext_lazy("Tasks owned"), tasks_owned)
register_balance_figure("reports", gettext_lazy("Reports on time"), reports_on_time)


@dataclass
class BalanceRow:
    partner: object
    counts: dict = field(default_factory=dict)
    flags: dict = field(default_factory=dict)  # key -> "low" / "high"
    keys: tuple = ()

    @property
    def cells(self) -> list[tuple[int, str]]:
        """(count, "low" / "high" / "") per column, in the columns' order."""
        return [(self.counts[key], self.flags.get(key, "")) for key in self.keys]


@dataclass
class Imbalance:
    partner: object
    key: str
    label: str
    count: int
    average: float
    direction: str  # "low" or "high"

    @property
    def message(self) -> str:
        values = {
            "partner": self.partner.cluster.name,
            "figure": self.label.lower(),
            "count": self.count,
            "average": f"{self.average:.1f}",
        }
        if self.direction == "low":
            return (
                _(
                    "%(partner)s has less than half the average share of %(figure)s "
                    "(%(count)s against an average of %(average)s)."
                )
                % values
            )
        return (
            _(
                "%(partner)s has more than twice the average share of %(figure)s "
                "(%(count)s against an average of %(average)s)."
            )
            % values
        )


def partnership_balance(partnership) -> dict:
    """The balance view of a partnership: a row per current partner with each figure, the
    totals and averages, and the imbalances named by the rule (below half or above twice the
    average, for a figure with a total above zero and at least two partners)."""
    partners = list(current_partners(partnership.pk))
    columns = [(key, str(label)) for key, label, _f in _figures]
    counts = {key: function(partnership.pk) for key, _label, function in _figures}
    keys = tuple(key for key, _label in columns)
    rows = [
        BalanceRow(p, {key: counts[key].get(p.pk, 0) for key in keys}, keys=keys) for p in partners
    ]
    imbalances: list[Imbalance] = []
    averages = {}
    for key, label in columns:
        total = sum(row.counts[key] for row in rows)
        average = total / len(rows) if rows else 0
        averages[key] = average
        if total == 0 or len(rows) < 2:
            continue
        for row in rows:
            count = row.counts[key]
            direction = "low" if count < LOW * average else "high" if count > HIGH * average else ""
            if direction:
                row.flags[key] = direction
                imbalances.append(Imbalance(row.partner, key, label, count, average, direction))
    return {
        "columns": columns,
        "rows": rows,
        "averages": [averages[key] for key in keys],
        "imbalances": imbalances,
    }
