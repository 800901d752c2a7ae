"""The daily reminder of overdue follow-ups: each opportunity's follower gets one email per
follow-up date (the opportunity's ``follow_up_notified_at`` is the claim, ``claim_and_send``),
in their language. A follower who no longer works in the partnership gets nothing."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from escp_portal.hostile import one_line
from escp_portal.jobs.once import claim_and_send

from ..models import Opportunity
from ..rules import sees_names
from ..selectors import overdue_follow_ups

logger = logging.getLogger(__name__)


def _message(opportunity: Opportunity, today) -> EmailMessage:
    user = opportunity.owner
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "opportunity": opportunity,
            "days": (today - opportunity.next_follow_up).days,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("opportunities:opportunity_edit", args=[opportunity.pk]),
        }
        subject = one_line(render_to_string("opportunities/email/follow_up_subject.txt", context))
        body = render_to_string("opportunities/email/follow_up.txt", context)
    return EmailMessage(subject, body, None, [user.email])


def send_follow_up_reminder(opportunity: Opportunity, today) -> bool:
    """Claim the opportunity's reminder and send it, together: a second run sends nothing."""

    def claim():
        claimed = Opportunity.objects.filter(
            pk=opportunity.pk,
            follow_up_notified_at__isnull=True,
            next_follow_up=opportunity.next_follow_up,
        ).update(follow_up_notified_at=timezone.now())
        if not claimed:
            raise IntegrityError("already reminded")

    def send():
        get_connection().send_messages([_message(opportunity, today)])

    return claim_and_send(claim, send)


def send_follow_up_reminders(today=None) -> int:
    """Daily: remind each follower of their overdue follow-ups. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for opportunity in overdue_follow_ups(today).iterator(chunk_size=200):
        if not sees_names(opportunity.owner, opportunity.partnership_id):
            continue
        try:
            sent += send_follow_up_reminder(opportunity, today)
        except (OperationalError, InterfaceError):
            raise
        except Exception:  # one bad address must not stop the others
            logger.exception("follow-up reminder for opportunity %s failed", opportunity.pk)
    return sent
