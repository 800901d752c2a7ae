"""Oversight for EC officers: per published partnership, whether it works with its strategy at
all — a strategy adopted, live KPIs, reports on time, recent activity, reviews left open — so that
the silent ones are seen before those at risk.

Read in a fixed number of queries whatever the number of partnerships: the partnerships with
their latest changes and open reviews (correlated subqueries, one query), the live KPIs with their
status (one), the first report of each due (KPI, period) (one, grouped).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from escp_portal.rows import per_row
from partnerships.selectors import activity_state

from ..models import Review, Status

# Why a partnership is silent, in the order they are checked.
SILENT_REASONS = {
    "no_strategy": _("no strategy"),
    "no_kpis": _("no KPIs"),
    "nothing_reported": _("nothing reported"),
}


@dataclass
class OversightRow:
    pk: int
    acronym: str
    name: str
    programme: str
    generation: int
    phase: str
    status: str
    end_date: date | None
    # What it is shown as (partnerships.selectors.activity_state): active, quiet (no recent
    # activity), ended or draft.
    activity: str = "active"
    has_strategy: bool = False
    adopted: bool = False
    kpis: int = 0
    off_track: int = 0
    at_risk: int = 0
    no_data: int = 0
    expected: int = 0
    on_time: int = 0
    late: int = 0
    last_activity: datetime | None = None
    open_reviews: int = 0
    oldest_review: datetime | None = None
    oldest_review_days: int | None = None
    silent_reasons: list[str] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return self.expected - self.on_time - self.late

    @property
    def on_time_rate(self) -> int | None:
        """Reports made on time, in % of those due; None when none was due yet."""
        return round(100 * self.on_time / self.expected) if self.expected else None

    @property
    def troubled(self) -> int:
        return self.off_track + self.at_risk

    @property
    def troubled_share(self) -> int:
        """KPIs at risk or off track, in % of the live KPIs."""
        return round(100 * self.troubled / self.kpis) if self.kpis else 0

    @property
    def silent(self) -> bool:
        return bool(self.silent_reasons)

    @property
    def silent_labels(self) -> list[str]:
        return [str(SILENT_REASONS[reason]) for reason in self.silent_reasons]

    def get_phase_display(self) -> str:
        from partnerships.models import Partnership

        return str(dict(Partnership.Phase.choices).get(self.phase, self.phase))


def _risk(row: OversightRow):
    """Silent first, then the largest share of KPIs in trouble, then the most reports missing."""
    missing_share = row.missing / row.expected if row.expected else 0
    return (not row.silent, -row.troubled_share, -row.off_track, -missing_share, row.acronym)


# ``?sort=`` (``-`` in front for descending): the column each name orders by.
SORTS = {
    "risk": None,
    "acronym": lambda row: row.acronym.casefold(),
    "phase": lambda row: row.phase,
    "end_date": lambda row: row.end_date,
    "kpis": lambda row: row.kpis,
    "on_time": lambda row: row.on_time_rate,
    "missing": lambda row: row.missing,
    "last_activity": lambda row: row.last_activity,
    "open_reviews": lambda row: row.open_reviews,
    "oldest_review": lambda row: row.oldest_review_days,
}
SORT_CHOICES = [name for key in SORTS for name in (key, f"-{key}")]


def sort_rows(rows: list[OversightRow], sort: str = "risk") -> list[OversightRow]:
    """The rows in the order ``sort`` names (one of ``SORT_CHOICES``; the risk order for any
    other); rows without a value for the column come last either way."""
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"))
    if key is None:
        return sorted(rows, key=_risk)
    known = [row for row in rows if key(row) is not None]
    known.sort(key=lambda row: (key(row), row.acronym), reverse=descending)
    return known + sorted((row for row in rows if key(row) is None), key=_risk)


def activity_times(partnership_ids) -> dict[int, datetime]:
    """{partnership: the latest change of its strategy, its KPIs, its missions or its
    outcomes}, in one query (the values' reports come with ``reporting_of``)."""
    from missions.models import Mission, Outcome
    from strategy.models import KPI, Strategy

    ids = list(partnership_ids)
    latest: dict[int, datetime] = {}
    if not ids:
        return latest
    changes = [
        Strategy.objects.filter(partnership_id__in=ids)
        .values_list("partnership_id")
        .annotate(at=Max("updated_at")),
        KPI.objects.filter(objective__strategy__partnership_id__in=ids)
        .values_list("objective__strategy__partnership_id")
        .annotate(at=Max("updated_at")),
        Mission.objects.filter(partnership_id__in=ids)
        .values_list("partnership_id")
        .annotate(at=Max("updated_at")),
        Outcome.objects.filter(partnership_id__in=ids)
        .values_list("partnership_id")
        .annotate(at=Max("created_at")),
    ]
    # One query: the four grouped reads side by side.
    rows = changes[0].order_by().union(*(q.order_by() for q in changes[1:]), all=True)
    for pk, at in rows:
        if at is not None and (pk not in latest or at > latest[pk]):
            latest[pk] = at
    return latest


def _later(*times):
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _partnership_rows(partnerships, today: date) -> dict[int, OversightRow]:
    from strategy.models import Strategy

    open_reviews = Review.objects.filter(state=Review.State.OPEN)
    rows = (
        partnerships.order_by()
        .annotate(
            adopted=Exists(
                Strategy.objects.filter(partnership=OuterRef("pk"), status=Strategy.Status.ADOPTED)
            ),
            # A live strategy (``live_strategies``) exists when an adopted or a draft one does.
            has_strategy=Exists(
                Strategy.objects.filter(
                    partnership=OuterRef("pk"),
                    status__in=[Strategy.Status.ADOPTED, Strategy.Status.DRAFT],
                )
            ),
            open_review_count=per_row(open_reviews, Count("pk"), by="partnership"),
            oldest_review=per_row(open_reviews, Min("created_at"), by="partnership", default=None),
        )
        .values(
            "pk",
            "acronym",
            "name",
            "programme__code",
            "generation",
            "phase",
            "status",
            "start_date",
            "end_date",
            "last_activity_on",
            "adopted",
            "has_strategy",
            "open_review_count",
            "oldest_review",
        )
    )
    result = {}
    for row in rows:
        oldest = row["oldest_review"]
        result[row["pk"]] = OversightRow(
            pk=row["pk"],
            acronym=row["acronym"],
            name=row["name"],
            programme=row["programme__code"],
            generation=row["generation"],
            phase=row["phase"],
            status=row["status"],
            end_date=row["end_date"],
            activity=activity_state(SimpleNamespace(**row), today),
            adopted=row["adopted"],
            has_strategy=row["has_strategy"],
            open_reviews=row["open_review_count"],
            oldest_review=oldest,
            oldest_review_days=(today - timezone.localdate(oldest)).days if oldest else None,
        )
    return result


def oversight(
    partnerships,
    *,
    today: date | None = None,
    phase: str | None = None,
    silent: bool = False,
    sort: str = "risk",
) -> list[OversightRow]:
    """One row per partnership of ``partnerships`` (already scoped and filtered by programme
    and generation, e.g. ``filtered_partnerships``), of a ``phase``, only the silent ones when
    ``silent``, in the order ``sort`` names.

    A report is expected for every hand-reported KPI of the live strategy and every reporting
    period whose report is due (period end + ``REPORTING_GRACE`` on or before today). It is
    made on time when a submitted or approved value (the responsible partner's, or any
    partner's when none is named) was first reported by the due date, late when after it, and
    missing when there is none. A partnership is silent when it has no strategy, no live KPIs,
    or nothing reported of what was due."""
    from strategy.models import KPI
    from strategy.selectors import live_strategies

    from ..models import PartnershipFigures

    today = today or timezone.localdate()
    if phase:
        partnerships = partnerships.filter(phase=phase)
    rows = _partnership_rows(partnerships, today)
    live = live_strategies(partnerships.order_by().values("pk"))
    kpis = KPI.objects.filter(objective__strategy__in=live.values("pk")).order_by()
    for partnership_id, n, off_track, at_risk, no_data in kpis.values_list(
        "objective__strategy__partnership_id"
    ).annotate(
        n=Count("pk"),
        off_track=Count("pk", filter=Q(status__status=Status.OFF_TRACK)),
        at_risk=Count("pk", filter=Q(status__status=Status.AT_RISK)),
        no_data=Count("pk", filter=Q(status__status=Status.NO_DATA) | Q(status__isnull=True)),
    ):
        row = rows[partnership_id]
        row.kpis, row.off_track, row.at_risk, row.no_data = n, off_track, at_risk, no_data
    # The reports: as the recompute jobs stored them (with the KPI statuses, on every change
    # and nightly), live for a partnership that has none yet and for a look at another day.
    stored = {}
    if today == timezone.localdate():
        stored = {
            pk: (expected, on_time, late, last)
            for pk, expected, on_time, late, last in PartnershipFigures.objects.filter(
                partnership_id__in=partnerships.order_by().values("pk")  # ``rows``, as a subquery
            ).values_list(
                "partnership_id",
                "reports_expected",
                "reports_on_time",
                "reports_late",
                "last_activity",
            )
        }
    stale = [pk for pk in rows if pk not in stored]
    fresh = live_reporting(stale, today)
    changed = activity_times(stale)
    for pk, row in rows.items():
        if pk in stored:
            row.expected, row.on_time, row.late, row.last_activity = stored[pk]
        else:
            row.expected, row.on_time, row.late, last_reported = fresh[pk]
            row.last_activity = _later(last_reported, changed.get(pk))
    for row in rows.values():
        if not row.has_strategy:
            row.silent_reasons.append("no_strategy")
        elif not row.kpis:
            row.silent_reasons.append("no_kpis")
        elif row.expected and not (row.on_time + row.late):
            row.silent_reasons.append("nothing_reported")
    result = [row for row in rows.values() if row.silent or not silent]
    return sort_rows(result, sort)


def reporting_of(kpis, values, reports, today: date) -> dict[int, tuple]:
    """{partnership: (reports expected, on time, late, last reported)} of the live KPIs whose
    values and reports are read already (``kpi_values`` with ``reports``): what the recompute
    stores. A report is expected for every hand-reported KPI and every period whose report is
    due (period end + ``REPORTING_GRACE`` on or before today)."""
    from strategy.models import REPORTING_GRACE

    due_until = today - REPORTING_GRACE
    zone = timezone.get_current_timezone()
    # On time: reported before the day after the due date began, in the portal's time zone
    # (kept in UTC, as the reports are read: aware datetimes of one zone compare fastest).
    deadlines: dict[date, datetime] = {}
    result: dict[int, list] = {}
    for kpi in kpis:
        row = result.setdefault(kpi.objective.strategy.partnership_id, [0, 0, 0, None])
        if not kpi.is_manual:
            continue
        periods = values[kpi.pk].periods
        due = bisect_right(periods, due_until)
        row[0] += due
        firsts = reports.first.get(kpi.pk)
        if firsts:
            expected = set(periods[:due])
            for period, first in firsts.items():
                if period not in expected:
                    continue
                deadline = deadlines.get(period)
                if deadline is None:
                    after = period + REPORTING_GRACE + timedelta(days=1)
                    deadline = datetime.combine(after, time.min, tzinfo=zone).astimezone(UTC)
                    deadlines[period] = deadline
                if first < deadline:
                    row[1] += 1
                else:
                    row[2] += 1
        last = reports.last.get(kpi.pk)
        if last is not None and (row[3] is None or last > row[3]):
            row[3] = last
    return {pk: tuple(row) for pk, row in result.items()}


def live_reporting(partnership_ids, today: date) -> dict[int, tuple]:
    """``reporting_of`` read now, for partnerships whose figures are not stored (yet)."""
    from strategy.models import KPI
    from strategy.selectors import Reports, kpi_values, live_strategies

    ids = list(partnership_ids)
    kpis = []
    if ids:
        kpis = list(
            KPI.objects.filter(
                objective__strategy__in=live_strategies(ids), source=KPI.MANUAL
            ).select_related("objective__strategy")
        )
    reports = Reports()
    found = reporting_of(kpis, kpi_values(kpis, until=today, reports=reports), reports, today)
    return {pk: found.get(pk, (0, 0, 0, None)) for pk in ids}


def oversight_for(
    *,
    user,
    programme: str | None = None,
    generation: int | None = None,
    phase: str | None = None,
    silent: bool = False,
    sort: str = "risk",
) -> list[OversightRow]:
    """``oversight`` of the published partnerships the user sees, of a programme and a
    generation: what the page, its exports and the API read."""
    from .statistics import filtered_partnerships

    partnerships = filtered_partnerships(user=user, programme=programme, generation=generation)
    return oversight(partnerships, phase=phase, silent=silent, sort=sort)


def row_data(row: OversightRow) -> dict:
    """A row as plain data, for the API and the exports."""
    return {
        "partnership": row.pk,
        "acronym": row.acronym,
        "programme": row.programme,
        "generation": row.generation,
        "phase": row.phase,
        "end_date": row.end_date,
        "activity": row.activity,
        "strategy_adopted": row.adopted,
        "live_kpis": row.kpis,
        "off_track": row.off_track,
        "at_risk": row.at_risk,
        "reports_expected": row.expected,
        "reports_on_time": row.on_time,
        "reports_late": row.late,
        "reports_missing": row.missing,
        "on_time_rate": row.on_time_rate,
        "last_activity": row.last_activity,
        "open_reviews": row.open_reviews,
        "oldest_open_review_days": row.oldest_review_days,
        "silent": row.silent,
        "silent_reasons": list(row.silent_reasons),
    }
