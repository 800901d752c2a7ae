"""What the writes of this app share: the partner and target-market checks, and erasing a
person's data on request."""

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.audit import set_actor
from escp_portal.services import require

from ..rules import can_erase

ERASED_NAME = "Erased person"


def check_partner(partnership, partner, field: str) -> None:
    if partner is not None and partner.partnership_id != partnership.pk:
        raise ValidationError({field: _("Choose a partner of this partnership.")})


def check_same_partnership(partnership, obj, field: str) -> None:
    if obj is not None and obj.partnership_id != partnership.pk:
        raise ValidationError({field: _("Choose one of this partnership's records.")})


def erase_person(*, actor, person, fields):
    """Empty a person's name and contacts on request; the trail keeps who did what and when,
    not the erased values. What counts (how many, which country) stays."""
    require(can_erase(actor, person))
    with transaction.atomic(), set_actor(actor):
        person.name = f"{ERASED_NAME} #{person.pk}"
        for name in fields:
            setattr(person, name, "")
        person.erased_at = timezone.now()
        with disable_auditlog():
            person.save()
        LogEntry.objects.get_for_object(person).update(
            object_repr=person.name, changes={}, changes_text=""
        )
        LogEntry.objects.log_create(
            person,
            action=LogEntry.Action.UPDATE,
            changes={"erased_at": [None, "erased"]},
            force_log=True,
        )
    return person
