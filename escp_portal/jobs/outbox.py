"""Hand background jobs to the broker without losing any when it is away.

``enqueue`` records the job in the database inside the caller's transaction and, once that
transaction commits, tries to send it at once. If the broker does not answer, the write still
stands, the page still answers, and the job waits in ``QueuedJob`` until a later ``relay`` sends
it: after the next write, when a worker starts, every ``OUTBOX_RELAY_SECONDS`` from the beat
schedule, or from ``manage.py relay_outbox``. Sending is at least once (a crash between the
broker's acceptance and the row's deletion sends again), so every job is idempotent.

With tasks running in-process (no broker configured) the job simply runs after the commit.

Either way the job logs under the id of the request that asked for it (``request_ids``): the row
keeps it, and a later relay, maybe from another process, sends it as the message's header."""

import logging
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from escp_portal import request_ids
from escp_portal.celery import app as celery_app

from .models import QueuedJob

logger = logging.getLogger(__name__)

BATCH = 200
MAX_BACKOFF_SECONDS = 60


def enqueue(task, *, args=(), kwargs=None, countdown=None, queue=None) -> None:
    """Run ``task`` in the background once the current transaction has committed."""
    kwargs = kwargs or {}
    request_id = request_ids.current()
    if celery_app.conf.task_always_eager:
        options = {"countdown": countdown, "queue": queue}
        options["headers"] = {request_ids.HEADER: request_id} if request_id else None
        transaction.on_commit(
            lambda: request_ids.run_with(
                request_id, task.apply_async, args=list(args), kwargs=kwargs, **options
            )
        )
        return
    job = QueuedJob.objects.create(
        task=task.name,
        args=list(args),
        kwargs=kwargs,
        countdown=countdown,
        queue=queue or "",
        request_id=request_id[: request_ids.MAX_LENGTH],
    )
    transaction.on_commit(lambda: relay(ids=[job.pk]))


def relay(ids=None, limit: int = BATCH) -> int:
    """Send waiting jobs to the broker; returns how many were sent. Never raises for a broker
    failure: the jobs stay, with the error and the time of the next attempt."""
    now = timezone.now()
    sent = 0
    with transaction.atomic():
        due = Q(pk__in=ids) if ids is not None else Q(next_attempt_at__lte=now)
        jobs = QueuedJob.objects.filter(due).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            # Two relays at once each take different rows instead of sending one row twice.
            jobs = jobs.select_for_update(skip_locked=True)
        jobs = list(jobs[:limit])
        if not jobs:
            return 0
        done = []
        try:
            # A connection of its own that gives up at once: a write must not wait on a
            # broker that is away (the default publishing retries for seconds).
            with celery_app.connection_for_write() as broker:
                broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
                for job in jobs:
                    # django-guid's publish signal writes the current id into the headers.
                    request_ids.run_with(
                        job.request_id,
                        celery_app.send_task,
                        job.task,
                        args=job.args,
                        kwargs=job.kwargs,
                        countdown=job.countdown,
                        queue=job.queue or None,
                        connection=broker,
                        retry=False,
                        # Nobody waits on these results: their effects are in the database.
                        ignore_result=True,
                    )
                    done.append(job.pk)
        except Exception as exc:  # the broker's failure modes are many; all mean "later"
            failed = jobs[len(done)]
            failed.attempts += 1
            failed.last_error = f"{exc.__class__.__name__}: {exc}"[:500]
            delay = min(2**failed.attempts, MAX_BACKOFF_SECONDS)
            failed.next_attempt_at = now + timedelta(seconds=delay)
            failed.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.warning(
                "broker unavailable, %s waits in the outbox (attempt %s): %s",
                failed,
                failed.attempts,
                failed.last_error,
            )
        if done:
            QueuedJob.objects.filter(pk__in=done).delete()
            sent = len(done)
    return sent


def send_now(*, actor, ids) -> int:
    """An operator's "send now" on waiting jobs (the admin): each is handed to the broker at
    once, whatever its next attempt time; returns how many were sent. A broker still away
    leaves them waiting, with the error, as ``relay`` does."""
    from escp_portal.accounts.policy import can_send_jobs
    from escp_portal.services import require

    require(can_send_jobs(actor))
    ids = list(ids)
    sent = relay(ids=ids, limit=max(len(ids), 1))
    logger.info("%s asked to send %s waiting jobs now: %s sent", actor, len(ids), sent)
    return sent


def relay_all() -> int:
    """Send everything that is due, batch after batch, until the outbox is empty or the broker
    stops accepting."""
    total = 0
    while True:
        sent = relay()
        total += sent
        if sent < BATCH:
            return total


def waiting() -> dict:
    """What the health check reports: how many jobs wait and for how long."""
    oldest = QueuedJob.objects.order_by("created_at").values_list("created_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0
    return {"waiting": QueuedJob.objects.count(), "oldest_seconds": round(age)}


def relay_on_worker_ready(sender=None, **kwargs) -> None:
    try:
        sent = relay_all()
    except Exception:  # a worker must come up even if the database is still starting
        logger.exception("could not relay the outbox at worker start")
        return
    if sent:
        logger.info("sent %s jobs that waited in the outbox", sent)
