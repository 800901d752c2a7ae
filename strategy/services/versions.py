"""Writes of the strategy versions and their objectives."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import can_create, can_edit, coordinates
from escp_portal.audit import set_actor
from escp_portal.services import apply_fields, delete_audited, require, save_audited

from ..models import KPI, Measurement, Objective, Strategy
from .breakdowns import copy_parts
from .common import ensure_editable, ensure_partner_of
from .coordination import adoption_recorded

STRATEGY_FIELDS = ("vision", "mission")


def strategy_create(*, actor, partnership, **data) -> Strategy:
    require(coordinates(actor, partnership.pk))
    with transaction.atomic():
        # The partnership's row is locked: a second "start" waits for the first, then sees its
        # draft (and the constraint one_draft_strategy holds whatever else writes).
        type(partnership)._base_manager.select_for_update().filter(pk=partnership.pk).first()
        if Strategy.objects.filter(partnership=partnership, status=Strategy.Status.DRAFT).exists():
            raise ValidationError(_("A draft version exists already: work on it."))
        last = Strategy.objects.filter(partnership=partnership).aggregate(v=Max("version"))["v"]
        strategy = Strategy(partnership=partnership, version=(last or 0) + 1)
        apply_fields(strategy, data, STRATEGY_FIELDS)
        return save_audited(actor, strategy)


def strategy_update(*, actor, strategy: Strategy, **data) -> Strategy:
    require(can_edit(actor, strategy))
    ensure_editable(strategy)
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
                source = measurement.pk
                measurement.pk, measurement.kpi = None, kpi
                measurement.save()
                copy_parts(source, measurement)
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
        adoption_recorded(strategy)
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
                for item in milestones:
                    item.pk, item.kpi = None, kpi
                    item.save()
                for item in measurements:
                    source = item.pk
                    item.pk, item.kpi = None, kpi
                    item.save()
                    copy_parts(source, item)
            for task in tasks:
                responsible = list(task.responsible.all())
                task.pk, task.objective = None, objective
                task.save()
                task.responsible.set(responsible)
    return draft


OBJECTIVE_FIELDS = (
    "code",
    "statement",
    "start_date",
    "target_date",
    "owner",
    "benefits_smes",
    "order",
)


def objective_create(*, actor, strategy: Strategy, **data) -> Objective:
    require(can_create(actor, Objective, strategy))
    ensure_editable(strategy)
    objective = Objective(strategy=strategy)
    apply_fields(objective, data, OBJECTIVE_FIELDS)
    ensure_partner_of(strategy.partnership_id, objective.owner, "owner")
    return save_audited(actor, objective)


def objective_update(*, actor, objective: Objective, **data) -> Objective:
    require(can_edit(actor, objective))
    ensure_editable(objective.strategy)
    apply_fields(objective, data, OBJECTIVE_FIELDS)
    ensure_partner_of(objective.strategy.partnership_id, objective.owner, "owner")
    return save_audited(actor, objective)


def objective_delete(*, actor, objective: Objective) -> None:
    require(can_edit(actor, objective))
    ensure_editable(objective.strategy)
    delete_audited(actor, objective)
