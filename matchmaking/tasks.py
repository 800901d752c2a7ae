"""Background jobs of finding partners: the emails, each sent once (a claim in the row)."""

from celery import shared_task

from escp_portal.jobs.retry import RETRY


@shared_task(acks_late=True, **RETRY)
def notify_contact_request(request_id: int) -> int:
    from .services.contact import contact_request_notify

    return contact_request_notify(request_id)


@shared_task(acks_late=True, **RETRY)
def notify_contact_answer(request_id: int) -> int:
    from .services.contact import contact_answer_notify

    return contact_answer_notify(request_id)


@shared_task(acks_late=True, **RETRY)
def notify_partner_request_answer(answer_id: int) -> int:
    from .services.wanted import answer_notify

    return answer_notify(answer_id)
