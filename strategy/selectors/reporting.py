"""Reads of KPIs and their reporting: values per period, where derived values come from,
reporting completeness, overdue reports and the reminders due, closed periods."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import CharField, F, Max, Min, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.models import Role
from escp_portal.accounts.policy import people_with_role, visible_to
from escp_portal.rows import plain_rows
from partnerships.models import Partner

from ..models import (
    KPI,
    REPORTING_GRACE,
    Breakdown,
    Measurement,
    MeasurementPart,
    MeasurementRevision,
    PeriodLock,
    ReportingReminder,
    SmeSize,
    Strategy,
    period_start,
)
from ..sources import derived_series, registry
from .live import live_strategies


def kpis_for(strategy: Strategy):
    return (
        KPI.objects.filter(objective__strategy=strategy)
        .select_related("objective__strategy", "responsible__cluster")
        .order_by("objective__order", "objective__code", "pk")
    )


def combine(kpi: KPI, values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    if kpi.aggregation == KPI.Aggregation.SUM:
        return sum(values, Decimal(0))
    if kpi.aggregation == KPI.Aggregation.MAX:
        return max(values)
    return values[-1]


@dataclass
class KpiValues:
    """A KPI's approved (or derived) value per period, and its current value."""

    kpi: KPI
    periods: list[date]
    by_period: dict[date, Decimal | None]

    @property
    def reported(self) -> list[Decimal]:
        return [self.by_period[p] for p in self.periods if self.by_period.get(p) is not None]

    @functools.cached_property
    def current(self) -> Decimal | None:
        return combine(self.kpi, self.reported)

    @property
    def rows(self):
        return [(p, self.by_period.get(p)) for p in self.periods]


@dataclass
class Reports:
    """When the values of hand-reported KPIs came in, read with their values (``kpi_values``'s
    ``reports``): the first submitted or approved report of each KPI and period end by the
    responsible partner (any partner's when none is named: ``first[kpi][period end]``), and
    each KPI's latest report."""

    first: dict = field(default_factory=dict)
    last: dict = field(default_factory=dict)


def kpi_values(
    kpis, until: date | None = None, reports: Reports | None = None
) -> dict[int, KpiValues]:
    """Values of many KPIs: one query for all hand-reported ones, and for the derived ones one
    per source and frequency (a source answers all periods, of all the partnerships, in one
    query; one per strategy too for a source without ``series_many``), whatever the number of
    KPIs. Given ``reports``, the same query fills it with when the values came in."""
    until = until or timezone.localdate()
    kpis = list(kpis)
    manual = [k.pk for k in kpis if k.is_manual]
    approved: dict[int, dict[date, Decimal]] = defaultdict(dict)
    if manual and reports is None:
        for kpi_id, period_end, total in plain_rows(
            Measurement.objects.filter(kpi_id__in=manual, status=Measurement.Status.APPROVED)
            .values_list("kpi_id", "period_end")
            .annotate(total=Sum("value"))
            .order_by()
        ):
            approved[kpi_id][period_end] = total
    elif manual:
        # The same scan also answers when each report came in (``Reports``).
        live = [Measurement.Status.SUBMITTED, Measurement.Status.APPROVED]
        responsible = Q(partner_id=F("kpi__responsible_id")) | Q(kpi__responsible__isnull=True)
        for kpi_id, period_end, total, first, last in plain_rows(
            Measurement.objects.filter(kpi_id__in=manual)
            .values_list("kpi_id", "period_end")
            .annotate(
                total=Sum("value", filter=Q(status=Measurement.Status.APPROVED)),
                first=Min("reported_at", filter=Q(status__in=live) & responsible),
                last=Max("reported_at"),
            )
            .order_by()
        ):
            if total is not None:
                approved[kpi_id][period_end] = total
            if first is not None:
                reports.first.setdefault(kpi_id, {})[period_end] = first
            if last is not None and (kpi_id not in reports.last or last > reports.last[kpi_id]):
                reports.last[kpi_id] = last
    series = _derived_values([k for k in kpis if not k.is_manual], until)
    result = {}
    for kpi in kpis:
        periods = kpi.periods(until)
        if kpi.is_manual:
            by_period = approved.get(kpi.pk, {})
        elif kpi.pk in series:
            by_period = {p: series[kpi.pk][p] for p in periods if p in series[kpi.pk]}
        else:
            by_period = {}
        result[kpi.pk] = KpiValues(kpi, periods, by_period)
    return result


def _derived_values(kpis, until: date) -> dict[int, dict[date, Decimal]]:
    """{KPI id: {period end: value}} of derived KPIs, a call of its source per group."""
    sources = registry()
    groups = defaultdict(list)
    for kpi in kpis:
        source = sources.get(kpi.source)
        if source is None:
            continue
        owner = None if source.series_many else kpi.objective.strategy_id
        groups[(kpi.source, kpi.frequency, owner)].append(kpi)
    values = {}
    for (key, frequency, _owner), group in groups.items():
        # Periods of one frequency end on the same calendar days: ask for all of them at once.
        ends = sorted({p for kpi in group for p in kpi.periods(until)})
        if not ends:
            continue
        periods = [(period_start(frequency, p), p) for p in ends]
        series_many = sources[key].series_many
        if series_many is None:
            answer = derived_series(group[0], periods)
            values.update((kpi.pk, answer) for kpi in group)
            continue
        partnership = {kpi.pk: kpi.objective.strategy.partnership_id for kpi in group}
        answers = series_many(sorted(set(partnership.values())), periods)
        values.update((kpi.pk, answers[partnership[kpi.pk]]) for kpi in group)
    return values


@dataclass
class CompletenessCell:
    kpi: KPI
    status: str  # approved / submitted / returned / missing / late / derived
    partner: object


def reporting_completeness(strategy: Strategy, until: date | None = None):
    """Per period: every hand-reported KPI, whether its responsible partner has reported, and
    who is late (period ended more than 30 days ago and nothing submitted). ``strategy`` may
    be an expression for its id (a subquery): no strategy, no rows."""
    today = until or timezone.localdate()
    kpis = [k for k in kpis_for(strategy) if k.is_manual]
    # The responsible partner's own report is what counts as reported.
    responsible = {k.pk: k.responsible_id for k in kpis}
    statuses = {
        (kpi_id, period_end): status
        for kpi_id, period_end, status, partner_id in Measurement.objects.filter(
            kpi__in=kpis
        ).values_list("kpi_id", "period_end", "status", "partner_id")
        if responsible.get(kpi_id) == partner_id
    }
    periods = sorted({p for k in kpis for p in k.periods(today)}, reverse=True)
    table = []
    for period in periods:
        cells = []
        for kpi in kpis:
            if period not in kpi.periods(today):
                continue
            status = statuses.get((kpi.pk, period))
            if status is None:
                status = "late" if period + REPORTING_GRACE < today else "missing"
            cells.append(CompletenessCell(kpi, status, kpi.responsible))
        reported = sum(1 for c in cells if c.status in ("approved", "submitted"))
        late = sorted(
            {
                str(c.partner.cluster) if c.partner else _("no partner named")
                for c in cells
                if c.status == "late"
            }
        )
        table.append(
            {
                "period": period,
                "cells": cells,
                "reported": reported,
                "expected": len(cells),
                "late": late,
                "due": period + REPORTING_GRACE,
            }
        )
    return table


def overdue_reports(kpis, today: date) -> list[tuple[KPI, date]]:
    """(KPI, period end) of the hand-reported ``kpis`` whose report is overdue: the period
    ended more than the grace period ago and no longer ago than KPI_REMINDER_WINDOW_DAYS
    before that, it is not locked, and the responsible partner has submitted or had approved
    nothing for it (a returned value is still owed). Two queries, whatever the KPIs; the
    dashboards and the reminders both read it."""
    kpis = kpis.filter(source=KPI.MANUAL)
    earliest = today - REPORTING_GRACE - timedelta(days=settings.KPI_REMINDER_WINDOW_DAYS)
    locked_to = (
        PeriodLock.objects.filter(partnership_id=OuterRef("objective__strategy__partnership_id"))
        .order_by("-period_end")
        .values("period_end")[:1]
    )
    rows = list(
        kpis.select_related("objective__strategy__partnership", "responsible__cluster")
        .annotate(locked_to=Subquery(locked_to))
        .order_by("objective__strategy__partnership__acronym", "objective__code", "pk")
    )
    reported = set(
        Measurement.objects.filter(
            kpi__in=kpis.values("pk"),
            period_end__gte=earliest,
            partner_id=F("kpi__responsible_id"),
            status__in=[Measurement.Status.SUBMITTED, Measurement.Status.APPROVED],
        )
        .order_by()
        .values_list("kpi_id", "period_end")
    )
    return [
        (kpi, period)
        for kpi in rows
        for period in kpi.periods(today - REPORTING_GRACE)
        if earliest <= period
        and period + REPORTING_GRACE < today
        and not (kpi.locked_to and period <= kpi.locked_to)
        and (kpi.pk, period) not in reported
    ]


def reports_to_remind(today: date) -> list[tuple[KPI, date]]:
    """Overdue reports (``overdue_reports``) of the live versions (``live_strategies``: so that
    a draft revision's copies of the KPIs are not reminded twice) not reminded yet."""
    kpis = KPI.objects.filter(responsible__isnull=False, objective__strategy__in=live_strategies())
    reminded = set(
        ReportingReminder.objects.filter(kpi__in=kpis.values("pk")).values_list(
            "kpi_id", "period_end"
        )
    )
    return [
        (kpi, period)
        for kpi, period in overdue_reports(kpis, today)
        if (kpi.pk, period) not in reminded
    ]


def reminder_recipients(kpi: KPI) -> list:
    """Who is reminded of a KPI's overdue report: the managers of the responsible partner's
    cluster; its coordinators if it has none."""
    cluster_id = kpi.responsible.cluster_id
    managers = people_with_role(Role.CLUSTER_MANAGER, cluster_ids=[cluster_id]).get(cluster_id)
    if managers:
        return managers
    partnership_id = kpi.objective.strategy.partnership_id
    return people_with_role(Role.COORDINATOR, partnership_ids=[partnership_id]).get(
        partnership_id, []
    )


def locked_until(partnership_id: int) -> date | None:
    """Periods ending on or before the latest lock are closed."""
    return PeriodLock.objects.filter(partnership_id=partnership_id).aggregate(
        last=Max("period_end")
    )["last"]


def period_locks(partnership) -> set[date]:
    """The ends of the partnership's locked periods."""
    return set(
        PeriodLock.objects.filter(partnership=partnership).values_list("period_end", flat=True)
    )


def kpi_measurements(kpi: KPI) -> list[Measurement]:
    """A KPI's reported values, the latest period first, with who reported and reviewed them,
    their corrections and, when the KPI declares breakdowns, their parts (``breakdown``)."""
    revisions = MeasurementRevision.objects.select_related("changed_by")
    prefetch = [Prefetch("revisions", queryset=revisions)]
    if kpi.breakdowns:
        prefetch.append(Prefetch("parts", queryset=named_parts(kpi)))
    measurements = list(
        kpi.measurements.select_related("partner__cluster", "reported_by", "reviewed_by")
        .prefetch_related(*prefetch)
        .order_by("-period_end")
    )
    for measurement in measurements:
        measurement.breakdown = breakdown_of(measurement) if kpi.breakdowns else []
    return measurements


def measurement_revision(measurement: Measurement, revision_id: str):
    """One correction of the measurement (``None`` for an id that is not one of them)."""
    if not str(revision_id).isdigit() or len(str(revision_id)) > 18:
        return None
    return measurement.revisions.filter(pk=int(revision_id)).first()


def named_parts(kpi: KPI):
    """Parts of values with the name of the partner a part by partner is about (``name``), read
    in the same query."""
    partner = Partner.objects.filter(partnership_id=kpi.objective.strategy.partnership_id).annotate(
        key=Cast("pk", CharField())
    )
    return MeasurementPart.objects.annotate(
        name=Subquery(partner.filter(key=OuterRef("key")).values("cluster__name")[:1])
    )


def breakdown_of(measurement: Measurement) -> list[tuple[str, list]]:
    """``[(a breakdown's label, [(a part's label, value)])]`` of a measurement whose parts were
    read with ``named_parts``: partners by their cluster's name, countries by name."""
    from django_countries import countries

    groups = defaultdict(list)
    for part in measurement.parts.all():
        if part.dimension == Breakdown.PARTNER:
            label = part.name or part.key
        elif part.dimension == Breakdown.COUNTRY:
            label = countries.name(part.key) or part.key
        else:
            label = SmeSize(part.key).label if part.key in SmeSize.values else part.key
        groups[part.dimension].append((str(label), part.value))
    return [(Breakdown(dimension).label, rows) for dimension, rows in groups.items()]


def trace_period(periods: list[date], asked) -> date | None:
    """The period whose sources are explained: the one asked for (``YYYY-MM-DD``, one of
    ``periods``), else the latest; ``None`` when no period has ended."""
    if not periods:
        return None
    try:
        chosen = date.fromisoformat(str(asked or "")[:10])
    except ValueError:
        return periods[-1]
    return chosen if chosen in periods else periods[-1]


def derived_trace(kpi: KPI, periods: list[date], user, period: date | None = None):
    """``(source, records)`` of a derived KPI: its source and the records the value of a period
    (``period``, one of ``periods``; the latest when not given) was computed from — only those
    the user may see (the records name members: none for an officer), 50 at most. ``(None,
    None)`` for a KPI reported by hand."""
    if kpi.is_manual:
        return None, None
    source = registry().get(kpi.source)
    if not (source and source.records and periods):
        return source, None
    end = period if period in periods else periods[-1]
    records = source.records(kpi, period_start(kpi.frequency, end), end)
    return source, visible_to(records, user)[:50]


# Sections that later apps add to a KPI's page (the evaluation app: how ambitious the target is,
# and the EC officer's review form), so that the strategy depends on none of them. A section is a
# function ``(kpi, user) -> dict | None``; the dict names the ``template`` that renders it.
_kpi_page_sections = []


def register_kpi_page_section(section):
    _kpi_page_sections.append(section)
    return section


def kpi_page_sections(kpi, user) -> list[dict]:
    return [shown for section in _kpi_page_sections if (shown := section(kpi, user))]
