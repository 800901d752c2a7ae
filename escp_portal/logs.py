"""Logs and error reports, the same in the web processes and the workers.

``logging_config(fmt, level)`` is ``settings.LOGGING``: one handler on stderr whose every line has
the time, level, logger, message and the request id (``-`` outside a request or job): plain text
(``DJANGO_LOG_FORMAT=text``) or one JSON object a line (``json``, production's default). The
worker logs through the same configuration (django-guid's Celery integration hands Celery the
Django settings; ``CELERY_WORKER_HIJACK_ROOT_LOGGER`` is off).

``init_sentry(dsn, …)`` reports errors of pages, API and jobs to Sentry when a DSN is given, each
event tagged with the request id. Settings call it, so every process that loads them (web, worker,
beat, management commands) reports.
"""

from django.core.exceptions import ImproperlyConfigured
from django_guid.log_filters import CorrelationId

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s"
NO_REQUEST = "-"


class RequestIdFilter(CorrelationId):
    """django-guid's filter, writing the id as ``request_id`` and ``-`` when there is none."""

    def __init__(self):
        super().__init__(correlation_id_field="request_id")

    def filter(self, record) -> bool:
        super().filter(record)
        if not record.request_id:
            record.request_id = NO_REQUEST
        return True


def logging_config(fmt: str = "text", level: str = "INFO") -> dict:
    """The ``LOGGING`` dict for a format (``text`` or ``json``) and a root level."""
    fmt = (fmt or "text").strip().lower()
    if fmt not in FORMATS:
        raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be one of {', '.join(FORMATS)}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "escp_portal.logs.RequestIdFilter"}},
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FIELDS,
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",  # ISO 8601, UTC
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level.upper()},
        "loggers": {
            "axes": {"level": "WARNING"},
            # It logs every id it reads or sets at INFO; a replaced id is a warning.
            "django_guid": {"level": "WARNING"},
            # The backup commands print their progress to the console themselves (a handler of
            # their own); passed on as well, every line would be written twice.
            "dbbackup": {"level": "INFO", "propagate": False},
        },
    }


def tag_request_id(event, hint):
    """Sentry's ``before_send``: the event carries the id of the request or job it came from."""
    from django_guid import get_guid

    request_id = get_guid()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(
    dsn: str,
    *,
    environment: str = "production",
    traces_sample_rate: float = 0.0,
    release: str = "",
) -> bool:
    """Start reporting to Sentry (pages, API and Celery jobs); without a DSN, nothing starts.
    No personal data is sent (no user, cookies, addresses or request bodies)."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=environment or "production",
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        # No personal data: send_default_pii is left unset, which is "off" (sentry-sdk 2.75
        # deprecates passing it); request bodies are never sent either.
        max_request_body_size="never",
        before_send=tag_request_id,
        before_send_transaction=tag_request_id,
    )
    return True
