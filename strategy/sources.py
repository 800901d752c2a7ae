"""The registry of named sources from which a KPI can take its values instead of being typed in.

Each app adds the sources it owns in its own ``kpi_sources.py`` module::

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
The registry is filled on first use by importing every installed app's ``kpi_sources``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from django.db.models import F, QuerySet
from django.utils.module_loading import autodiscover_modules

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
) -> Source:
    if series is None and series_many is None:
        raise TypeError(f"KPI source {key!r} needs series or series_many")
    if key in _sources and (_sources[key].series_many or _sources[key].series) is not (
        series_many or series
    ):
        raise ValueError(f"KPI source {key!r} is registered twice")
    if series is None:
        series = partial(_one_partnership, series_many)
    source = Source(key, label, series, records, description, stock, series_many)
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
        autodiscover_modules("kpi_sources")
    return _sources


def source_choices() -> list[tuple[str, str]]:
    from django.utils.translation import gettext_lazy as _

    return [("manual", _("Reported by the partners"))] + [
        (key, source.label) for key, source in sorted(registry().items())
    ]


def derived_series(kpi, periods: list[Period]) -> dict[date, Decimal]:
    if not periods:
        return {}
    return registry()[kpi.source].series(kpi, periods)
