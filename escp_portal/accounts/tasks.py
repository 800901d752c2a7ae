from celery import shared_task

from escp_portal.jobs.retry import RETRY


@shared_task(acks_late=True, ignore_result=False, **RETRY)
def clear_expired_tokens() -> int:
    """Delete API tokens past their expiry; returns how many went."""
    from django.utils import timezone
    from knox.models import AuthToken

    from .signals import token_audit_reason

    with token_audit_reason("expired"):
        deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted


@shared_task(ignore_result=False)
def ping() -> str:
    return "pong"


@shared_task(acks_late=True, **RETRY)
def purge_form_submissions() -> int:
    """Daily: forget the one-time tokens of create forms sent more than a day ago."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import FormSubmission

    since = timezone.now() - timedelta(days=1)
    return FormSubmission.objects.filter(created_at__lt=since).delete()[0]
