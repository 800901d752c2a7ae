"""Recomputing scoreboards, signing them off, and the qualitative strand."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import scope_for
from escp_portal.jobs.outbox import enqueue
from escp_portal.services import save_audited

from .models import Assessment, KPIStatus, Review, ScoreboardSnapshot, Status
from .scoring import score

COALESCE_SECONDS = 5


def _pending_key(partnership_id: int) -> str:
    return f"scoreboard:pending:{partnership_id}"


def request_recompute(partnership_id: int) -> None:
    """Ask for a recompute once the current transaction commits. Within a transaction, any
    number of writes ask once; across transactions the cache key coalesces a burst into one
    task (delayed a few seconds in production, run at once in-process)."""
    if partnership_id is None:
        return
    for _sids, func, _robust in getattr(connection, "run_on_commit", []):
        if getattr(func, "scoreboard_for", None) == partnership_id:
            return

    def ask():
        from .tasks import recompute_scoreboard

        # add() answers None when the cache is unreachable: then ask anyway (the job is
        # idempotent), only a clear "already pending" skips it.
        if cache.add(_pending_key(partnership_id), 1, timeout=COALESCE_SECONDS * 12) is not False:
            enqueue(
                recompute_scoreboard,
                kwargs={"partnership_id": partnership_id},
                countdown=COALESCE_SECONDS,
            )

    ask.scoreboard_for = partnership_id
    transaction.on_commit(ask)


def live_kpis(partnership_id: int):
    from strategy.models import KPI
    from strategy.selectors import live_strategy_id

    strategy_id = live_strategy_id(partnership_id)
    return (
        KPI.objects.filter(objective__strategy_id=strategy_id)
        .select_related("objective__strategy", "responsible__cluster")
        .order_by("objective__order", "objective__code", "pk")
    )


def totals(partnership_id: int) -> dict:
    """Members and SMEs reached, missions held, outcomes by kind and by country."""
    from missions.models import Mission, Outcome, Participation

    from .statistics import members_and_smes, members_reached

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


def recompute_scoreboard(partnership_id: int, as_of=None) -> dict:
    """Statuses of the partnership's KPIs and today's snapshot, in a fixed number of set-based
    queries: values per KPI and period come from grouped aggregates, never a loop over
    measurements."""
    from strategy.models import Measurement
    from strategy.selectors import kpi_values

    if as_of is None:
        cache.delete(_pending_key(partnership_id))
    today = as_of or timezone.localdate()
    kpis = list(live_kpis(partnership_id))
    values = kpi_values(kpis, until=today)
    last = dict(
        Measurement.objects.filter(kpi__in=kpis, status="approved")
        .values_list("kpi_id")
        .annotate(last=Max("period_end"))
    )
    rows = []
    for kpi in kpis:
        current = values[kpi.pk].current
        result = score(
            baseline=kpi.baseline_value,
            target=kpi.target_value,
            current=current,
            baseline_date=kpi.baseline_date,
            target_date=kpi.target_date,
            # Values are known up to the last ended period: measure the pace there.
            today=values[kpi.pk].periods[-1] if values[kpi.pk].periods else kpi.baseline_date,
            decrease=kpi.direction == "decrease",
        )
        reported = (
            last.get(kpi.pk)
            if kpi.is_manual
            else (values[kpi.pk].periods[-1] if values[kpi.pk].periods else None)
        )
        rows.append(
            KPIStatus(
                kpi=kpi,
                partnership_id=partnership_id,
                current_value=current,
                progress=result.progress,
                expected=result.expected,
                status=result.status,
                last_reported=reported,
            )
        )
    with transaction.atomic():
        if as_of is None:  # a look back writes history only, never today's statuses
            KPIStatus.objects.filter(partnership_id=partnership_id).exclude(kpi__in=kpis).delete()
            KPIStatus.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["kpi"],
                update_fields=[
                    "partnership",
                    "current_value",
                    "progress",
                    "expected",
                    "status",
                    "last_reported",
                    "computed_at",
                ],
            )
        data = {
            "kpis": [
                {
                    "kpi": r.kpi_id,
                    "name": r.kpi.name,
                    "status": r.status,
                    "value": None if r.current_value is None else f"{r.current_value:.2f}",
                    "progress": None if r.progress is None else str(r.progress),
                    "expected": str(r.expected),
                }
                for r in rows
            ],
            "statuses": dict(Counter(r.status for r in rows)),
            "totals": totals(partnership_id),
        }
        ScoreboardSnapshot.objects.update_or_create(
            partnership_id=partnership_id,
            date=today,
            signed_off_at__isnull=True,
            defaults={"data": data},
        )
    return data


def _strict_coordinator(actor, partnership_id: int) -> bool:
    """The partnership's own coordinators (not staff acting in their place)."""
    return partnership_id in scope_for(actor).coordinated_partnerships


def sign_off(*, actor, partnership, period_end) -> ScoreboardSnapshot:
    """Freeze the scoreboard as it is now for a reporting period; later corrections show as a
    difference against it."""
    if not _strict_coordinator(actor, partnership.pk):
        raise PermissionDenied
    ends = {p for kpi in live_kpis(partnership.pk) for p in kpi.periods(timezone.localdate())}
    if period_end not in ends:
        raise ValidationError(_("Sign off the end of a reporting period that has ended."))
    data = recompute_scoreboard(partnership.pk)
    try:
        with transaction.atomic():
            return ScoreboardSnapshot.objects.create(
                partnership=partnership,
                date=timezone.localdate(),
                data=data,
                period_end=period_end,
                signed_off_by=actor,
                signed_off_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ValidationError(_("This period is already signed off.")) from exc


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


def assessment_save(*, actor, partnership, assessment=None, **data) -> Assessment:
    if not _strict_coordinator(actor, partnership.pk):
        raise PermissionDenied
    assessment = assessment or Assessment(partnership=partnership, created_by=actor)
    for name in ("kind", "date", "title", "findings", "adjustments"):
        if name in data:
            value = data[name]
            setattr(assessment, name, value.strip() if isinstance(value, str) else value)
    if assessment.date and assessment.date > timezone.localdate():
        raise ValidationError({"date": _("An assessment is dated when it took place.")})
    return save_audited(actor, assessment)


def review_open(*, actor, partnership, flag, comment, kpi=None, objective=None) -> Review:
    """EC officers flag a KPI or objective; the coordinators answer."""
    if not scope_for(actor).is_officer:
        raise PermissionDenied
    comment = (comment or "").strip()
    owners = [
        kpi.objective.strategy.partnership_id if kpi else None,
        objective.strategy.partnership_id if objective else None,
    ]
    if any(owner not in (None, partnership.pk) for owner in owners):
        raise ValidationError(_("Flag a KPI or objective of this partnership."))
    review = Review(
        partnership=partnership,
        kpi=kpi,
        objective=objective,
        flag=flag,
        comment=comment,
        created_by=actor,
    )
    return save_audited(actor, review)


def review_answer(*, actor, review: Review, response: str) -> Review:
    if not _strict_coordinator(actor, review.partnership_id):
        raise PermissionDenied
    if review.state != Review.State.OPEN:
        raise ValidationError(_("This review was answered already."))
    if not response.strip():
        raise ValidationError({"response": _("Write the answer.")})
    review.response = response.strip()
    review.state = Review.State.ANSWERED
    review.responded_by = actor
    review.responded_at = timezone.now()
    return save_audited(actor, review)
