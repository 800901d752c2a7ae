"""Writes of the value chains."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import can_edit, coordinates
from escp_portal.audit import set_actor
from escp_portal.services import apply_fields, delete_audited, require, save_audited

from ..models import StageAssignment, ValueChain, ValueChainStage
from ..rules import can_place
from .common import ensure_partner_of


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
    with transaction.atomic(), set_actor(actor):
        save_audited(actor, stage)
        stage.depends_on.set(depends_on)
    return stage


def assignment_create(
    *, actor, stage: ValueChainStage, partner=None, member=None, contribution=""
) -> StageAssignment:
    """Coordinators place any partner or member; a cluster manager places their own cluster or
    its members."""
    partnership_id = stage.chain.partnership_id
    if partner is not None:
        ensure_partner_of(partnership_id, partner, "partner")
    elif member is not None:
        partner_clusters = stage.chain.partnership.partners.values("cluster")
        if not member.memberships.filter(cluster__in=partner_clusters).exists():
            raise ValidationError({"member": _("Choose a member of a partner cluster.")})
    else:
        raise ValidationError(_("Choose a partner or a member."))
    require(can_place(actor, partnership_id, partner=partner, member=member))
    return save_audited(
        actor,
        StageAssignment(stage=stage, partner=partner, member=member, contribution=contribution),
    )


def assignment_delete(*, actor, assignment: StageAssignment) -> None:
    """Whoever may place it (``can_place``) removes a placement."""
    require(
        can_place(
            actor,
            assignment.stage.chain.partnership_id,
            partner=assignment.partner,
            member=assignment.member,
        )
    )
    delete_audited(actor, assignment)
