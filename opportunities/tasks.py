"""Background jobs of the opportunity pipeline: thin, they call a service."""

from celery import shared_task

from escp_portal.jobs.retry import RETRY


# The name is the one the beat schedule knows the task by: it stays as it is.
@shared_task(
    name="opportunities.tasks.send_follow_up_reminders",
    acks_late=True,
    **RETRY,
    soft_time_limit=900,
    time_limit=960,
)
def send_follow_up_reminders() -> int:
    """Daily: each follower of an overdue follow-up is reminded once per follow-up date."""
    from .services.reminders import send_follow_up_reminders as send

    return send()
