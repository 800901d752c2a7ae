"""Writes of the partners' expectations and commitments [Action 7]."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import can_create, can_edit
from escp_portal.services import apply_fields, delete_audited, require, save_audited

from ..models import PartnerExpectation

EXPECTATION_FIELDS = ("entry_kind", "text", "recorded_on", "review", "reviewed_on", "review_note")


def _checked(entry: PartnerExpectation) -> PartnerExpectation:
    today = timezone.localdate()
    if entry.review != PartnerExpectation.Review.OPEN and entry.reviewed_on is None:
        entry.reviewed_on = today
    if entry.review == PartnerExpectation.Review.OPEN:
        entry.reviewed_on = None
    if entry.reviewed_on and entry.reviewed_on > today:
        raise ValidationError({"reviewed_on": _("A review cannot be dated in the future.")})
    return entry


def expectation_create(*, actor, partner, **data) -> PartnerExpectation:
    require(can_create(actor, PartnerExpectation, partner))
    entry = PartnerExpectation(partner=partner, recorded_on=timezone.localdate())
    apply_fields(entry, data, EXPECTATION_FIELDS)
    return save_audited(actor, _checked(entry))


def expectation_update(*, actor, entry: PartnerExpectation, **data) -> PartnerExpectation:
    require(can_edit(actor, entry))
    apply_fields(entry, data, EXPECTATION_FIELDS)
    return save_audited(actor, _checked(entry))


def expectation_delete(*, actor, entry: PartnerExpectation) -> None:
    require(can_edit(actor, entry))
    delete_audited(actor, entry)
