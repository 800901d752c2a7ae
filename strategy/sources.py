"""The registry of named sources from which a KPI can take its values instead of being typed in.

Each app adds the sources it owns in its own ``kpi_sources.py`` module::

    from strategy.sources import register

    register("missions_held", label=_("Missions held"), series=..., records=...)

``series(kpi, periods)`` gets the KPI and a list of ``(start, end)`` dates and returns
``{end: value}`` from the app's own tables in one query. ``records(kpi, start, end)`` returns the
queryset the value of one period was computed from, so that every point can be traced back.
The registry is filled on first use by importing every installed app's ``kpi_sources``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
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


_sources: dict[str, Source] = {}
_discovered = False


def register(key: str, *, label, series, records=None, description="", stock=False) -> Source:
    if key in _sources and _sources[key].series is not series:
        raise ValueError(f"KPI source {key!r} is registered twice")
    source = Source(key, label, series, records, description, stock)
    _sources[key] = source
    return source


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
