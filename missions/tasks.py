from celery import shared_task

from escp_portal.jobs.retry import RETRY


@shared_task(
    acks_late=True,
    **RETRY,
    soft_time_limit=1800,
    time_limit=1900,
)
def send_mission_reminders() -> int:
    """Daily: reminders before and after missions; each (mission, recipient, kind) once."""
    from .reminders import send_mission_reminders as send

    return send()
