"""Targets against actual values, period by period: the table a coordinator shows a funder.

The target of a period is the plan's value at the period's end (``scoring.planned_value``: a
line from the baseline through the KPI's milestones to the target, the same line the status
reads); the actual is the period's approved (or derived) value and the value to date combines
the periods so far as the KPI's values combine. A fixed number of queries, whatever the KPIs,
periods and values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from ..scoring import planned_value, progress_between
from .scoreboards import live_kpis, milestones_of

CENT = Decimal("0.01")


@dataclass
class PeriodTarget:
    period_end: date
    target: Decimal | None  # the plan's value at the period's end
    period_target: Decimal | None  # what the period adds to it (KPIs whose values add up)
    actual: Decimal | None  # the period's value
    to_date: Decimal | None  # the values so far, combined
    percent: Decimal | None  # progress to date towards the period's target (%)
    ended: bool


@dataclass
class KpiTargets:
    kpi: object
    periods: list[PeriodTarget]


def _cents(value):
    return None if value is None else Decimal(value).quantize(CENT)


def target_table(partnership_id: int, *, today: date | None = None) -> list[KpiTargets]:
    """Each live KPI (``live_kpis``) with every reporting period from its baseline to its target
    date: the target, the actual, the value to date and the % of the target reached."""
    from strategy.models import KPI
    from strategy.selectors import KpiValues, kpi_values

    today = today or timezone.localdate()
    kpis = list(live_kpis(partnership_id))
    values = kpi_values(kpis, until=today)
    milestones_by_kpi = milestones_of(kpis)
    table = []
    for kpi in kpis:
        known = values[kpi.pk]
        ended = set(known.periods)
        milestones = milestones_by_kpi.get(kpi.pk, [])
        adds_up = kpi.aggregation == KPI.Aggregation.SUM
        previous = kpi.baseline_value
        so_far, rows = [], []
        for period in kpi.periods():
            target = _cents(
                planned_value(
                    baseline=kpi.baseline_value,
                    target=kpi.target_value,
                    baseline_date=kpi.baseline_date,
                    target_date=kpi.target_date,
                    day=period,
                    milestones=milestones,
                )
            )
            done = period in ended
            if done:
                so_far.append(period)
            to_date = KpiValues(kpi, so_far, known.by_period).current if done else None
            rows.append(
                PeriodTarget(
                    period_end=period,
                    target=target,
                    period_target=(target - previous if adds_up and target is not None else None),
                    actual=_cents(known.by_period.get(period)) if done else None,
                    to_date=_cents(to_date),
                    percent=progress_between(kpi.baseline_value, target, to_date),
                    ended=done,
                )
            )
            previous = target if target is not None else previous
        table.append(KpiTargets(kpi, rows))
    return table
