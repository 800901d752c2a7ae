"""A create form saves once, however often it is sent.

Every form that creates something (``BootstrapFormMixin`` with no saved instance, or
``creates = True``) carries a one-time token in a hidden field. ``SubmitOnceMiddleware`` claims
the token for the user before the view runs (a row with a unique constraint, committed at once):

- the first POST goes on; if it ends in a redirect (saved), the row keeps where it led; if the
  form came back with errors or the request failed, the claim is dropped so that the corrected
  form can be sent again;
- a second POST with the same token (a double click, a browser resending, two tabs) does not
  reach the view: it waits a few seconds for the first to finish and is led to the same place,
  with a message. Two POSTs at the same moment are ordered by the database's unique index.
"""

import re
import time

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

FIELD = "once_token"
TOKEN = re.compile(r"[0-9a-f]{32}")
WAIT_SECONDS = 5.0


def token_of(request) -> str | None:
    for name, value in request.POST.items():
        if (name == FIELD or name.endswith(f"-{FIELD}")) and TOKEN.fullmatch(value or ""):
            return value
    return None


def _claim(user, token: str) -> bool:
    from escp_portal.accounts.models import FormSubmission

    try:
        with transaction.atomic():
            FormSubmission.objects.create(user=user, token=token, location="")
    except IntegrityError:
        return False
    return True


class SubmitOnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "_once_token", None)
        if token:
            self._settle(request, token, response)
        return response

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        token = token_of(request)
        if token is None:
            return None
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            if _claim(request.user, token):
                request._once_token = token
                return None
            location = self._location(request.user, token)
            if location:
                messages.info(request, _("This form was already sent; here is what it saved."))
                return redirect(location)
            if location is None:
                continue  # the first send was refused and its claim dropped: this one goes on
            if time.monotonic() > deadline:
                messages.info(request, _("This form was already sent and is being saved."))
                back = request.headers.get("Referer", "")
                safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
                return redirect(back if safe else "/")
            time.sleep(0.1)

    @staticmethod
    def _location(user, token):
        """Where the first send led ("" while it runs), or None if its claim was dropped."""
        from escp_portal.accounts.models import FormSubmission

        row = FormSubmission.objects.filter(user=user, token=token).values("location").first()
        return None if row is None else row["location"]

    @staticmethod
    def _settle(request, token, response):
        from escp_portal.accounts.models import FormSubmission

        claimed = FormSubmission.objects.filter(user=request.user, token=token)
        if response.status_code in (301, 302, 303) and response.get("Location"):
            claimed.update(location=response["Location"][:2000])
        else:
            claimed.delete()


# --- the API: Idempotency-Key ---------------------------------------------------------------------

API_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,64}")


def claim_api_key(user, key: str, *, wait: float = WAIT_SECONDS):
    """Claim ``key`` for the user: ``(True, None)`` to go on, ``(False, (status, body))`` to
    answer what the first request answered, ``(False, None)`` while it still runs."""
    from escp_portal.accounts.models import FormSubmission

    token = f"api:{key}"
    deadline = time.monotonic() + wait
    while True:
        if _claim(user, token):
            return True, None
        row = (
            FormSubmission.objects.filter(user=user, token=token)
            .values("status", "response")
            .first()
        )
        if row is None:
            continue  # the first request failed and let go of the key
        if row["status"] is not None:
            return False, (row["status"], row["response"])
        if time.monotonic() > deadline:
            return False, None
        time.sleep(0.1)


def settle_api_key(user, key: str, status: int, body) -> None:
    """Keep a successful answer for the replays; let go of the key after a failure."""
    from escp_portal.accounts.models import FormSubmission

    claimed = FormSubmission.objects.filter(user=user, token=f"api:{key}")
    if 200 <= status < 300:
        claimed.update(status=status, response=body)
    else:
        claimed.delete()
