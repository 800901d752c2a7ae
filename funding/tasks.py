"""Background jobs of vouchers and EU funding: thin, the work is in the services."""

from celery import shared_task

from escp_portal.jobs.retry import RETRY


@shared_task(acks_late=True, **RETRY)
def notify_matching_calls() -> int:
    """Daily, and after a call is recorded: coordinators hear of the calls that fit them."""
    from .services.calls import calls_notify

    return calls_notify()
