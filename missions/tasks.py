from celery import shared_task

from escp_portal.jobs.retry import RETRY


# The name is the one queued jobs and the beat schedule know the task by: it stays as it is
# wherever the code lives.
@shared_task(
    name="missions.tasks.send_mission_reminders",
    acks_late=True,
    **RETRY,
    soft_time_limit=1800,
    time_limit=1900,
)
def send_mission_reminders() -> int:
    """Daily: reminders before and after missions; each (mission, recipient, kind) once."""
    from .services.reminders import send_mission_reminders as send

    return send()
