from celery import shared_task

from escp_portal.jobs.retry import RETRY


@shared_task(
    name="escp_portal.webhooks.tasks.deliver_webhook",
    acks_late=True,
    **RETRY,
    soft_time_limit=60,
    time_limit=90,
)
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a webhook delivery; a failed one schedules the next (``services``)."""
    from .services import deliver

    return deliver(delivery_id)


@shared_task(name="escp_portal.webhooks.tasks.retry_due_webhooks", acks_late=True, **RETRY)
def retry_due_webhooks() -> int:
    """Periodic: deliveries whose next attempt is due, in case their job was lost."""
    from .services import retry_due

    return retry_due()
