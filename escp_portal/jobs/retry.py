"""What a background job retries on: the database or the mail server going away for a moment
(a restart, a failover, a dropped connection). Each job is idempotent, so running it again
after such a failure finishes the work without doing any part twice."""

from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, OSError)
RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "max_retries": 8,
    # A missing file or a refused value stays missing on the next try.
    "dont_autoretry_for": (FileNotFoundError, PermissionError),
}
