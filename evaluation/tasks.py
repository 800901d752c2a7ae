from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from django.conf import settings
from django.db import connection, connections

from escp_portal.jobs.retry import RETRY


@shared_task(acks_late=True, **RETRY)
def recompute_scoreboard(partnership_id: int) -> dict:
    from .services import recompute_scoreboard as recompute

    return recompute(partnership_id)["statuses"]


# Partnerships recomputed together: their statuses, snapshots and figures in one set of queries.
BATCH = 100


@shared_task(acks_late=True, **RETRY)
def recompute_all_scoreboards() -> int:
    """Nightly: every partnership with a strategy (derived values move with the records), a
    batch at a time; the figures of the others too (empty, of today), so that the programme
    pages read them all."""
    from partnerships.models import Partnership
    from strategy.models import Strategy

    from .services import recompute_scoreboards, store_figures

    ids = sorted(set(Strategy.objects.values_list("partnership_id", flat=True)))
    batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
    in_parallel(recompute_scoreboards, batches)
    store_figures(Partnership.objects.exclude(pk__in=ids).values_list("pk", flat=True))
    return len(ids)


def in_parallel(work, batches) -> None:
    """``work(batch)`` for each batch, ``settings.RECOMPUTE_THREADS`` at a time: while one
    batch waits on the database another computes, each with a connection of its own (the
    batches touch different partnerships). One at a time on SQLite, and inside a transaction
    (other connections would not see its rows)."""
    threads = min(settings.RECOMPUTE_THREADS, len(batches))
    if threads <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        for batch in batches:
            work(batch)
        return

    def run(batch):
        try:
            return work(batch)
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="recompute") as pool:
        for _ in pool.map(run, batches):  # re-raises the first error of a batch
            pass
