"""EU funding calls: recorded by staff and EC officers; the coordinators of the partnerships a
new call fits are told by email, each call once per partnership and coordinator."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from escp_portal.accounts.models import Role
from escp_portal.accounts.policy import people_with_role
from escp_portal.hostile import one_line
from escp_portal.jobs.once import claim_and_send
from escp_portal.jobs.outbox import enqueue
from escp_portal.services import apply_fields, require, save_audited
from partnerships.models import Partnership
from partnerships.nace import sector_list

from ..models import CallNotice, FundingCall
from ..rules import can_record_calls
from ..selectors.calls import matches_for, open_calls

CALL_FIELDS = (
    "programme",
    "title",
    "reference",
    "summary",
    "opens_on",
    "deadline",
    "topics",
    "countries",
    "nace_codes",
    "url",
)


def call_save(*, actor, call: FundingCall | None = None, sectors=None, **data) -> FundingCall:
    require(can_record_calls(actor))
    creating = call is None
    call = call or FundingCall(recorded_by=actor)
    apply_fields(call, data, CALL_FIELDS)
    if "nace_codes" in data:
        try:
            call.nace_codes = ", ".join(sector_list(call.nace_codes))
        except ValidationError as error:
            raise ValidationError({"nace_codes": error.messages}) from error

    def then(saved):
        if sectors is not None:
            saved.sectors.set(sectors)

    with transaction.atomic():
        save_audited(actor, call, then=then)
        if creating:
            from ..tasks import notify_matching_calls

            # The coordinators of the partnerships it fits hear of it once it is saved.
            enqueue(notify_matching_calls)
    return call


def _message(user, partnership, matches) -> EmailMessage:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "partnership": partnership,
            "matches": matches,
            "site": settings.SITE_URL.rstrip("/"),
        }
        subject = one_line(render_to_string("funding/email/calls_subject.txt", context))
        body = render_to_string("funding/email/calls.txt", context)
    return EmailMessage(subject, body, None, [user.email])


def calls_notify(today=None) -> int:
    """Tell the coordinators of every partnership about the open calls that fit it and that
    they were not told of yet: one email per coordinator and partnership. The notices are
    claimed with the sending (``claim_and_send``), so a second run, or one running at the same
    time, sends nothing again. Returns how many emails went out."""
    today = today or timezone.localdate()
    calls = list(open_calls(today))
    if not calls:
        return 0
    coordinators = people_with_role(
        Role.COORDINATOR, partnership_ids=Partnership.objects.values("pk")
    )
    partnerships = (
        Partnership.objects.filter(pk__in=list(coordinators))
        .exclude(status=Partnership.Status.COMPLETED)
        .order_by("pk")
    )
    told = set(
        CallNotice.objects.filter(call__in=[c.pk for c in calls]).values_list(
            "call_id", "partnership_id", "recipient_id"
        )
    )
    sent = 0
    for partnership_id, matches in matches_for(partnerships, today, calls).items():
        for user in coordinators.get(partnership_id, []):
            new = [m for m in matches if (m.call.pk, partnership_id, user.pk) not in told]
            if not new:
                continue
            notices = [
                CallNotice(call=m.call, partnership_id=partnership_id, recipient=user) for m in new
            ]
            message = _message(user, new[0].partnership, new)

            def claim(notices=notices):
                CallNotice.objects.bulk_create(notices)

            def send(message=message):
                get_connection().send_messages([message])

            if claim_and_send(claim, send):
                sent += 1
    return sent
