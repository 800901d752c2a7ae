"""The registry of named sources from which a KPI can take its values instead of being typed in,
and the sources the strategy app owns (the partner clusters' members and SMEs, completed tasks).

Each other app adds the sources it owns in its own ``sources.py`` module::

    from strategy.sources import register

    register("missions_held", label=_("Missions held"), series=..., records=...)

``series(kpi, periods)`` gets the KPI and a list of ``(start, end)`` dates and returns
``{end: value}`` from the app's own tables in one query. The values depend on the KPI's
partnership and the periods only: the KPIs of a strategy that share a source and a frequency
are answered by one call. A source may give ``series_many(partnership_ids, periods)`` instead,
``{partnership id: {end: value}}`` in one query (``per_partnership`` writes it): then the KPIs
of many partnerships are answered by one call too, and ``series`` comes from it.
``records(kpi, start, end)`` returns the queryset the value of one period was computed from, so
that every point can be traced back.
The registry is filled on first use by importing every installed app's ``sources``; this
module registers its own sources when it is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from django.db.models import Count, DateField, F, Q, QuerySet
from django.db.models.functions import Cast, Coalesce
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

Period = tuple[date, date]


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    series: Callable[..., dict[date, Decimal]]
    records: Callable[..., QuerySet] | None = None
    description: str = ""
    # A stock is counted at the end of each period (members); a flow within it (contracts).
    stock: bool = False
    series_many: Callable[..., dict[int, dict[date, Decimal]]] | None = None
    # The code of the core indicator a KPI taken from this source counts towards.
    indicator: str = ""


_sources: dict[str, Source] = {}
_discovered = False


def register(
    key: str,
    *,
    label,
    series=None,
    series_many=None,
    records=None,
    description="",
    stock=False,
    indicator="",
) -> Source:
    if series is None and series_many is None:
        raise TypeError(f"KPI source {key!r} needs series or series_many")
    if key in _sources and (_sources[key].series_many or _sources[key].series) is not (
        series_many or series
    ):
        raise ValueError(f"KPI source {key!r} is registered twice")
    if series is None:
        series = partial(_one_partnership, series_many)
    source = Source(key, label, series, records, description, stock, series_many, indicator)
    _sources[key] = source
    return source


def _one_partnership(series_many, kpi, periods):
    partnership_id = kpi.objective.strategy.partnership_id
    return series_many([partnership_id], periods)[partnership_id]


def per_partnership(queryset, partnership: str, partnership_ids, periods: list[Period], value):
    """``{partnership id: {end: value}}`` in one query: ``value(start, end)`` is the aggregate
    of one period over the rows of ``queryset`` whose partnership (id at the path
    ``partnership``) is one of ``partnership_ids``; no rows, 0."""
    partnership_ids = set(partnership_ids)
    result = {pk: {end: Decimal(0) for _start, end in periods} for pk in partnership_ids}
    rows = (
        queryset.filter(**{f"{partnership}__in": partnership_ids})
        .values(partnership_key=F(partnership))
        .annotate(**{f"p{i}": value(start, end) for i, (start, end) in enumerate(periods)})
    )
    for row in rows:
        result[row["partnership_key"]] = {
            end: Decimal(row[f"p{i}"] or 0) for i, (_start, end) in enumerate(periods)
        }
    return result


def registry() -> dict[str, Source]:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("sources")
    return _sources


def source_choices() -> list[tuple[str, str]]:
    return [("manual", _("Reported by the partners"))] + [
        (key, source.label) for key, source in sorted(registry().items())
    ]


def derived_series(kpi, periods: list[Period]) -> dict[date, Decimal]:
    if not periods:
        return {}
    return registry()[kpi.source].series(kpi, periods)


# --- the strategy app's own sources ---------------------------------------------------------------

SINCE = Coalesce("joined_on", Cast("created_at", DateField()))


def _partner_memberships(kpi):
    from partnerships.models import ClusterMembership, Partner

    partnership_id = kpi.objective.strategy.partnership_id
    partners = Partner.objects.filter(partnership_id=partnership_id)
    return ClusterMembership.objects.filter(cluster__in=partners.values("cluster")).annotate(
        since=SINCE
    )


def _members_series(partnership_ids, periods, *, smes: bool):
    from partnerships.models import ClusterMembership

    # The memberships of each partnership's partner clusters (a membership once per
    # partnership its cluster is a partner of).
    memberships = ClusterMembership.objects.alias(since=SINCE)
    if smes:
        memberships = memberships.filter(member__is_sme=True)
    # One query: a distinct count per partnership and period end, as conditional aggregates.
    return per_partnership(
        memberships,
        "cluster__partnerships_joined__partnership_id",
        partnership_ids,
        periods,
        lambda _start, end: Count("member", filter=Q(since__lte=end), distinct=True),
    )


def _members_records(kpi, start, end, *, smes=False):
    from partnerships.models import Member

    memberships = _partner_memberships(kpi).filter(since__lte=end)
    members = Member.objects.filter(pk__in=memberships.values("member"))
    return members.filter(is_sme=True) if smes else members


def _tasks_done(kpi):
    from .models import Task

    return Task.objects.filter(
        objective__strategy__partnership_id=kpi.objective.strategy.partnership_id,
        status=Task.Status.DONE,
    )


def _tasks_series(partnership_ids, periods):
    from .models import Task

    return per_partnership(
        Task.objects.filter(status=Task.Status.DONE),
        "objective__strategy__partnership_id",
        partnership_ids,
        periods,
        lambda start, end: Count("pk", filter=Q(completed_on__gte=start, completed_on__lte=end)),
    )


register(
    "partner_members",
    label=_("Members of the partner clusters"),
    description=_("Companies and other bodies in the partner clusters at the end of the period."),
    series_many=lambda ids, periods: _members_series(ids, periods, smes=False),
    records=lambda kpi, start, end: _members_records(kpi, start, end),
    stock=True,
)
register(
    "partner_smes",
    label=_("SMEs in the partner clusters"),
    description=_(
        "Enterprises that are SMEs by the EU definition (their figures with those of their "
        "partner and linked enterprises), at the end of the period; universities, research "
        "centres and public bodies never count."
    ),
    series_many=lambda ids, periods: _members_series(ids, periods, smes=True),
    records=lambda kpi, start, end: _members_records(kpi, start, end, smes=True),
    stock=True,
)
register(
    "tasks_completed",
    label=_("Roadmap tasks completed"),
    description=_("Tasks of the partnership's roadmap completed within the period."),
    series_many=_tasks_series,
    records=lambda kpi, start, end: _tasks_done(kpi).filter(
        completed_on__gte=start, completed_on__lte=end
    ),
)
