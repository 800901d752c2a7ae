from celery import shared_task

from escp_portal.jobs.retry import RETRY


@shared_task(acks_late=True, **RETRY)
def recompute_scoreboard(partnership_id: int) -> dict:
    from .services import recompute_scoreboard as recompute

    return recompute(partnership_id)["statuses"]


@shared_task(acks_late=True, **RETRY)
def recompute_all_scoreboards() -> int:
    """Nightly: every partnership with a strategy (derived values move with the records)."""
    from partnerships.models import Partnership
    from strategy.models import Strategy

    from .services import recompute_scoreboard as recompute
    from .services import store_figures

    ids = set(Strategy.objects.values_list("partnership_id", flat=True))
    for partnership_id in sorted(ids):
        recompute(partnership_id)
    # The others' figures too (empty, of today), so that the programme pages read them all.
    store_figures(Partnership.objects.exclude(pk__in=ids).values_list("pk", flat=True))
    return len(ids)
