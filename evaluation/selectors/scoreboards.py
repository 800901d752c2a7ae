"""Reads of a partnership's scoreboard: the KPI statuses (stored, or computed without saving),
the daily and signed-off snapshots, the totals, and the qualitative strand (reviews,
assessments). Nothing here writes: the recompute is ``evaluation.services``'."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from ..models import Assessment, KPIStatus, Review, ScoreboardSnapshot, Status
from ..scoring import score
from .statistics import members_and_smes

HISTORY_DAYS = 60
# A status keeps its value to the cent, as stored (and as the snapshots show it).
CENT = Decimal("0.01")


def live_kpis(partnership_id: int):
    """The KPIs of the partnership's live strategy, in the scoreboard's order."""
    from strategy.models import KPI
    from strategy.selectors import live_strategy_id

    strategy_id = live_strategy_id(partnership_id)
    return (
        KPI.objects.filter(objective__strategy_id=strategy_id)
        .select_related("objective__strategy", "responsible__cluster")
        .order_by("objective__order", "objective__code", "pk")
    )


def live_kpis_many(partnership_ids):
    """The KPIs of the partnerships' live strategies, in the scoreboard's order."""
    from strategy.models import KPI
    from strategy.selectors import live_strategies

    return (
        KPI.objects.filter(objective__strategy__in=live_strategies(partnership_ids))
        .select_related("objective__strategy")
        .order_by("objective__order", "objective__code", "pk")
    )


def milestones_of(kpis) -> dict[int, list[tuple]]:
    """{KPI id: [(date, value), …]} of the KPIs' milestones, in one query (plain rows: a
    prefetch would build a queryset per KPI, thousands in a nightly batch)."""
    from strategy.models import Milestone

    found: dict[int, list[tuple]] = {}
    for kpi_id, day, value in (
        Milestone.objects.filter(kpi__in=[k.pk for k in kpis])
        .order_by("kpi_id", "date")
        .values_list("kpi_id", "date", "value")
    ):
        found.setdefault(kpi_id, []).append((day, value))
    return found


@dataclass
class Computed:
    """What a recompute works out for many partnerships at once: the statuses of their live
    KPIs (by partnership), and the KPIs with their values (for the figures)."""

    statuses: dict
    kpis: list
    values: dict
    reports: object = None


def kpi_statuses_many(partnership_ids, *, as_of=None) -> Computed:
    """The status of each live KPI of the partnerships as of a day (today by default), computed
    from the values in a fixed number of set-based queries whatever the number of partnerships
    and KPIs (grouped aggregates, never a loop over measurements; the milestones of all the
    KPIs in one). The rows are not saved: ``services.recompute_scoreboards`` stores them."""
    from strategy.selectors import Reports, kpi_values

    today = as_of or timezone.localdate()
    ids = list(partnership_ids)
    kpis = list(live_kpis_many(ids)) if ids else []
    reports = Reports()
    values = kpi_values(kpis, until=today, reports=reports)
    milestones = milestones_of(kpis)
    statuses = {pk: [] for pk in ids}
    for kpi in kpis:
        current = values[kpi.pk].current
        periods = values[kpi.pk].periods
        result = score(
            baseline=kpi.baseline_value,
            target=kpi.target_value,
            current=current,
            baseline_date=kpi.baseline_date,
            target_date=kpi.target_date,
            # Values are known up to the last ended period: measure the pace there.
            today=periods[-1] if periods else kpi.baseline_date,
            decrease=kpi.direction == "decrease",
            milestones=milestones.get(kpi.pk, []),
        )
        if kpi.is_manual:
            # The last period with an approved value (future ones included, as stored).
            reported = max(values[kpi.pk].by_period, default=None)
        else:
            reported = periods[-1] if periods else None
        partnership_id = kpi.objective.strategy.partnership_id
        statuses[partnership_id].append(
            KPIStatus(
                kpi=kpi,
                partnership_id=partnership_id,
                current_value=None if current is None else Decimal(current).quantize(CENT),
                progress=result.progress,
                expected=result.expected,
                status=result.status,
                last_reported=reported,
            )
        )
    return Computed(statuses, kpis, values, reports)


def kpi_statuses(partnership_id: int, *, as_of=None) -> list[KPIStatus]:
    """``kpi_statuses_many`` for one partnership."""
    return kpi_statuses_many([partnership_id], as_of=as_of).statuses[partnership_id]


def snapshot_data(partnership_id: int, statuses, partnership_totals: dict | None = None) -> dict:
    """What a snapshot keeps of the statuses, with the partnership's totals."""
    return {
        "kpis": [
            {
                "kpi": s.kpi_id,
                "name": s.kpi.name,
                "status": s.status,
                "value": None if s.current_value is None else f"{s.current_value:.2f}",
                "progress": None if s.progress is None else str(s.progress),
                "expected": str(s.expected),
            }
            for s in statuses
        ],
        "statuses": dict(Counter(s.status for s in statuses)),
        "totals": partnership_totals if partnership_totals is not None else totals(partnership_id),
    }


def totals(partnership_id: int) -> dict:
    """Members and SMEs reached, missions held, outcomes by kind and by country."""
    return totals_many([partnership_id])[partnership_id]


def totals_many(partnership_ids) -> dict[int, dict]:
    """``totals`` of many partnerships, in one grouped query per table."""
    from missions.models import Mission, Outcome, Participation
    from partnerships.models import Partner

    ids = list(partnership_ids)
    current = {"left_on__isnull": True, "sharing_ended_at__isnull": True}
    member = "cluster__memberships__member"
    reached = {
        pk: (members, smes)
        for pk, members, smes in Partner.objects.filter(partnership_id__in=ids, **current)
        .values_list("partnership_id")
        .annotate(
            members=Count(member, distinct=True),
            smes=Count(member, filter=Q(**{f"{member}__is_sme": True}), distinct=True),
        )
    }
    taking_part = {
        pk: (members, smes)
        for pk, members, smes in Participation.objects.filter(
            mission__partnership_id__in=ids,
            member__isnull=False,
            status__in=["confirmed", "attended"],
        )
        .values_list("mission__partnership_id")
        .annotate(**members_and_smes())
    }
    held: dict[int, int] = {}
    by_country: dict[int, dict] = {}
    for pk, country, status, n in (
        Mission.objects.filter(partnership_id__in=ids)
        .exclude(status="cancelled")
        .values_list("partnership_id", "country", "status")
        .annotate(n=Count("pk"))
    ):
        if status == "done":
            held[pk] = held.get(pk, 0) + n
        missions = by_country.setdefault(pk, {})
        missions[str(country)] = missions.get(str(country), 0) + n
    result = {
        pk: {
            "members": reached.get(pk, (0, 0))[0],
            "smes": reached.get(pk, (0, 0))[1],
            "members_in_missions": taking_part.get(pk, (0, 0))[0],
            "smes_in_missions": taking_part.get(pk, (0, 0))[1],
            "missions_held": held.get(pk, 0),
            "missions_by_country": by_country.get(pk, {}),
            "outcomes_by_kind": {},
            "outcomes_by_country": {},
            "outcomes_value": Decimal(0),
        }
        for pk in ids
    }
    for pk, kind, country, n, value in (
        Outcome.objects.filter(partnership_id__in=ids)
        .values_list("partnership_id", "kind", "counterpart_country")
        .annotate(n=Count("pk"), value=Sum("value"))
    ):
        row = result[pk]
        row["outcomes_by_kind"][kind] = row["outcomes_by_kind"].get(kind, 0) + n
        country = str(country)
        row["outcomes_by_country"][country] = row["outcomes_by_country"].get(country, 0) + n
        row["outcomes_value"] += value or Decimal(0)
    for row in result.values():
        # To the cent, as stored (a database's SUM may drop trailing zeros).
        row["outcomes_value"] = str(row["outcomes_value"].quantize(CENT))
    return result


def snapshots(partnership, *, user):
    """The last daily snapshots (oldest first) and the signed-off ones (newest period first),
    in one query: each daily snapshot is ranked among the daily ones only."""
    daily = ExpressionWrapper(Q(signed_off_at__isnull=True), output_field=BooleanField())
    rows = (
        ScoreboardSnapshot.objects.visible_to(user)
        .filter(partnership=partnership)
        .annotate(rank=Window(RowNumber(), partition_by=[daily], order_by=F("date").desc()))
        .filter(Q(signed_off_at__isnull=False) | Q(rank__lte=HISTORY_DAYS))
        .select_related("signed_off_by")
    )
    rows = list(rows)
    history = sorted((s for s in rows if s.signed_off_at is None), key=lambda s: s.date)
    signed = sorted(
        (s for s in rows if s.signed_off_at is not None), key=lambda s: s.period_end, reverse=True
    )
    return history, signed


def stored_statuses(partnership, *, user) -> list[KPIStatus]:
    return list(
        KPIStatus.objects.visible_to(user)
        .filter(partnership=partnership)
        .select_related("kpi__objective")
        .order_by("kpi__objective__order", "kpi__objective__code", "kpi_id")
    )


@dataclass
class Scoreboard:
    statuses: list
    history: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    signed: list = field(default_factory=list)
    # Nothing stored yet: the statuses were computed for this answer and are not saved (the
    # recompute jobs and "Recompute now" save them).
    computed_now: bool = False


def scoreboard(partnership, *, user) -> Scoreboard:
    """The stored statuses, the history, the latest totals and the signed-off snapshots. A
    partnership whose scoreboard was never computed gets its statuses computed here, unsaved:
    a read never writes."""
    from strategy.selectors import live_strategy_id

    statuses = stored_statuses(partnership, user=user)
    history, signed = snapshots(partnership, user=user)
    computed_now = False
    if not statuses and not history and not signed and live_strategy_id(partnership.pk):
        statuses, computed_now = kpi_statuses(partnership.pk), True
    latest = history[-1].data if history else {}
    return Scoreboard(
        statuses=statuses,
        history=history,
        totals=latest.get("totals") or totals(partnership.pk),
        signed=signed,
        computed_now=computed_now,
    )


def differences(signed: ScoreboardSnapshot, statuses) -> list[dict]:
    """KPIs whose value or status changed since the sign-off."""
    before = {row["kpi"]: row for row in signed.data.get("kpis", [])}
    changed = []
    for status in statuses:
        old = before.get(status.kpi_id)
        now_value = None if status.current_value is None else f"{status.current_value:.2f}"
        if old and (old["value"] != now_value or old["status"] != status.status):
            changed.append(
                {
                    "kpi": status.kpi,
                    "before": old,
                    "before_status": Status(old["status"]).label,
                    "value": now_value,
                    "status": status.get_status_display(),
                }
            )
    return changed


def reporting_completeness(partnership, *, periods: int = 4) -> list[dict]:
    """How many of the live KPIs' values came in, for the last ended periods."""
    from strategy.selectors import live_strategy_subquery
    from strategy.selectors import reporting_completeness as completeness

    # The live strategy's KPIs, with the strategy found in the same query.
    return completeness(live_strategy_subquery(partnership.pk))[:periods]


def reviews(partnership, *, user):
    return (
        Review.objects.visible_to(user)
        .filter(partnership=partnership)
        .select_related("kpi", "objective", "created_by")
    )


def assessments(partnership, *, user):
    return Assessment.objects.visible_to(user).filter(partnership=partnership)
