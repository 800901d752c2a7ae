from celery import shared_task


@shared_task(ignore_result=True)
def relay_outbox() -> int:
    """Periodic: send the jobs that waited in the outbox while the broker was away."""
    from .outbox import relay_all

    return relay_all()
