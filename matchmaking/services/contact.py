"""Contact requests: sent about a findable member to the managers of the cluster that made it
findable, who forward it (releasing the contact they choose) or decline it. The requester reads
only what was released, copied into the request at that moment."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.accounts.models import Role, User
from escp_portal.accounts.policy import people_with_role
from escp_portal.audit import set_actor
from escp_portal.jobs.outbox import enqueue
from escp_portal.services import require, save_audited

from ..models import ContactRequest
from ..rules import (
    can_answer_contact_request,
    can_request_contact,
    is_requester,
    max_open_contact_requests,
)
from ..selectors.search import searchable_profiles
from ..tasks import notify_contact_answer, notify_contact_request
from .mail import message, send_once

Status = ContactRequest.Status


def too_many_open_message(limit: int) -> str:
    return _(
        "You have %(n)s contact requests waiting for an answer, the most one may have at once. "
        "Wait for an answer, or withdraw a request, before you send another."
    ) % {"n": limit}


def contact_request_send(*, actor, member, purpose: str, message: str) -> ContactRequest:
    """Ask for a findable member's contact. One open request per requester and member, and a
    cap on the open requests of one person (``MATCHMAKING_MAX_OPEN_CONTACT_REQUESTS``)."""
    require(can_request_contact(actor))
    profile = searchable_profiles().filter(member=member).first()
    if profile is None:
        raise ValidationError(_("This member is not findable (any more)."))
    request = ContactRequest(
        requester=actor,
        member=member,
        cluster_id=profile.cluster_id,
        member_name=profile.name,
        purpose=purpose,
        message=message.strip(),
    )
    with transaction.atomic():
        # One send at a time per person: the count below cannot race.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        waiting = ContactRequest.objects.filter(requester=actor, status=Status.OPEN)
        if waiting.filter(member=member).exists():
            raise ValidationError(
                _("You already have a request for this member's contact waiting for an answer.")
            )
        limit = max_open_contact_requests()
        if waiting.count() >= limit:
            raise ValidationError(too_many_open_message(limit))
        save_audited(actor, request)
        enqueue(notify_contact_request, args=[request.pk])
    return request


def _open(request: ContactRequest) -> ContactRequest:
    current = ContactRequest.objects.select_for_update().select_related("member").get(pk=request.pk)
    if not current.is_open:
        raise ValidationError(_("This request was already answered or withdrawn."))
    return current


def contact_request_forward(
    *,
    actor,
    request: ContactRequest,
    release_name: bool = False,
    release_email: bool = False,
    release_phone: bool = False,
    note: str = "",
) -> ContactRequest:
    """Forward: the requester gets the contact fields chosen (as the member's record holds them
    now) and the note; nothing else of the member's record."""
    require(can_answer_contact_request(actor, request))
    with transaction.atomic(), set_actor(actor):
        current = _open(request)
        member = current.member
        if member.erased_at:
            raise ValidationError(_("This member's data was erased: there is no contact to give."))
        current.released_name = member.contact_name if release_name else ""
        current.released_email = member.contact_email if release_email else ""
        current.released_phone = member.contact_phone if release_phone else ""
        current.release_note = note.strip()
        released = current.released_name or current.released_email or current.released_phone
        if not (released or current.release_note):
            raise ValidationError(
                _(
                    "Choose a contact the member's record holds, or write a note with the "
                    "contact you give."
                )
            )
        current.status = Status.FORWARDED
        current.answered_by = actor
        current.answered_at = timezone.now()
        save_audited(actor, current)
        enqueue(notify_contact_answer, args=[current.pk])
    return current


def contact_request_decline(*, actor, request: ContactRequest, reason: str) -> ContactRequest:
    require(can_answer_contact_request(actor, request))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so that the requester understands.")})
    with transaction.atomic(), set_actor(actor):
        current = _open(request)
        current.status = Status.DECLINED
        current.decline_reason = reason.strip()
        current.answered_by = actor
        current.answered_at = timezone.now()
        save_audited(actor, current)
        enqueue(notify_contact_answer, args=[current.pk])
    return current


def contact_request_withdraw(*, actor, request: ContactRequest) -> ContactRequest:
    require(is_requester(actor, request))
    with transaction.atomic(), set_actor(actor):
        current = _open(request)
        current.status = Status.WITHDRAWN
        current.answered_at = timezone.now()
        return save_audited(actor, current)


# --- emails -------------------------------------------------------------------------------------


def contact_request_notify(request_id: int) -> int:
    """Email the cluster's managers about a new request, each in their language, once."""
    request = (
        ContactRequest.objects.select_related("requester", "member", "cluster")
        .filter(pk=request_id, status=Status.OPEN, notified_at__isnull=True)
        .first()
    )
    if request is None:
        return 0
    managers = people_with_role(Role.CLUSTER_MANAGER, cluster_ids=[request.cluster_id]).get(
        request.cluster_id, []
    )
    link = reverse("matchmaking:contact_request_detail", args=[request.pk])
    messages = [message("contact_request", m, request=request, link=link) for m in managers]
    return send_once(ContactRequest.objects.filter(pk=request.pk), "notified_at", messages)


def contact_answer_notify(request_id: int) -> int:
    """Tell the requester that the request was answered (the contact itself is on the page)."""
    request = (
        ContactRequest.objects.select_related("requester", "member", "cluster")
        .filter(
            pk=request_id,
            status__in=[Status.FORWARDED, Status.DECLINED],
            answer_notified_at__isnull=True,
        )
        .first()
    )
    if request is None or not request.requester.is_active:
        return 0
    link = reverse("matchmaking:contact_request_detail", args=[request.pk])
    messages = [message("contact_answer", request.requester, request=request, link=link)]
    return send_once(ContactRequest.objects.filter(pk=request.pk), "answer_notified_at", messages)
