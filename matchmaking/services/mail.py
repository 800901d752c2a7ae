"""The app's emails: each in its recipient's language, sent once from a job (the row's
``notified`` column is the claim, ``claim_and_send``)."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from escp_portal.hostile import one_line
from escp_portal.jobs.once import claim_and_send


def message(name: str, user, **context) -> EmailMessage:
    """``matchmaking/email/<name>.txt`` and its ``_subject.txt``, in the user's language."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"user": user, "site": settings.SITE_URL.rstrip("/"), **context}
        subject = one_line(render_to_string(f"matchmaking/email/{name}_subject.txt", context))
        body = render_to_string(f"matchmaking/email/{name}.txt", context)
    return EmailMessage(subject, body, None, [user.email])


def send_once(queryset, column: str, messages) -> int:
    """Mark ``column`` on the one row of ``queryset`` (if not marked yet) and send, together:
    a second run sends nothing. Returns how many emails went out."""

    def claim():
        if not queryset.filter(**{f"{column}__isnull": True}).update(**{column: timezone.now()}):
            raise IntegrityError("already sent")

    def send():
        if messages:
            get_connection().send_messages(messages)

    return len(messages) if claim_and_send(claim, send) else 0
