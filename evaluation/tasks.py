from celery import shared_task

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
    for start in range(0, len(ids), BATCH):
        recompute_scoreboards(ids[start : start + BATCH])
    store_figures(Partnership.objects.exclude(pk__in=ids).values_list("pk", flat=True))
    return len(ids)
