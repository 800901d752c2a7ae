"""Brokers and the opportunity pipeline: keyword-only, with the actor, checked against the
app's rules and audited. An opportunity that reaches an agreement records it as an outcome of
the missions app (MoU or business contract), so that it counts where outcomes count."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.audit import set_actor
from escp_portal.services import apply_fields, require, save_audited
from missions.models import Outcome
from missions.services.missions import outcome_save

from ..models import Broker, Opportunity
from ..rules import can_add, can_change, can_record_agreement
from .common import check_partner, check_same_partnership, erase_person

BROKER_FIELDS = (
    "kind",
    "name",
    "organisation",
    "country",
    "target_market",
    "focus",
    "named_by",
    "email",
    "phone",
    "note",
)
OPPORTUNITY_FIELDS = (
    "title",
    "description",
    "stage",
    "broker",
    "partner",
    "counterpart",
    "counterpart_country",
    "value",
    "owner",
    "next_follow_up",
)
AGREEMENT_KINDS = (Outcome.Kind.MOU, Outcome.Kind.CONTRACT)
# A follow-up is planned within this many days (a later date is most likely mistyped).
FOLLOW_UP_HORIZON = 730


def broker_save(*, actor, partnership, broker: Broker | None = None, **data) -> Broker:
    """Name a broker of the partnership (a partner proposes them), or change one."""
    if broker is None:
        require(can_add(actor, partnership.pk))
        broker = Broker(partnership=partnership, created_by=actor)
    else:
        require(can_change(actor, broker))
        if broker.erased_at:
            raise ValidationError(_("This person's data was erased."))
    apply_fields(broker, data, BROKER_FIELDS)
    check_partner(partnership, broker.named_by, "named_by")
    check_same_partnership(partnership, broker.target_market, "target_market")
    if broker.target_market is not None and broker.target_market.country != broker.country:
        raise ValidationError(
            {"country": _("A broker in a target market is based in that market's country.")}
        )
    save_audited(actor, broker)
    return broker


def broker_erase(*, actor, broker: Broker) -> Broker:
    return erase_person(
        actor=actor, person=broker, fields=("organisation", "email", "phone", "note")
    )


def _check_owner(partnership, owner) -> None:
    from escp_portal.accounts.policy import is_insider

    from ..rules import sees_names

    if owner is not None and not (
        is_insider(owner, partnership.pk) and sees_names(owner, partnership.pk)
    ):
        raise ValidationError(
            {"owner": _("Choose someone who works in this partnership with names.")}
        )


def opportunity_save(
    *, actor, partnership, opportunity: Opportunity | None = None, **data
) -> Opportunity:
    """Add an opportunity to the pipeline, or move it along. A new follow-up date re-arms the
    overdue reminder. Reaching an agreement goes through ``opportunity_agree`` (it records the
    outcome)."""
    if opportunity is None:
        require(can_add(actor, partnership.pk))
        opportunity = Opportunity(partnership=partnership, created_by=actor, owner=actor)
        before = None
    else:
        require(can_change(actor, opportunity))
        before = opportunity.next_follow_up
    if data.get("stage") == Opportunity.Stage.AGREEMENT and (
        opportunity.stage != Opportunity.Stage.AGREEMENT
    ):
        raise ValidationError(
            {"stage": _("Record the agreement with its outcome (the agreement form).")}
        )
    if "owner" in data and data["owner"] is None:
        data["owner"] = opportunity.owner or actor
    apply_fields(opportunity, data, OPPORTUNITY_FIELDS)
    check_same_partnership(partnership, opportunity.broker, "broker")
    check_partner(partnership, opportunity.partner, "partner")
    _check_owner(partnership, opportunity.owner)
    follow_up = opportunity.next_follow_up
    horizon = timezone.localdate() + timedelta(days=FOLLOW_UP_HORIZON)
    if follow_up and follow_up != before and follow_up > horizon:
        raise ValidationError({"next_follow_up": _("Plan the next follow-up within two years.")})
    if follow_up != before:
        opportunity.follow_up_notified_at = None
    save_audited(actor, opportunity)
    return opportunity


def opportunity_agree(
    *, actor, opportunity: Opportunity, kind: str, date, value=None, description=""
) -> Opportunity:
    """The opportunity reached an agreement: record it as an outcome of the partnership (a MoU
    or a business contract with the counterpart) and close the opportunity, together."""
    require(can_record_agreement(actor, opportunity))
    if opportunity.outcome_id:
        raise ValidationError(_("This opportunity's agreement is recorded already."))
    if kind not in AGREEMENT_KINDS:
        raise ValidationError({"kind": _("An agreement is a MoU or a business contract.")})
    if not opportunity.counterpart or not opportunity.counterpart_country:
        raise ValidationError(
            _("Name the counterpart and its country before recording the agreement.")
        )
    with transaction.atomic(), set_actor(actor):
        outcome = outcome_save(
            actor=actor,
            partnership=opportunity.partnership,
            kind=kind,
            counterpart=opportunity.counterpart,
            counterpart_country=opportunity.counterpart_country,
            value=value if value is not None else opportunity.value,
            date=date,
            description=description or opportunity.title,
        )
        opportunity.stage = Opportunity.Stage.AGREEMENT
        opportunity.outcome = outcome
        opportunity.next_follow_up = None
        save_audited(actor, opportunity)
    return opportunity
