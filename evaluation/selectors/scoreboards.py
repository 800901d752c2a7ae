"""Reads of a partnership's scoreboard: the KPI statuses (stored, or computed without saving),
the daily and signed-off snapshots, the totals, and the qualitative strand (reviews,
assessments). Nothing here writes: the recompute is ``evaluation.services``'."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from ..models import Assessment, KPIStatus, Review, ScoreboardSnapshot, Status
from ..scoring import score
from .statistics import members_and_smes, members_reached

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


def kpi_statuses(partnership_id: int, *, as_of=None) -> list[KPIStatus]:
    """The status of each live KPI as of a day (today by default), computed from the values in
    a fixed number of set-based queries (grouped aggregates, never a loop over measurements;
    the milestones of all the KPIs in one). The rows are not saved:
    ``services.recompute_scoreboard`` stores them."""
    from strategy.models import Measurement
    from strategy.selectors import kpi_values

    today = as_of or timezone.localdate()
    kpis = list(live_kpis(partnership_id).prefetch_related("milestones"))
    values = kpi_values(kpis, until=today)
    last = dict(
        Measurement.objects.filter(kpi__in=kpis, status="approved")
        .values_list("kpi_id")
        .annotate(last=Max("period_end"))
    )
    rows = []
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
            milestones=[(m.date, m.value) for m in kpi.milestones.all()],
        )
        reported = last.get(kpi.pk) if kpi.is_manual else (periods[-1] if periods else None)
        rows.append(
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
    return rows


def snapshot_data(partnership_id: int, statuses) -> dict:
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
        "totals": totals(partnership_id),
    }


def totals(partnership_id: int) -> dict:
    """Members and SMEs reached, missions held, outcomes by kind and by country."""
    from missions.models import Mission, Outcome, Participation

    reached = members_reached([partnership_id])
    taking_part = Participation.objects.filter(
        mission__partnership_id=partnership_id,
        member__isnull=False,
        status__in=["confirmed", "attended"],
    ).aggregate(**members_and_smes())
    outcomes = Outcome.objects.filter(partnership_id=partnership_id)
    by_kind = dict(outcomes.values_list("kind").annotate(n=Count("pk")))
    by_country = {
        str(c): n for c, n in outcomes.values_list("counterpart_country").annotate(n=Count("pk"))
    }
    value = sum((v or Decimal(0) for v in outcomes.values_list("value", flat=True)), Decimal(0))
    return {
        "members": reached["members"],
        "smes": reached["smes"],
        "members_in_missions": taking_part["members"],
        "smes_in_missions": taking_part["smes"],
        "missions_held": Mission.objects.filter(
            partnership_id=partnership_id, status="done"
        ).count(),
        "outcomes_by_kind": by_kind,
        "outcomes_by_country": by_country,
        "outcomes_value": str(value),
    }


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
        .order_by("kpi__objective__order", "kpi__objective__code", "kpi")
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
