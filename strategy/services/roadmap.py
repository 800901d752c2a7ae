"""Writes of the roadmap."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import can_create, can_edit
from escp_portal.audit import set_actor
from escp_portal.services import apply_fields, delete_audited, require, save_audited

from ..models import Objective, Task
from ..rules import can_update_task_status
from .common import ensure_editable, ensure_partner_of

TASK_FIELDS = ("title", "description", "due_date", "status", "completed_on")


def task_create(*, actor, objective: Objective, responsible=(), **data) -> Task:
    require(can_create(actor, Task, objective))
    ensure_editable(objective.strategy)
    task = Task(objective=objective)
    apply_fields(task, data, TASK_FIELDS)
    for partner in responsible:
        ensure_partner_of(objective.strategy.partnership_id, partner, "responsible")
    with transaction.atomic(), set_actor(actor):
        save_audited(actor, task)
        task.responsible.set(responsible)
    return task


def task_update(*, actor, task: Task, responsible=None, **data) -> Task:
    """Coordinators change anything; a responsible partner's manager changes the status."""
    if not can_edit(actor, task):
        require(
            set(data) <= {"status", "completed_on"}
            and responsible is None
            and can_update_task_status(actor, task)
        )
    ensure_editable(task.objective.strategy)
    apply_fields(task, data, TASK_FIELDS)
    if task.status == Task.Status.DONE and task.completed_on is None:
        task.completed_on = timezone.localdate()
    if task.completed_on and task.completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("A task cannot be completed in the future.")})
    if task.status != Task.Status.DONE:
        task.completed_on = None
    with transaction.atomic(), set_actor(actor):
        save_audited(actor, task)
        if responsible is not None:
            for partner in responsible:
                ensure_partner_of(task.objective.strategy.partnership_id, partner, "responsible")
            task.responsible.set(responsible)
    return task


def task_delete(*, actor, task: Task) -> None:
    require(can_edit(actor, task))
    ensure_editable(task.objective.strategy)
    delete_audited(actor, task)
