"""One id per request, carried into the jobs the request starts.

django-guid gives every request an id (``X-Request-ID``: the one nginx sets, or a fresh one),
answers it in the response header and keeps it in a context variable that the log filter
(``escp_portal.logs``) writes on every line. Its Celery integration sends the id with each task
message and sets it in the worker while the task runs; a job without one (started by beat) gets
an id of its own.

What this module adds:

- ``RequestIdHeaderMiddleware``: only a plain id is taken from a client (32 hex digits, as nginx's
  ``$request_id``, or a UUID written the usual way). django-guid alone would also take a UUID
  wrapped in any number of hyphens or braces, and echo and store it as sent.
- ``run_with(request_id, func)``: call ``func`` as if under that request, in a copy of the
  context (the outbox sends a stored job with the id of the request that asked for it, and runs an
  in-process job without clearing the id of the request around it).
- ``adopt_eager_request_id``: a job run in-process takes the id handed to it in its headers.
"""

import contextvars
import re

from django_guid import get_guid
from django_guid.context import guid as _guid

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_PLAIN_ID = re.compile(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
MAX_LENGTH = 36


class RequestIdHeaderMiddleware:
    """Drops an ``X-Request-ID`` that is not a plain id, so that django-guid's middleware (next in
    line) gives the request a fresh one instead of echoing what the client sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = request.META.get(_META_KEY)
        if value is not None and not _PLAIN_ID.fullmatch(value):
            del request.META[_META_KEY]
            request.__dict__.pop("headers", None)  # in case something read them already
        return self.get_response(request)


def current() -> str:
    """The id of the request (or job) being handled; empty when there is none."""
    return get_guid() or ""


def run_with(request_id: str, func, /, *args, **kwargs):
    """``func(*args, **kwargs)`` with ``request_id`` as the current id (none if empty), in a copy
    of the current context: whatever the call sets or clears stays inside it."""

    def call():
        _guid.set(request_id or None)
        return func(*args, **kwargs)

    return contextvars.copy_context().run(call)


def adopt_eager_request_id(sender=None, task=None, **kwargs) -> None:
    """``task_prerun``, connected after django-guid's own receiver (``JobsConfig.ready``): a job run
    in-process has no message headers for django-guid to read, so it was given a fresh id; the
    outbox hands it the request's id in ``headers`` instead."""
    request = getattr(task, "request", None)
    if request is None or not request.is_eager:
        return
    request_id = (request.headers or {}).get(HEADER)
    if request_id:
        _guid.set(request_id)
