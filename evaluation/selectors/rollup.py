"""The programme roll-up of the core indicators: what the partnerships' linked KPIs add up to,
by programme, generation, partner country, target country and year.

Each partnership's values come from its stored figures (``PartnershipFigures``, kept current
by the recompute jobs); a partnership whose figures are missing or of an earlier day is computed
live, so the roll-up is never behind the data. A partnership counts once in a total; in a split
by country it counts in each of its partner (or target) countries, so those columns do not add
up to the total and the page says so."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DIMENSIONS = {
    "programme": _("by programme"),
    "generation": _("by generation"),
    "partner_country": _("by partner country"),
    "target_country": _("by target country"),
    "year": _("over time"),
}


def column_label(dimension: str, column) -> str:
    """A column of a split as people read it: a country's name in the active language."""
    if dimension in ("partner_country", "target_country"):
        from django_countries import countries

        return countries.name(column) or str(column)
    return str(column)


def _dec(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def live_core_values(partnership_ids, today: date | None = None) -> dict[int, list[dict]]:
    """Per partnership, the values of its live KPIs linked to a core indicator: current value,
    target and the value of each year (the KPI's own rule applied to the year's periods), in a
    fixed number of queries (``strategy.selectors.kpi_values``)."""
    from strategy.models import KPI
    from strategy.selectors import kpi_values, live_strategies

    today = today or timezone.localdate()
    kpis = list(
        KPI.objects.filter(
            objective__strategy__in=live_strategies(partnership_ids),
            core_indicator__isnull=False,
        ).select_related("objective__strategy")
    )
    return core_values_of(kpis, kpi_values(kpis, until=today))


def core_values_of(kpis, values) -> dict[int, list[dict]]:
    """``live_core_values`` of KPIs whose values are read already (``kpi_values``): the
    recompute reuses the values it scored. One entry per partnership and core indicator, its
    linked KPIs that have a value added up: {"indicator", "current", "target", "kpis",
    "years": {year: value}}, values as decimal strings."""
    from strategy.selectors.reporting import combine

    sums: dict[tuple[int, int], dict] = {}
    for kpi in kpis:
        if kpi.core_indicator_id is None:
            continue
        found = values[kpi.pk]
        current = found.current
        if current is None:
            continue
        key = (kpi.objective.strategy.partnership_id, kpi.core_indicator_id)
        entry = sums.setdefault(
            key, {"current": Decimal(0), "target": None, "kpis": 0, "years": defaultdict(Decimal)}
        )
        entry["current"] += current
        entry["kpis"] += 1
        if kpi.target_value is not None:
            entry["target"] = (entry["target"] or Decimal(0)) + kpi.target_value
        by_year = defaultdict(list)
        for period, value in found.rows:
            if value is not None:
                by_year[period.year].append(value)
        for year, year_values in by_year.items():
            entry["years"][year] += combine(kpi, year_values)
    result: dict[int, list[dict]] = defaultdict(list)
    for (partnership_id, indicator), entry in sums.items():
        result[partnership_id].append(
            {
                "indicator": indicator,
                "current": f"{entry['current']:.2f}",
                "target": None if entry["target"] is None else f"{entry['target']:.2f}",
                "kpis": entry["kpis"],
                "years": {str(y): f"{v:.2f}" for y, v in sorted(entry["years"].items())},
            }
        )
    return result


def core_values(partnership_ids, today: date | None = None, *, among=None) -> dict[int, list[dict]]:
    """``live_core_values``, read from the stored figures (as current as the KPI statuses:
    rewritten with them on every change and by the nightly job); computed live for a
    partnership that has none yet, and for a look at another day than today. ``among``: the
    same partnerships as a subquery, to read them by (a list of a thousand ids costs Django a
    conversion per id and PostgreSQL a thousand parameters)."""
    from ..models import PartnershipFigures

    ids = list(partnership_ids)
    stored = {}
    if today is None or today == timezone.localdate():
        stored = dict(
            PartnershipFigures.objects.filter(
                partnership_id__in=ids if among is None else among
            ).values_list("partnership_id", "core_values")
        )
    live = live_core_values([pk for pk in ids if pk not in stored], today)
    return {pk: stored[pk] if pk in stored else live.get(pk, []) for pk in ids}


@dataclass
class IndicatorTotal:
    indicator: object
    value: Decimal | None = None
    target: Decimal | None = None
    partnerships: int = 0
    kpis: int = 0

    @property
    def share(self) -> int | None:
        """The reached share of the targets of the partnerships that set one (%)."""
        if not self.target or self.value is None:
            return None
        return round(100 * self.value / self.target)


@dataclass
class Rollup:
    indicators: list
    totals: list[IndicatorTotal]
    dimension: str
    columns: list = field(default_factory=list)
    # {indicator id: {column: value}}
    cells: dict = field(default_factory=dict)
    partnerships: int = 0

    @property
    def label(self):
        return DIMENSIONS[self.dimension]

    @property
    def column_labels(self):
        return [column_label(self.dimension, c) for c in self.columns]

    @property
    def rows(self):
        """The indicator-by-column table, a row per indicator."""
        return [
            (total, [self.cells.get(total.indicator.pk, {}).get(c) for c in self.columns])
            for total in self.totals
        ]


def _partnership_value(entries: list[dict]) -> dict[int, tuple[Decimal, Decimal | None, int]]:
    """{indicator: (value, target, KPIs)} of one partnership."""
    return {
        entry["indicator"]: (
            _dec(entry["current"]),
            _dec(entry.get("target")),
            entry.get("kpis", 1),
        )
        for entry in entries
        if entry.get("current") is not None
    }


def _groups(among, dimension) -> dict[int, list]:
    """{partnership: [the columns it counts in]} for a split, of the partnerships ``among``
    selects (a subquery)."""
    from partnerships.models import Partner, Partnership
    from strategy.models import TargetMarket

    groups = defaultdict(list)
    if dimension in ("programme", "generation"):
        field_name = "programme__code" if dimension == "programme" else "generation"
        for pk, key in Partnership.objects.filter(pk__in=among).values_list("pk", field_name):
            groups[pk].append(key)
    elif dimension == "partner_country":
        rows = (
            Partner.objects.filter(partnership_id__in=among, left_on__isnull=True)
            .values_list("partnership_id", "cluster__country")
            .distinct()
        )
        for pk, country in rows:
            groups[pk].append(str(country))
    elif dimension == "target_country":
        rows = TargetMarket.objects.filter(partnership_id__in=among).values_list(
            "partnership_id", "country"
        )
        for pk, country in rows.distinct():
            groups[pk].append(str(country))
    return groups


def core_indicator_rollup(partnerships, *, dimension: str = "programme", today=None) -> Rollup:
    """The core indicators added up over the partnerships (a query set already filtered by
    what the user sees), split by ``dimension``, in a fixed number of queries."""
    return core_indicator_rollups(partnerships, [dimension], today=today)[0]


def core_indicator_rollups(partnerships, dimensions, *, today=None) -> list[Rollup]:
    """``core_indicator_rollup`` for several splits, the values read once."""
    from strategy.models import CoreIndicator

    among = partnerships.order_by().values("pk")
    ids = [row["pk"] for row in among]
    indicators = list(CoreIndicator.objects.all())
    values = core_values(ids, today, among=among)
    return [
        _rollup(among, indicators, values, d if d in DIMENSIONS else "programme")
        for d in dimensions
    ]


def _rollup(among, indicators, values, dimension) -> Rollup:
    totals = {i.pk: IndicatorTotal(i) for i in indicators}
    cells: dict[int, dict] = defaultdict(lambda: defaultdict(Decimal))
    groups = _groups(among, dimension) if dimension != "year" else {}
    for pk, entries in values.items():
        for indicator, (value, target, n) in _partnership_value(entries).items():
            total = totals.get(indicator)
            if total is None:
                continue
            total.value = (total.value or Decimal(0)) + value
            if target is not None:
                total.target = (total.target or Decimal(0)) + target
            total.partnerships += 1
            total.kpis += n
            for column in groups.get(pk, []):
                cells[indicator][column] += value
        if dimension == "year":
            for entry in entries:
                for year, value in (entry.get("years") or {}).items():
                    if entry["indicator"] in totals:
                        cells[entry["indicator"]][int(year)] += Decimal(value)
    columns = sorted({c for row in cells.values() for c in row}, key=_column_order(dimension))
    return Rollup(
        indicators=indicators,
        totals=[totals[i.pk] for i in indicators],
        dimension=dimension,
        columns=columns,
        cells={k: dict(v) for k, v in cells.items()},
        partnerships=len(values),  # a key for each partnership, with figures or not
    )


def _column_order(dimension):
    if dimension in ("year", "generation"):
        return lambda c: c
    return lambda c: str(c)
