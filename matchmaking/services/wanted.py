""" "We look for …" posts: coordinators and cluster managers post what they look for (for a
partnership they coordinate or a cluster they manage), others answer through the portal until
the post's date or until its poster closes it."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.audit import set_actor
from escp_portal.jobs.outbox import enqueue
from escp_portal.services import apply_fields, require, save_audited
from partnerships.nace import sector_list

from ..models import PartnerRequest, PartnerRequestAnswer
from ..rules import (
    can_answer_partner_request,
    can_change_partner_request,
    can_post_partner_request,
    may_post_for,
)
from ..tasks import notify_partner_request_answer
from .mail import message, send_once

POST_FIELDS = ("title", "description", "competences", "nace_codes", "countries", "until")
LONGEST = timedelta(days=366)


def _nace_codes(text: str) -> str:
    try:
        return " ".join(sector_list(text))
    except ValidationError as error:
        raise ValidationError({"nace_codes": error.messages}) from error


def _competences(text: str) -> str:
    names = [" ".join(n.split()) for n in (text or "").split(";")]
    return "; ".join(dict.fromkeys(n for n in names if n))


def partner_request_save(
    *, actor, post: PartnerRequest | None = None, partnership=None, cluster=None, **data
) -> PartnerRequest:
    """Post (``post`` None: for ``partnership`` or ``cluster``) or edit a post."""
    if post is None:
        require(can_post_partner_request(actor))
        if (partnership is None) == (cluster is None):
            raise ValidationError(_("Post for one partnership you coordinate or one cluster."))
        require(may_post_for(actor, partnership=partnership, cluster=cluster))
        if partnership is not None and partnership.status == partnership.Status.DRAFT:
            raise ValidationError(
                _("A draft partnership is not public yet: post for it once it is published.")
            )
        post = PartnerRequest(author=actor, partnership=partnership, cluster=cluster)
    else:
        require(can_change_partner_request(actor, post))
        if post.closed_at is not None:
            raise ValidationError(_("This post is closed; it cannot be changed."))
    if "nace_codes" in data:
        data["nace_codes"] = _nace_codes(data["nace_codes"])
    if "competences" in data:
        data["competences"] = _competences(data["competences"])
    apply_fields(post, data, POST_FIELDS)
    today = timezone.localdate()
    if post.until and not today <= post.until <= today + LONGEST:
        raise ValidationError({"until": _("Choose a day between today and a year from now.")})
    return save_audited(actor, post)


def partner_request_close(*, actor, post: PartnerRequest) -> PartnerRequest:
    require(can_change_partner_request(actor, post))
    with transaction.atomic(), set_actor(actor):
        current = PartnerRequest.objects.select_for_update().get(pk=post.pk)
        if current.closed_at is not None:
            raise ValidationError(_("This post is closed already."))
        current.closed_at = timezone.now()
        return save_audited(actor, current)


def partner_request_answer(*, actor, post: PartnerRequest, message: str) -> PartnerRequestAnswer:
    """Answer an open post (one answer per person); its poster hears of it by email."""
    require(can_answer_partner_request(actor, post))
    if not message.strip():
        raise ValidationError({"message": _("Write your answer.")})
    with transaction.atomic():
        current = PartnerRequest.objects.select_for_update().get(pk=post.pk)
        if not current.is_open:
            raise ValidationError(_("This post is closed or past its date: it takes no answers."))
        if current.answers.filter(author=actor).exists():
            raise ValidationError(_("You have already answered this post."))
        answer = PartnerRequestAnswer(request=current, author=actor, message=message.strip())
        save_audited(actor, answer)
        enqueue(notify_partner_request_answer, args=[answer.pk])
    return answer


def answer_notify(answer_id: int) -> int:
    answer = (
        PartnerRequestAnswer.objects.select_related("request__author", "author")
        .filter(pk=answer_id, notified_at__isnull=True)
        .first()
    )
    if answer is None or not answer.request.author.is_active:
        return 0
    link = reverse("matchmaking:partner_request_detail", args=[answer.request_id])
    messages = [message("partner_request_answer", answer.request.author, answer=answer, link=link)]
    return send_once(PartnerRequestAnswer.objects.filter(pk=answer.pk), "notified_at", messages)
