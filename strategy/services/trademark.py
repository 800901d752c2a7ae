"""A collective trademark project [Action 13] in one click: an objective on the roadmap with
the steps of registering the mark as its tasks, and the register of licensed members."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from escp_portal.accounts.policy import coordinates
from escp_portal.audit import set_actor
from escp_portal.services import apply_fields, delete_audited, require, save_audited

from ..models import Objective, Strategy, Task, Trademark, TrademarkLicence
from ..rules import can_license
from ..selectors.live import live_strategy_id
from .common import ensure_partner_of

# The steps, in order, and how many weeks after the start each is due. Written for the EU
# trade mark office's route to a collective mark; the coordinator edits them like any task.
STEPS = (
    (gettext_lazy("Agree on the regulations of use of the mark"), 6),
    (gettext_lazy("Go through the office's checklist for collective marks"), 8),
    (gettext_lazy("Search the registers for earlier marks that could conflict"), 10),
    (gettext_lazy("Classify the goods and services the mark will cover"), 12),
    (gettext_lazy("Settle who owns the mark and who files for it"), 14),
    (gettext_lazy("Fill in and file the application"), 18),
    (gettext_lazy("License the first members to use the mark"), 26),
)

TRADEMARK_FIELDS = ("name", "goods_and_services")


def _free_code(strategy: Strategy) -> str:
    taken = set(strategy.objectives.values_list("code", flat=True))
    code, n = "TM", 1
    while code in taken:
        n += 1
        code = f"TM{n}"
    return code


def trademark_start(*, actor, partnership, responsible=(), **data) -> Trademark:
    """Start the project: the mark, an objective on the live strategy, one task per step with
    the chosen responsible partners."""
    require(coordinates(actor, partnership.pk))
    strategy_id = live_strategy_id(partnership.pk)
    if strategy_id is None:
        raise ValidationError(_("Start the strategy first: the project's steps go on its roadmap."))
    for partner in responsible:
        ensure_partner_of(partnership.pk, partner, "responsible")
    trademark = Trademark(partnership=partnership)
    apply_fields(trademark, data, TRADEMARK_FIELDS)
    today = timezone.localdate()
    with transaction.atomic(), set_actor(actor):
        strategy = Strategy.objects.select_for_update().get(pk=strategy_id)
        objective = save_audited(
            actor,
            Objective(
                strategy=strategy,
                code=_free_code(strategy),
                statement=_(
                    "Register %(name)s as a collective EU trade mark and license members to use it."
                )
                % {"name": trademark.name},
                start_date=today,
                target_date=today + timedelta(weeks=STEPS[-1][1]),
                order=strategy.objectives.count() + 1,
            ),
        )
        trademark.objective = objective
        save_audited(actor, trademark)
        for title, weeks in STEPS:
            task = save_audited(
                actor,
                Task(
                    objective=objective, title=str(title), due_date=today + timedelta(weeks=weeks)
                ),
            )
            task.responsible.set(responsible)
    return trademark


def trademark_update(*, actor, trademark: Trademark, **data) -> Trademark:
    require(coordinates(actor, trademark.partnership_id))
    apply_fields(trademark, data, TRADEMARK_FIELDS)
    return save_audited(actor, trademark)


def trademark_delete(*, actor, trademark: Trademark) -> None:
    require(coordinates(actor, trademark.partnership_id))
    delete_audited(actor, trademark)


LICENCE_FIELDS = ("licensed_on", "scope")


def licence_create(*, actor, trademark: Trademark, member, **data) -> TrademarkLicence:
    """Put a member of a current partner cluster on the mark's register."""
    require(can_license(actor, trademark, member))
    licence = TrademarkLicence(trademark=trademark, member=member)
    apply_fields(licence, data, LICENCE_FIELDS)
    if licence.licensed_on and licence.licensed_on > timezone.localdate() + timedelta(days=366):
        raise ValidationError({"licensed_on": _("Enter a date within the coming year.")})
    return save_audited(actor, licence)


def licence_update(*, actor, licence: TrademarkLicence, **data) -> TrademarkLicence:
    require(can_license(actor, licence.trademark, licence.member))
    apply_fields(licence, data, LICENCE_FIELDS)
    return save_audited(actor, licence)


def licence_delete(*, actor, licence: TrademarkLicence) -> None:
    require(can_license(actor, licence.trademark, licence.member))
    delete_audited(actor, licence)
