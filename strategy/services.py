"""Every write to the joint strategy, with its rules; pages, API and tasks call these."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Max, Subquery, When
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from escp_portal import audit
from escp_portal.accounts.policy import can_create, can_edit, coordinates, scope_for
from escp_portal.audit import set_actor
from escp_portal.services import RowErrors, apply_fields, delete_audited, require, save_audited

from .models import (
    KPI,
    Measurement,
    MeasurementRevision,
    Milestone,
    Objective,
    PeriodLock,
    StageAssignment,
    Strategy,
    TargetMarket,
    Task,
    ValueChain,
    ValueChainStage,
)


def _editable(strategy: Strategy) -> None:
    if strategy.status == Strategy.Status.REVISED:
        raise ValidationError(
            _("Version %(v)s was replaced by a later one and is kept as it was.")
            % {"v": strategy.version}
        )


# --- strategy versions ---------------------------------------------------------------------------

STRATEGY_FIELDS = ("vision", "mission")


def strategy_create(*, actor, partnership, **data) -> Strategy:
    require(coordinates(actor, partnership.pk))
    if Strategy.objects.filter(partnership=partnership, status=Strategy.Status.DRAFT).exists():
        raise ValidationError(_("A draft version exists already: work on it."))
    with transaction.atomic():
        last = Strategy.objects.filter(partnership=partnership).aggregate(v=Max("version"))["v"]
        strategy = Strategy(partnership=partnership, version=(last or 0) + 1)
        apply_fields(strategy, data, STRATEGY_FIELDS)
        return save_audited(actor, strategy)


def strategy_update(*, actor, strategy: Strategy, **data) -> Strategy:
    require(can_edit(actor, strategy))
    _editable(strategy)
    apply_fields(strategy, data, STRATEGY_FIELDS)
    return save_audited(actor, strategy)


def strategy_adopt(*, actor, strategy: Strategy) -> Strategy:
    """Adopt a draft: the version adopted before it becomes 'revised'."""
    require(can_edit(actor, strategy))
    if strategy.status != Strategy.Status.DRAFT:
        raise ValidationError(_("Only a draft can be adopted."))
    with transaction.atomic(), set_actor(actor):
        # Values were reported on the adopted version while the draft was prepared: the draft's
        # KPIs take their originals' values as they are now, so that nothing is lost.
        for kpi in KPI.objects.filter(objective__strategy=strategy, copied_from__isnull=False):
            kpi.measurements.all().delete()
            for measurement in Measurement.objects.filter(kpi_id=kpi.copied_from_id):
                revisions = list(measurement.revisions.all())
                measurement.pk, measurement.kpi = None, kpi
                measurement.save()
                for revision in revisions:
                    revision.pk, revision.measurement = None, measurement
                    revision.save()
        # Saved one by one (there is one), not with update(): the audit trail sees the change.
        for adopted in Strategy.objects.filter(
            partnership_id=strategy.partnership_id, status=Strategy.Status.ADOPTED
        ):
            adopted.status = Strategy.Status.REVISED
            adopted.save(update_fields=["status", "updated_at"])
        strategy.status = Strategy.Status.ADOPTED
        strategy.adopted_on = timezone.localdate()
        strategy.save()
    return strategy


def strategy_revise(*, actor, strategy: Strategy) -> Strategy:
    """Start the next version as a draft copy of this one: objectives, KPIs, milestones, tasks
    and the values reported so far, so that series continue."""
    require(can_edit(actor, strategy))
    if strategy.status != Strategy.Status.ADOPTED:
        raise ValidationError(_("Revise the adopted version."))
    with transaction.atomic(), set_actor(actor):
        draft = strategy_create(
            actor=actor,
            partnership=strategy.partnership,
            vision=strategy.vision,
            mission=strategy.mission,
        )
        for objective in strategy.objectives.prefetch_related(
            "kpis__milestones", "kpis__measurements", "tasks__responsible"
        ):
            kpis, tasks = list(objective.kpis.all()), list(objective.tasks.all())
            objective.pk, objective.strategy = None, draft
            objective.save()
            for kpi in kpis:
                milestones, measurements = list(kpi.milestones.all()), list(kpi.measurements.all())
                original = kpi.pk
                kpi.pk, kpi.objective, kpi.copied_from_id = None, objective, original
                kpi.save()
                for item in milestones + measurements:
                    item.pk, item.kpi = None, kpi
                    item.save()
            for task in tasks:
                responsible = list(task.responsible.all())
                task.pk, task.objective = None, objective
                task.save()
                task.responsible.set(responsible)
    return draft


# --- objectives, KPIs, tasks ----------------------------------------------------------------------

OBJECTIVE_FIELDS = (
    "code",
    "statement",
    "start_date",
    "target_date",
    "owner",
    "benefits_smes",
    "order",
)
KPI_FIELDS = (
    "name",
    "unit",
    "kind",
    "aggregation",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "frequency",
    "source",
    "responsible",
    "data_source",
    "collection_protocol",
)
TASK_FIELDS = ("title", "description", "due_date", "status", "completed_on")


def _partner_of(partnership_id: int, partner, field: str) -> None:
    if partner is not None and partner.partnership_id != partnership_id:
        raise ValidationError({field: _("Choose a partner of this partnership.")})


def objective_create(*, actor, strategy: Strategy, **data) -> Objective:
    require(can_create(actor, Objective, strategy))
    _editable(strategy)
    objective = Objective(strategy=strategy)
    apply_fields(objective, data, OBJECTIVE_FIELDS)
    _partner_of(strategy.partnership_id, objective.owner, "owner")
    return save_audited(actor, objective)


def objective_update(*, actor, objective: Objective, **data) -> Objective:
    require(can_edit(actor, objective))
    _editable(objective.strategy)
    apply_fields(objective, data, OBJECTIVE_FIELDS)
    _partner_of(objective.strategy.partnership_id, objective.owner, "owner")
    return save_audited(actor, objective)


def objective_delete(*, actor, objective: Objective) -> None:
    require(can_edit(actor, objective))
    _editable(objective.strategy)
    delete_audited(actor, objective)


def kpi_create(*, actor, objective: Objective, milestones=(), **data) -> KPI:
    require(can_create(actor, KPI, objective))
    _editable(objective.strategy)
    kpi = KPI(objective=objective)
    apply_fields(kpi, data, KPI_FIELDS)
    _partner_of(objective.strategy.partnership_id, kpi.responsible, "responsible")
    with transaction.atomic(), set_actor(actor):
        save_audited(actor, kpi)
        _set_milestones(kpi, milestones)
    return kpi


def kpi_update(*, actor, kpi: KPI, milestones=None, **data) -> KPI:
    require(can_edit(actor, kpi))
    _editable(kpi.objective.strategy)
    apply_fields(kpi, data, KPI_FIELDS)
    _partner_of(kpi.objective.strategy.partnership_id, kpi.responsible, "responsible")
    if not kpi.is_manual and kpi.measurements.exists():
        raise ValidationError(
            {"source": _("Values were reported by hand for this KPI; keep it reported by hand.")}
        )
    periods = set(kpi.periods())
    stranded = kpi.measurements.exclude(period_end__in=periods)
    if kpi.pk and stranded.exists():
        raise ValidationError(
            _(
                "Values were reported for periods this change would drop (e.g. %(d)s): keep the "
                "frequency and dates, or start a new KPI."
            )
            % {"d": stranded.first().period_end.isoformat()}
        )
    with transaction.atomic(), set_actor(actor):
        save_audited(actor, kpi)
        if milestones is not None:
            _set_milestones(kpi, milestones)
    return kpi


def _set_milestones(kpi: KPI, milestones) -> None:
    items = [Milestone(kpi=kpi, date=m["date"], value=m["value"]) for m in milestones]
    for item in items:
        if not kpi.baseline_date < item.date <= kpi.target_date:
            raise ValidationError(
                {"milestones": _("A milestone falls between the baseline and target dates.")}
            )
    # Only what changed is written, so that the audit trail shows the changes; the caller sets
    # the actor. bulk_create sends no signals: its entries are written here.
    existing = {m.date: m for m in kpi.milestones.all()}
    wanted = {item.date for item in items}
    for milestone in existing.values():
        if milestone.date not in wanted:
            milestone.delete()
    new = []
    for item in items:
        current = existing.get(item.date)
        if current is None:
            new.append(item)
        elif current.value != _as_decimal(item.value, "milestones"):
            current.value = item.value
            current.save()
    audit.log_created(Milestone.objects.bulk_create(new))


def kpi_delete(*, actor, kpi: KPI) -> None:
    require(can_edit(actor, kpi))
    _editable(kpi.objective.strategy)
    delete_audited(actor, kpi)


def task_create(*, actor, objective: Objective, responsible=(), **data) -> Task:
    require(can_create(actor, Task, objective))
    _editable(objective.strategy)
    task = Task(objective=objective)
    apply_fields(task, data, TASK_FIELDS)
    for partner in responsible:
        _partner_of(objective.strategy.partnership_id, partner, "responsible")
    with transaction.atomic():
        save_audited(actor, task)
        task.responsible.set(responsible)
    return task


def manages_responsible_partner(user, task: Task) -> bool:
    """Does the user manage a partner cluster responsible for the task (and so may update its
    status)?"""
    return task.responsible.filter(cluster_id__in=scope_for(user).managed_clusters).exists()


def task_update(*, actor, task: Task, responsible=None, **data) -> Task:
    """Coordinators change anything; a responsible partner's manager changes the status."""
    if not can_edit(actor, task):
        require(
            set(data) <= {"status", "completed_on"}
            and responsible is None
            and manages_responsible_partner(actor, task)
        )
    _editable(task.objective.strategy)
    apply_fields(task, data, TASK_FIELDS)
    if task.status == Task.Status.DONE and task.completed_on is None:
        task.completed_on = timezone.localdate()
    if task.completed_on and task.completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("A task cannot be completed in the future.")})
    if task.status != Task.Status.DONE:
        task.completed_on = None
    with transaction.atomic():
        save_audited(actor, task)
        if responsible is not None:
            for partner in responsible:
                _partner_of(task.objective.strategy.partnership_id, partner, "responsible")
            task.responsible.set(responsible)
    return task


def task_delete(*, actor, task: Task) -> None:
    require(can_edit(actor, task))
    _editable(task.objective.strategy)
    delete_audited(actor, task)


# --- reporting -----------------------------------------------------------------------------------


def locked_until(partnership_id: int) -> date | None:
    """Periods ending on or before the latest lock are closed."""
    return PeriodLock.objects.filter(partnership_id=partnership_id).aggregate(
        last=Max("period_end")
    )["last"]


def _check_open(kpi: KPI, period_end: date) -> None:
    partnership_id = kpi.objective.strategy.partnership_id
    if PeriodLock.objects.filter(
        partnership_id=partnership_id, period_end__gte=period_end
    ).exists():
        raise ValidationError(
            _(
                "The period ending %(date)s is locked: its values can no longer change. Ask the "
                "coordinator to reopen it."
            )
            % {"date": period_end.isoformat()}
        )


def live_strategy_id(partnership_id: int) -> int | None:
    """The version values are reported on: the adopted one, or a draft when none is adopted."""
    versions = dict(
        Strategy.objects.filter(partnership_id=partnership_id).values_list("status", "pk")
    )
    return versions.get(Strategy.Status.ADOPTED) or versions.get(Strategy.Status.DRAFT)


def live_strategy_subquery(partnership_id: int) -> Subquery:
    """``live_strategy_id`` as a subquery: to read the live strategy's rows in one query."""
    return Subquery(
        Strategy.objects.filter(
            partnership_id=partnership_id,
            status__in=[Strategy.Status.ADOPTED, Strategy.Status.DRAFT],
        )
        .order_by(Case(When(status=Strategy.Status.ADOPTED, then=0), default=1), "version")
        .values("pk")[:1]
    )


def can_report(user, kpi: KPI, partner=None) -> bool:
    """Coordinators report for any partner; a cluster manager for the partner their cluster is,
    and only on KPIs that partner is responsible for."""
    partnership_id = kpi.objective.strategy.partnership_id
    if coordinates(user, partnership_id):
        return True
    partner = partner or kpi.responsible
    return (
        partner is not None
        and kpi.responsible_id == partner.pk
        and partner.cluster_id in scope_for(user).managed_clusters
    )


def _as_decimal(value, field="value") -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e13"):
        raise ValidationError({field: _("Enter a number below 10,000,000,000,000.")})
    return number.quantize(Decimal("0.01"))


def measurement_report(
    *,
    actor,
    kpi: KPI,
    period_end,
    value,
    partner=None,
    evidence_url="",
    evidence_file=None,
    note="",
    reason="",
) -> Measurement:
    """Report (or correct) a KPI's value for a period. A new value is 'submitted' until the
    coordinator approves it; correcting an approved value needs a reason, kept with the old
    value."""
    if isinstance(period_end, str):
        try:
            period_end = parse_date(period_end)
        except ValueError:
            period_end = None
    partner = partner or kpi.responsible
    require(can_report(actor, kpi, partner))
    if not kpi.is_manual:
        raise ValidationError(
            _("This KPI is derived from the portal's records; it is not reported.")
        )
    if partner is None:
        raise ValidationError({"partner": _("The KPI has no responsible partner: name one.")})
    if partner.partnership_id != kpi.objective.strategy.partnership_id:
        raise ValidationError({"partner": _("Choose a partner of this partnership.")})
    if period_end is None or period_end not in kpi.periods():
        raise ValidationError(
            {
                "period_end": _("Not a reporting period of this KPI (it reports %(f)s).")
                % {"f": kpi.get_frequency_display().lower()}
            }
        )
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": _("This period has not ended yet.")})
    _editable(kpi.objective.strategy)
    if kpi.objective.strategy_id != live_strategy_id(kpi.objective.strategy.partnership_id):
        raise ValidationError(
            _("Report on the adopted version of the strategy; this one is a draft of the next.")
        )
    _check_open(kpi, period_end)
    value = _as_decimal(value)
    reason = str(reason or "")
    with transaction.atomic(), set_actor(actor):
        measurement = (
            Measurement.objects.select_for_update()
            .filter(kpi=kpi, period_end=period_end, partner=partner)
            .first()
        )
        if measurement is None:
            measurement = Measurement(kpi=kpi, period_end=period_end, partner=partner)
        elif measurement.status == Measurement.Status.APPROVED:
            if not reason.strip():
                raise ValidationError(
                    {"reason": _("This value was approved: say why it is corrected.")}
                )
            MeasurementRevision.objects.create(
                measurement=measurement,
                old_value=measurement.value,
                new_value=value,
                old_status=measurement.status,
                reason=reason.strip(),
                changed_by=actor,
            )
        measurement.value = value
        measurement.evidence_url = evidence_url or ""
        if evidence_file:
            measurement.evidence_file = evidence_file
        measurement.note = note or ""
        measurement.status = Measurement.Status.SUBMITTED
        measurement.reported_by = actor
        measurement.reviewed_by, measurement.reviewed_at = None, None
        measurement.full_clean(validate_unique=False, validate_constraints=False)
        measurement.save()
    return measurement


def _review(actor, measurement: Measurement, status: str, comment: str) -> Measurement:
    kpi = measurement.kpi
    require(coordinates(actor, kpi.objective.strategy.partnership_id))
    _editable(kpi.objective.strategy)
    _check_open(kpi, measurement.period_end)
    with transaction.atomic(), set_actor(actor):
        measurement.status = status
        measurement.review_comment = comment
        measurement.reviewed_by = actor
        measurement.reviewed_at = timezone.now()
        measurement.save()
    return measurement


def measurement_approve(*, actor, measurement: Measurement) -> Measurement:
    if measurement.status == Measurement.Status.APPROVED:
        raise ValidationError(_("This value is already approved."))
    return _review(actor, measurement, Measurement.Status.APPROVED, "")


def measurement_return(*, actor, measurement: Measurement, comment: str) -> Measurement:
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what needs revising.")})
    if measurement.status == Measurement.Status.RETURNED:
        raise ValidationError(_("This value was already returned."))
    return _review(actor, measurement, Measurement.Status.RETURNED, comment.strip())


def period_lock(*, actor, partnership, period_end: date) -> PeriodLock:
    require(coordinates(actor, partnership.pk))
    live = live_strategy_id(partnership.pk)
    ends = {p for k in KPI.objects.filter(objective__strategy_id=live) for p in k.periods()}
    if period_end not in ends:
        raise ValidationError(_("Lock the end of a reporting period of the strategy."))
    if period_end > timezone.localdate():
        raise ValidationError(_("This period has not ended yet."))
    try:
        with transaction.atomic(), set_actor(actor):
            return PeriodLock.objects.create(
                partnership=partnership, period_end=period_end, locked_by=actor
            )
    except IntegrityError as exc:
        raise ValidationError(_("This period is already locked.")) from exc


def period_unlock(*, actor, partnership, period_end: date) -> None:
    require(coordinates(actor, partnership.pk))
    if PeriodLock.objects.filter(partnership=partnership, period_end__gt=period_end).exists():
        raise ValidationError(_("A later period is locked: reopen that one first."))
    with transaction.atomic(), set_actor(actor):
        deleted, _rows = PeriodLock.objects.filter(
            partnership=partnership, period_end=period_end
        ).delete()
    if not deleted:
        raise ValidationError(_("This period is not locked."))


def measurements_bulk(*, actor, rows: list) -> list[Measurement]:
    """Many values at once (a partner reports a quarter): all rows or none, with the errors of
    each row."""
    errors, results, seen = [], [], {}

    def error(index, field, message):
        errors.append({"index": index, "field": field, "message": str(message)})

    def as_id(value):
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    kpi_ids = [as_id(r.get("kpi")) for r in rows if isinstance(r, dict)]
    kpis = {
        k.pk: k
        for k in KPI.objects.visible_to(actor)
        .select_related("objective__strategy__partnership", "responsible")
        .filter(pk__in=[i for i in kpi_ids if i is not None])
    }
    with transaction.atomic():
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                error(index, "row", _("Expected an object."))
                continue
            kpi = kpis.get(as_id(row.get("kpi")))
            if kpi is None:
                error(index, "kpi", _("No such KPI."))
                continue
            partner = None
            if row.get("partner") is not None:
                partner_id = as_id(row.get("partner"))
                partner = (
                    partner_id
                    and kpi.objective.strategy.partnership.partners.filter(pk=partner_id).first()
                )
                if not partner:
                    error(index, "partner", _("Choose a partner of this partnership."))
                    continue
            key = (kpi.pk, str(row.get("period_end")), (partner or kpi.responsible or kpi).pk)
            if key in seen:
                error(
                    index,
                    "period_end",
                    _("Row %(row)s reports the same period already.") % {"row": seen[key]},
                )
                continue
            seen[key] = index
            try:
                with transaction.atomic():
                    results.append(
                        measurement_report(
                            actor=actor,
                            kpi=kpi,
                            period_end=str(row.get("period_end") or ""),
                            value=row.get("value"),
                            partner=partner,
                            evidence_url=str(row.get("evidence_url") or ""),
                            note=str(row.get("note") or ""),
                            reason=str(row.get("reason") or ""),
                        )
                    )
            except PermissionDenied:
                error(index, "kpi", _("You cannot report this KPI."))
            except ValidationError as exc:
                for field, messages in getattr(exc, "message_dict", {"row": exc.messages}).items():
                    for message in messages:
                        error(index, "row" if field == "__all__" else field, message)
        if errors:
            raise RowErrors(errors)
    return results


# --- value chain ---------------------------------------------------------------------------------


def chain_create(*, actor, partnership, name, description="") -> ValueChain:
    require(coordinates(actor, partnership.pk))
    return save_audited(
        actor, ValueChain(partnership=partnership, name=name, description=description)
    )


def stage_create(*, actor, chain: ValueChain, depends_on=(), **data) -> ValueChainStage:
    """A new stage comes after stages of the same chain (nothing depends on it yet, so it
    cannot close a loop)."""
    require(can_edit(actor, chain))
    stage = ValueChainStage(chain=chain)
    apply_fields(stage, data, ("name", "order", "description"))
    for dependency in depends_on:
        if dependency.chain_id != chain.pk:
            raise ValidationError({"depends_on": _("Choose stages of the same chain.")})
    with transaction.atomic():
        save_audited(actor, stage)
        stage.depends_on.set(depends_on)
    return stage


def assignment_create(
    *, actor, stage: ValueChainStage, partner=None, member=None, contribution=""
) -> StageAssignment:
    """Coordinators place any partner or member; a cluster manager places their own cluster or
    its members."""
    partnership_id = stage.chain.partnership_id
    managed = scope_for(actor).managed_clusters
    if partner is not None:
        _partner_of(partnership_id, partner, "partner")
        own = partner.cluster_id in managed
    elif member is not None:
        own = member.memberships.filter(cluster_id__in=managed).exists()
        partner_clusters = stage.chain.partnership.partners.values("cluster")
        if not member.memberships.filter(cluster__in=partner_clusters).exists():
            raise ValidationError({"member": _("Choose a member of a partner cluster.")})
    else:
        raise ValidationError(_("Choose a partner or a member."))
    require(coordinates(actor, partnership_id) or own)
    return save_audited(
        actor,
        StageAssignment(stage=stage, partner=partner, member=member, contribution=contribution),
    )


def assignment_delete(*, actor, assignment: StageAssignment) -> None:
    partnership_id = assignment.stage.chain.partnership_id
    managed = scope_for(actor).managed_clusters
    own = (assignment.partner and assignment.partner.cluster_id in managed) or (
        assignment.member and assignment.member.memberships.filter(cluster_id__in=managed).exists()
    )
    require(coordinates(actor, partnership_id) or bool(own))
    delete_audited(actor, assignment)


# --- target markets ------------------------------------------------------------------------------

MARKET_FIELDS = ("country", "priority", "rationale", "lead_partner", "local_contact")
STUDY_FIELDS = (
    "segments",
    "market_size_total",
    "market_size_serviceable",
    "target_share",
    "growth",
    "profitability",
    "trends",
    "key_success_factors",
    "sources",
)


def target_market_save(*, actor, partnership, market: TargetMarket | None = None, **data):
    require(coordinates(actor, partnership.pk))
    market = market or TargetMarket(partnership=partnership)
    apply_fields(market, data, MARKET_FIELDS)
    _partner_of(partnership.pk, market.lead_partner, "lead_partner")
    return save_audited(actor, market)


def target_market_delete(*, actor, market: TargetMarket) -> None:
    require(coordinates(actor, market.partnership_id))
    delete_audited(actor, market)


def market_study_save(*, actor, market: TargetMarket, **data):
    from .models import MarketStudy

    require(coordinates(actor, market.partnership_id))
    study = MarketStudy.objects.filter(target_market=market).first() or MarketStudy(
        target_market=market
    )
    apply_fields(study, data, STUDY_FIELDS)
    return save_audited(actor, study)
