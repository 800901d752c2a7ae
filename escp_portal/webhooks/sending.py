"""What goes over the wire: the signed POST of a payload, and the owner's email when their
subscription pauses. Plain ``urllib`` (the standard library: no extra package in production);
redirects are not followed and no proxy from the environment is used, so the address checked
is the address posted to."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from escp_portal.hostile import one_line

from .urls_check import check_url

USER_AGENT = "ESCP-Portal-Webhooks/1"


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")


def sign(secret: str, body: bytes) -> str:
    """The ``X-ESCP-Signature`` header: HMAC-SHA256 of the raw body with the secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def headers_for(subscription, delivery, body: bytes) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-ESCP-Event": delivery.event,
        "X-ESCP-Delivery": str(delivery.uuid),
        "X-ESCP-Signature": sign(subscription.secret, body),
        "X-ESCP-Timestamp": str(int(time.time())),
    }


@dataclass
class Result:
    ok: bool
    status_code: int | None
    error: str
    started: object
    milliseconds: int

    def as_log(self) -> dict:
        return {
            "at": self.started.isoformat(),
            "status_code": self.status_code,
            "error": self.error[:200],
            "ms": self.milliseconds,
        }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is an answer like another: not a success


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def post(subscription, delivery) -> Result:
    started = timezone.now()
    clock = time.monotonic()

    def done(ok, code, error=""):
        return Result(ok, code, error, started, round((time.monotonic() - clock) * 1000))

    try:
        check_url(subscription.url)
    except ValidationError as exc:
        return done(False, None, "; ".join(exc.messages))
    body = body_of(delivery.payload)
    request = urllib.request.Request(
        subscription.url,
        data=body,
        headers=headers_for(subscription, delivery, body),
        method="POST",
    )
    timeout = float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 5))
    try:
        with _opener.open(request, timeout=timeout) as response:
            code = response.status
            response.read(1024)
    except urllib.error.HTTPError as exc:
        return done(False, exc.code, f"HTTP {exc.code}")
    except (OSError, ValueError) as exc:  # refused, timed out, TLS, bad answer
        return done(False, None, f"{exc.__class__.__name__}: {exc}")
    if 200 <= code < 300:
        return done(True, code)
    return done(False, code, f"HTTP {code}")


def mail_paused(subscription) -> None:
    owner = subscription.owner
    language = getattr(owner, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "subscription": subscription,
            "link": settings.SITE_URL.rstrip("/")
            + reverse("webhooks:detail", kwargs={"pk": subscription.pk}),
        }
        subject = one_line(render_to_string("webhooks/email/paused_subject.txt", context))
        body = render_to_string("webhooks/email/paused.txt", context)
    send_mail(subject, body, None, [owner.email])
