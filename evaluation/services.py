"""The evaluation's writes: recomputing scoreboards, signing them off, and the qualitative
strand (assessments, reviews and their answers). Each write by a person takes the actor and asks
``evaluation.rules``; the reads are in ``evaluation.selectors``."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.jobs.outbox import enqueue
from escp_portal.services import save_audited
from escp_portal.webhooks.services import emit_many

from . import rules, selectors
from .models import Assessment, KPIStatus, PartnershipFigures, Review, ScoreboardSnapshot

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


def recompute_scoreboard(partnership_id: int, as_of=None) -> dict:
    """Store the statuses of the partnership's KPIs and today's snapshot (the signals' and the
    nightly job's write; no actor). A look back (``as_of``) writes that day's snapshot only,
    never today's statuses."""
    return recompute_scoreboards([partnership_id], as_of=as_of)[partnership_id]


def recompute_scoreboards(partnership_ids, as_of=None) -> dict[int, dict]:
    """``recompute_scoreboard`` of many partnerships at once, in a fixed number of queries
    whatever their number (the nightly job takes them a batch at a time): the statuses in one
    upsert, the snapshots in one update and one insert, and (for today) the figures the
    programme pages add up, from the same values."""
    ids = list(partnership_ids)
    if as_of is None:
        cache.delete_many([_pending_key(pk) for pk in ids])
    today = as_of or timezone.localdate()
    computed = selectors.kpi_statuses_many(ids, as_of=today)
    totals = selectors.totals_many(ids)
    data = {pk: selectors.snapshot_data(pk, computed.statuses[pk], totals[pk]) for pk in ids}
    rows = [row for pk in ids for row in computed.statuses[pk]]
    with transaction.atomic():
        if as_of is None:
            KPIStatus.objects.filter(partnership_id__in=ids).exclude(
                kpi__in=[row.kpi for row in rows]
            ).delete()
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
        existing = {
            snapshot.partnership_id: snapshot
            for snapshot in ScoreboardSnapshot.objects.filter(
                partnership_id__in=ids, date=today, signed_off_at__isnull=True
            ).only("pk", "partnership_id")
        }
        for pk, snapshot in existing.items():
            snapshot.data = data[pk]
        ScoreboardSnapshot.objects.bulk_update(existing.values(), ["data"])
        created = ScoreboardSnapshot.objects.bulk_create(
            [
                ScoreboardSnapshot(partnership_id=pk, date=today, data=data[pk])
                for pk in ids
                if pk not in existing
            ]
        )
        if as_of is None:
            _store(ids, today, computed, totals)
            for snapshot in existing.values():
                snapshot.date = today  # loaded without it: no query to read it back
            emit_many("scoreboard.recomputed", [*existing.values(), *created])
    return data


def store_figures(partnership_ids, today=None) -> int:
    """Store the partnerships' figures that the programme pages read (their core-indicator
    values and their reports), computed now, in one upsert."""
    today = today or timezone.localdate()
    ids = list(partnership_ids)
    computed = selectors.kpi_statuses_many(ids, as_of=today)
    return _store(ids, today, computed, selectors.totals_many(ids))


ACTIVITY = ("missions_by_country", "outcomes_by_kind", "outcomes_by_country", "outcomes_value")


def _store(ids, today, computed, totals) -> int:
    core = selectors.core_values_of(computed.kpis, computed.values)
    reports = selectors.reporting_of(computed.kpis, computed.values, computed.reports, today)
    changed = selectors.activity_times(ids)
    rows = []
    for pk in ids:
        expected, on_time, late, last = reports.get(pk, (0, 0, 0, None))
        rows.append(
            PartnershipFigures(
                partnership_id=pk,
                as_of=today,
                core_values=core.get(pk, []),
                reports_expected=expected,
                reports_on_time=on_time,
                reports_late=late,
                last_reported=last,
                last_activity=max((t for t in (last, changed.get(pk)) if t), default=None),
                activity={key: totals[pk][key] for key in ACTIVITY},
            )
        )
    PartnershipFigures.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["partnership"],
        update_fields=[
            "as_of",
            "core_values",
            "computed_at",
            "reports_expected",
            "reports_on_time",
            "reports_late",
            "last_reported",
            "last_activity",
            "activity",
        ],
    )
    _record_activity(rows)
    return len(ids)


def _record_activity(rows) -> None:
    """The day of each partnership's latest activity, on the partnership itself: what the
    partnerships app's one rule of "active or no recent activity" reads."""
    from partnerships.models import Partnership

    days = {r.partnership_id: timezone.localdate(r.last_activity) for r in rows if r.last_activity}
    current = Partnership.objects.filter(pk__in=list(days)).values_list("pk", "last_activity_on")
    changed = [
        Partnership(pk=pk, last_activity_on=days[pk]) for pk, day in current if day != days[pk]
    ]
    Partnership.objects.bulk_update(changed, ["last_activity_on"], batch_size=500)


def scoreboard_recompute(*, actor, partnership) -> dict:
    """ "Recompute now", asked by a coordinator."""
    if not rules.can_recompute(actor, partnership.pk):
        raise PermissionDenied
    return recompute_scoreboard(partnership.pk)


def sign_off(*, actor, partnership, period_end) -> ScoreboardSnapshot:
    """Freeze the scoreboard as it is now for a reporting period; later corrections show as a
    difference against it."""
    if not rules.can_sign_off(actor, partnership.pk):
        raise PermissionDenied
    ends = {
        p for kpi in selectors.live_kpis(partnership.pk) for p in kpi.periods(timezone.localdate())
    }
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


def assessment_save(*, actor, partnership, **data) -> Assessment:
    """A coordinator records an assessment (a survey, interviews, a workshop) of the
    partnership."""
    if not rules.can_record_assessment(actor, partnership.pk):
        raise PermissionDenied
    assessment = Assessment(partnership=partnership, created_by=actor)
    for name in ("kind", "date", "title", "findings", "adjustments"):
        if name in data:
            value = data[name]
            setattr(assessment, name, value.strip() if isinstance(value, str) else value)
    if assessment.date and assessment.date > timezone.localdate():
        raise ValidationError({"date": _("An assessment is dated when it took place.")})
    return save_audited(actor, assessment)


def review_open(*, actor, partnership, flag, comment, kpi=None, objective=None) -> Review:
    """EC officers flag a KPI or objective; the coordinators answer."""
    if not rules.can_open_review(actor):
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
    if not rules.can_answer_review(actor, review.partnership_id):
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
