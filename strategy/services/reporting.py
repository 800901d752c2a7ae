"""Writes of KPIs and their reporting: KPIs and milestones, reported values and their review,
closed periods."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from escp_portal import audit
from escp_portal.accounts.policy import can_create, can_edit, coordinates
from escp_portal.audit import set_actor
from escp_portal.services import RowErrors, apply_fields, delete_audited, require, save_audited
from escp_portal.webhooks.services import emit

from ..models import (
    KPI,
    CoreIndicator,
    Measurement,
    MeasurementRevision,
    Milestone,
    Objective,
    PeriodLock,
)
from ..rules import can_report, can_review
from ..selectors import live_strategy_id
from .breakdowns import check_kept_parts, clean_parts, replace_parts
from .common import as_decimal, ensure_editable, ensure_partner_of

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
    "core_indicator",
    "breakdowns",
    "responsible",
    "data_source",
    "collection_protocol",
)


def kpi_create(*, actor, objective: Objective, milestones=(), **data) -> KPI:
    require(can_create(actor, KPI, objective))
    ensure_editable(objective.strategy)
    kpi = KPI(objective=objective)
    apply_fields(kpi, data, KPI_FIELDS)
    link_core_indicator(kpi)
    ensure_partner_of(objective.strategy.partnership_id, kpi.responsible, "responsible")
    with transaction.atomic(), set_actor(actor):
        save_audited(actor, kpi)
        _set_milestones(kpi, milestones)
    return kpi


def kpi_update(*, actor, kpi: KPI, milestones=None, **data) -> KPI:
    require(can_edit(actor, kpi))
    ensure_editable(kpi.objective.strategy)
    was_linked_to = KPI.objects.filter(pk=kpi.pk).values_list("core_indicator_id", flat=True)
    apply_fields(kpi, data, KPI_FIELDS)
    link_core_indicator(kpi, kept=next(iter(was_linked_to), None))
    ensure_partner_of(kpi.objective.strategy.partnership_id, kpi.responsible, "responsible")
    if not kpi.is_manual and kpi.measurements.exists():
        raise ValidationError(
            {"source": _("Values were reported by hand for this KPI; keep it reported by hand.")}
        )
    if milestones is None:
        outside = kpi.milestones.exclude(
            date__gt=kpi.baseline_date, date__lte=kpi.target_date
        ).first()
        if outside is not None:
            raise ValidationError(
                _(
                    "The milestone of %(d)s would fall outside the new dates: move or delete it "
                    "first."
                )
                % {"d": outside.date.isoformat()}
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


def _check_milestone_date(kpi: KPI, day, field: str) -> None:
    if day is None or not kpi.baseline_date < day <= kpi.target_date:
        raise ValidationError(
            {
                field: _(
                    "A milestone falls after the baseline date (%(baseline)s) and on or before "
                    "the target date (%(target)s)."
                )
                % {"baseline": kpi.baseline_date.isoformat(), "target": kpi.target_date.isoformat()}
            }
        )


def link_core_indicator(kpi: KPI, kept: int | None = None) -> None:
    """A KPI taken from the portal's records counts towards its source's core indicator; one
    reported by hand towards the one chosen, which must count in the same unit and be open for
    new links (a retired one stays where it was kept)."""
    from ..sources import registry

    source = registry().get(kpi.source) if not kpi.is_manual else None
    if source is not None:
        kpi.core_indicator = (
            CoreIndicator.objects.filter(code=source.indicator).first()
            if source.indicator
            else None
        )
        return
    indicator = kpi.core_indicator
    if indicator is None:
        return
    if not indicator.same_unit(kpi.unit):
        raise ValidationError(
            {
                "core_indicator": _(
                    "%(indicator)s is counted in %(unit)s: give the KPI that unit, or leave it "
                    "unlinked."
                )
                % {"indicator": indicator.name, "unit": indicator.unit}
            }
        )
    if not indicator.active and indicator.pk != kept:
        raise ValidationError({"core_indicator": _("This core indicator takes no new links.")})


def _set_milestones(kpi: KPI, milestones) -> None:
    items = [Milestone(kpi=kpi, date=m["date"], value=m["value"]) for m in milestones]
    for item in items:
        _check_milestone_date(kpi, item.date, "milestones")
    if len({item.date for item in items}) < len(items):
        raise ValidationError({"milestones": _("Two milestones fall on the same date.")})
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
        elif current.value != as_decimal(item.value, "milestones"):
            current.value = item.value
            current.save()
    audit.log_created(Milestone.objects.bulk_create(new))


def milestone_save(*, actor, kpi: KPI, milestone: Milestone | None = None, date, value):
    """Add a milestone to a KPI (``milestone`` None) or change one of its milestones: on whoever
    may edit the KPI, with its rules (a replaced version is kept as it was)."""
    require(can_edit(actor, kpi))
    ensure_editable(kpi.objective.strategy)
    if milestone is not None and milestone.kpi_id != kpi.pk:
        raise PermissionDenied
    _check_milestone_date(kpi, date, "date")
    value = as_decimal(value)
    clash = kpi.milestones.filter(date=date)
    if milestone is not None:
        clash = clash.exclude(pk=milestone.pk)
    if clash.exists():
        raise ValidationError({"date": _("The KPI has a milestone on this date already.")})
    milestone = milestone or Milestone(kpi=kpi)
    milestone.date, milestone.value = date, value
    return save_audited(actor, milestone)


def milestone_delete(*, actor, milestone: Milestone) -> None:
    kpi = milestone.kpi
    require(can_edit(actor, kpi))
    ensure_editable(kpi.objective.strategy)
    delete_audited(actor, milestone)


def kpi_delete(*, actor, kpi: KPI) -> None:
    require(can_edit(actor, kpi))
    ensure_editable(kpi.objective.strategy)
    delete_audited(actor, kpi)


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
    parts=None,
) -> Measurement:
    """Report (or correct) a KPI's value for a period. A new value is 'submitted' until the
    coordinator approves it; correcting an approved value needs a reason, kept with the old
    value. ``parts``: the value's breakdown (``breakdowns.clean_parts``), written with it;
    None keeps the parts it has (which must still add up)."""
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
    ensure_editable(kpi.objective.strategy)
    if kpi.objective.strategy_id != live_strategy_id(kpi.objective.strategy.partnership_id):
        raise ValidationError(
            _("Report on the adopted version of the strategy; this one is a draft of the next.")
        )
    _check_open(kpi, period_end)
    value = as_decimal(value)
    rows = None if parts is None else clean_parts(kpi, value, parts)
    reason = str(reason or "")
    with transaction.atomic(), set_actor(actor):
        measurement = (
            Measurement.objects.select_for_update()
            .filter(kpi=kpi, period_end=period_end, partner=partner)
            .first()
        )
        if measurement is None:
            measurement = Measurement(kpi=kpi, period_end=period_end, partner=partner)
        else:
            # The KPI and partner checked above, not read again with their objective and
            # strategy when the value is saved, announced and answered.
            measurement.kpi, measurement.partner = kpi, partner
            if measurement.status == Measurement.Status.APPROVED:
                if not reason.strip():
                    raise ValidationError(
                        {"reason": _("This value was approved: say why it is corrected.")}
                    )
                MeasurementRevision.objects.create(
                    measurement=measurement,
                    old_value=measurement.value,
                    new_value=value,
                    old_status=measurement.status,
                    old_note=measurement.note,
                    old_evidence_url=measurement.evidence_url,
                    # The same stored file: a new one is saved under another name, so the approved
                    # evidence stays downloadable from the history.
                    old_evidence_file=measurement.evidence_file.name or "",
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
        if rows is None and measurement.pk:
            check_kept_parts(measurement, value)
        # The KPI, the partner and the actor are the rows checked above: not looked up again.
        measurement.full_clean(
            exclude={"kpi", "partner", "reported_by"},
            validate_unique=False,
            validate_constraints=False,
        )
        measurement.save()
        if rows is not None:
            replace_parts(measurement, rows)
        emit("measurement.submitted", measurement)
    return measurement


def _review(actor, measurement: Measurement, status: str, comment: str, seen_value) -> Measurement:
    """The review applies to the value the coordinator saw (``seen_value``, when given): the
    row is locked and read again, and a value corrected in the meantime is not approved."""
    kpi = measurement.kpi
    require(can_review(actor, measurement))
    ensure_editable(kpi.objective.strategy)
    _check_open(kpi, measurement.period_end)
    with transaction.atomic(), set_actor(actor):
        current = Measurement.objects.select_for_update().get(pk=measurement.pk)
        if seen_value not in (None, "") and as_decimal(seen_value) != current.value:
            raise ValidationError(
                _(
                    "The value was changed to %(value)s since you saw it; nothing was done. "
                    "Check the new value and review it again."
                )
                % {"value": current.value}
            )
        if current.status == status:
            if status == Measurement.Status.APPROVED:
                raise ValidationError(_("This value is already approved."))
            raise ValidationError(_("This value was already returned."))
        current.status = status
        current.review_comment = comment
        current.reviewed_by = actor
        current.reviewed_at = timezone.now()
        current.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
        if status == Measurement.Status.APPROVED:
            emit("measurement.approved", current)
    for name in ("value", "status", "review_comment", "reviewed_by_id", "reviewed_at"):
        setattr(measurement, name, getattr(current, name))
    return current


def measurement_approve(*, actor, measurement: Measurement, seen_value=None) -> Measurement:
    if measurement.status == Measurement.Status.APPROVED:
        raise ValidationError(_("This value is already approved."))
    return _review(actor, measurement, Measurement.Status.APPROVED, "", seen_value)


def measurement_return(
    *, actor, measurement: Measurement, comment: str, seen_value=None
) -> Measurement:
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what needs revising.")})
    if measurement.status == Measurement.Status.RETURNED:
        raise ValidationError(_("This value was already returned."))
    return _review(actor, measurement, Measurement.Status.RETURNED, comment.strip(), seen_value)


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
    each row (a row's ``parts``: its breakdown, as ``measurement_report`` takes it)."""
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
                            parts=row.get("parts"),
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
