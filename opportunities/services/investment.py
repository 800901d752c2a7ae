"""Investor contacts and joint investment projects: keyword-only, with the actor, checked
against the app's rules and audited."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.services import apply_fields, require, save_audited

from ..models import InvestmentProject, InvestorContact
from ..rules import can_add, can_change
from .common import check_partner, check_same_partnership, erase_person

INVESTOR_FIELDS = (
    "name",
    "organisation",
    "kind",
    "country",
    "event",
    "met_on",
    "interests",
    "email",
    "phone",
)
PROJECT_FIELDS = (
    "title",
    "description",
    "s3_area",
    "regions",
    "lead_partner",
    "status",
    "investment_sought",
    "investment_mobilised",
    "mobilised_on",
    "assistance",
    "assistance_provider",
)


def _not_ahead(day, field: str, message: str) -> None:
    if day and day > timezone.localdate() + timedelta(days=1):
        raise ValidationError({field: message})


def investor_contact_save(
    *, actor, partnership, contact: InvestorContact | None = None, **data
) -> InvestorContact:
    """Keep an investor met at an event (or elsewhere) among the partnership's contacts."""
    if contact is None:
        require(can_add(actor, partnership.pk))
        contact = InvestorContact(partnership=partnership, created_by=actor)
    else:
        require(can_change(actor, contact))
        if contact.erased_at:
            raise ValidationError(_("This person's data was erased."))
    apply_fields(contact, data, INVESTOR_FIELDS)
    check_same_partnership(partnership, contact.event, "event")
    _not_ahead(contact.met_on, "met_on", _("Give the day you met, not a day to come."))
    save_audited(actor, contact)
    return contact


def investor_contact_erase(*, actor, contact: InvestorContact) -> InvestorContact:
    return erase_person(
        actor=actor, person=contact, fields=("organisation", "email", "phone", "interests")
    )


def _regions(value: str) -> str:
    regions = []
    for part in (value or "").split(","):
        part = " ".join(part.split())
        if part and part.casefold() not in {r.casefold() for r in regions}:
            regions.append(part)
    if len(regions) < 2:
        raise ValidationError(
            {"regions": _("A joint investment project brings together two regions or more.")}
        )
    return ", ".join(regions)


def investment_project_save(
    *, actor, partnership, project: InvestmentProject | None = None, **data
) -> InvestmentProject:
    """Add a joint investment project or update where it stands. The investment mobilised
    counts towards the investment core indicator in the period of ``mobilised_on``."""
    if project is None:
        require(can_add(actor, partnership.pk))
        project = InvestmentProject(partnership=partnership, created_by=actor)
    else:
        require(can_change(actor, project))
    apply_fields(project, data, PROJECT_FIELDS)
    project.regions = _regions(project.regions)
    check_partner(partnership, project.lead_partner, "lead_partner")
    if project.investment_mobilised and not project.mobilised_on:
        raise ValidationError(
            {"mobilised_on": _("Give the date the investment was committed: it counts then.")}
        )
    _not_ahead(project.mobilised_on, "mobilised_on", _("Investment counts once it is committed."))
    save_audited(actor, project)
    return project
