from celery import shared_task

from escp_portal.jobs.retry import RETRY


@shared_task(acks_late=True, **RETRY)
def purge_deletions() -> int:
    """Daily: forget the deletions older than ``SYNC_DELETIONS_KEEP_DAYS`` (a client that has
    not synced for longer reads its lists again in full); returns how many went."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from .models import Deletion

    before = timezone.now() - timedelta(days=settings.SYNC_DELETIONS_KEEP_DAYS)
    _total, by_model = Deletion.objects.filter(deleted_at__lt=before).delete()
    return by_model.get(Deletion._meta.label, 0)
