"""The live version of a partnership's strategy: the one rule of which version values are
reported on, reminded, shown on the dashboards and scored."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from ..models import Strategy


def live_strategies(partnership_ids=None) -> QuerySet[Strategy]:
    """The live version of each partnership (of the given ones, ids or a subquery; of every
    partnership without them): the version values are reported on, reminded and scored — the
    adopted one, else the draft when none is adopted. The one rule the reporting, the reminders,
    the dashboards and the scoreboards follow."""
    adopted = Strategy.objects.filter(
        partnership_id=OuterRef("partnership_id"), status=Strategy.Status.ADOPTED
    )
    strategies = Strategy.objects.filter(
        Q(status=Strategy.Status.ADOPTED) | Q(status=Strategy.Status.DRAFT) & ~Exists(adopted)
    )
    if partnership_ids is not None:
        strategies = strategies.filter(partnership_id__in=partnership_ids)
    return strategies


def live_strategy_id(partnership_id: int) -> int | None:
    """The id of the partnership's live version (``live_strategies``), or None."""
    return (
        live_strategies([partnership_id]).order_by("version").values_list("pk", flat=True).first()
    )


def live_strategy_subquery(partnership_id: int) -> Subquery:
    """``live_strategy_id`` as a subquery: to read the live strategy's rows in one query."""
    return Subquery(live_strategies([partnership_id]).order_by("version").values("pk")[:1])
