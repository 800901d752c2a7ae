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


@shared_task(name="missions.tasks.notify_meeting", acks_late=True, **RETRY)
def notify_meeting(meeting_id: int, kind: str) -> int:
    """The other side of a new meeting request, or the requester of its answer, by email."""
    from .services.meeting_emails import notify_meeting as notify

    return notify(meeting_id, kind)


@shared_task(name="missions.tasks.notify_meetings_scheduled", acks_late=True, **RETRY)
def notify_meetings_scheduled(mission_id: int) -> int:
    """The participants' managers, of the meetings placed in their agenda since the last email."""
    from .services.meeting_emails import notify_meetings_scheduled as notify

    return notify(mission_id)
