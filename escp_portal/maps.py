"""Country maps drawn on the server: an SVG choropleth of figures by country, for Europe or the
world, with its legend and its table.

No tiles, no script and nothing from another site (the Content-Security-Policy allows none of
them): the shapes are vendored in ``mapdata/countries.json`` (Natural Earth through world-atlas,
built by ``scripts/build_map_data.py``), the colours are CSS classes in
``static/css/maps.css``. A page passes ``{alpha-2 code: count}`` — one series, or a few drawn
together (a partnership's target markets, missions and outcomes) — and renders the result with
``templates/includes/map.html``, which puts the table right after the picture: the table is the
map for whoever cannot see it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html import escape as escape_text
from pathlib import Path

from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import Country

DATA = Path(__file__).resolve().parent / "mapdata" / "countries.json"
VIEWS = ("europe", "world")
SHADES = 4  # classes map-c1 (lightest) to map-c4; map-c0 is a country without a figure
MARKER_RADIUS = {"europe": 5, "world": 4}


@cache
def shapes() -> dict:
    """The vendored shapes, read once per process."""
    return json.loads(DATA.read_text(encoding="utf-8"))["views"]


@cache
def _escaped_paths(view: str) -> dict[str, str]:
    """The view's shapes escaped for an attribute once per process (a page draws hundreds)."""
    return {code: escape_text(path) for code, path in shapes()[view]["paths"].items()}


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    values: tuple[int, ...]
    total: int
    shade: int
    drawn: bool  # False: no shape or marker for it in this view (the table still has it)


@dataclass(frozen=True)
class CountryMap:
    key: str
    view: str
    title: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    legend_title: str
    legend: tuple[tuple[int, str], ...]  # (shade, label), the lightest first
    svg: SafeString = field(repr=False)

    @property
    def not_drawn(self) -> list[Row]:
        return [row for row in self.rows if not row.drawn]


def shade_classes(highest: int) -> list[tuple[int, int]]:
    """The count ranges (low, high) of the shades, for figures from 1 to ``highest``.

    Up to four distinct figures get a shade each; above that the ranges grow geometrically
    (1-2, 3-6, 7-15, 16-40 for 40), so that one large country does not wash out the others."""
    if highest <= 0:
        return []
    if highest <= SHADES:
        return [(n, n) for n in range(1, highest + 1)]
    lows = [1]
    for step in range(1, SHADES):
        low = math.ceil(highest ** (step / SHADES))
        lows.append(max(low, lows[-1] + 1))
    lows = [low for low in lows if low <= highest]
    highs = [low - 1 for low in lows[1:]] + [highest]
    return list(zip(lows, highs, strict=True))


def shade_of(count: int, ranges: Sequence[tuple[int, int]]) -> int:
    """The CSS shade (1 to 4) of a count; with fewer ranges than shades, the darkest are used."""
    if count <= 0 or not ranges:
        return 0
    offset = SHADES - len(ranges)
    for index, (low, high) in enumerate(ranges):
        if low <= count <= high:
            return index + 1 + offset
    return SHADES


def _clean(counts: Mapping) -> dict[str, int]:
    """``{code: count}`` with codes as upper-case strings (a Country or a str); codes that name
    no country (blank, mistyped, or not ISO 3166 like "XK") and figures that are not positive
    whole numbers are left out."""
    clean: dict[str, int] = {}
    for code, count in (counts or {}).items():
        code = str(code or "").strip().upper()
        try:
            count = int(count or 0)
        except (TypeError, ValueError):
            continue
        if count > 0 and len(code) == 2 and code in _names():
            clean[code] = clean.get(code, 0) + count
    return clean


def _names() -> dict[str, str]:
    """{code: name} of every country in the active language, worked out once a language."""
    return _names_in(get_language() or "en")


@lru_cache(maxsize=16)
def _names_in(language: str) -> dict[str, str]:
    with translation.override(language):
        return {code: str(name) for code, name in countries}


def country_name(code: str) -> str:
    """The country's name in the active language."""
    return _names().get(code) or str(Country(code).name)


def country_map(
    view: str,
    series: Sequence[tuple[str, Mapping]],
    *,
    key: str,
    title: str,
    caption: str | None = None,
    legend_title: str | None = None,
) -> CountryMap:
    """The map of ``view`` ("europe" or "world") for ``series``: ``[(label, {code: count})]``.

    A country is shaded by the sum of its figures over the series; its tooltip and its table row
    give each figure. ``key`` makes the SVG's ids unique on the page. A country the view has no
    shape or marker for (outside Europe, or too small for the 1:110m world) is in the table
    only; a code that names no country is skipped."""
    if view not in VIEWS:
        raise ValueError(f"unknown map view {view!r}")
    cleaned = [(str(label), _clean(counts)) for label, counts in series]
    columns = tuple(label for label, _counts in cleaned)
    codes = {code for _label, counts in cleaned for code in counts}
    totals = {code: sum(counts.get(code, 0) for _label, counts in cleaned) for code in codes}
    ranges = shade_classes(max(totals.values(), default=0))
    geometry = shapes()[view]
    drawable = geometry["paths"].keys() | geometry["points"].keys()
    rows = sorted(
        (
            Row(
                code=code,
                name=country_name(code),
                values=tuple(counts.get(code, 0) for _label, counts in cleaned),
                total=totals[code],
                shade=shade_of(totals[code], ranges),
                drawn=code in drawable,
            )
            for code in codes
        ),
        key=lambda row: (-row.total, row.name),
    )
    legend = tuple(
        (shade_of(low, ranges), str(low) if low == high else f"{low}\u2013{high}")
        for low, high in ranges
    )
    if legend_title is None:
        legend_title = columns[0] if len(columns) == 1 else _("Figures added up")
    svg = _svg(view, key, title, rows, columns, geometry)
    return CountryMap(
        key=key,
        view=view,
        title=title,
        caption=caption or title,
        columns=columns,
        rows=tuple(rows),
        legend_title=legend_title,
        legend=legend,
        svg=svg,
    )


def _tooltip(row: Row, columns: Sequence[str]) -> str:
    if len(columns) == 1:
        figures = str(row.total)
    else:
        figures = "; ".join(
            f"{label}: {value}" for label, value in zip(columns, row.values, strict=True) if value
        )
    return _("%(country)s: %(figures)s") % {"country": row.name, "figures": figures}


def _svg(view, key, title, rows, columns, geometry) -> SafeString:
    by_code = {row.code: row for row in rows}
    width, height = geometry["width"], geometry["height"]
    described = ngettext(
        "%(n)s country with a figure; the table after the map lists it.",
        "%(n)s countries with a figure; the table after the map lists them.",
        len(rows),
    ) % {"n": len(rows)}
    if "outline" in geometry:
        sea = format_html('<path class="map-sea" d="{}"/>', geometry["outline"])
    else:
        sea = format_html('<rect class="map-sea" width="{}" height="{}"/>', width, height)
    # Plain strings for the hundreds of shapes (format_html per shape is most of a page's
    # time); every text in them is escaped, the shapes once (``_escaped_paths``).
    land = []
    for code, path in _escaped_paths(view).items():
        row = by_code.get(code)
        if code.startswith("_"):  # land without an ISO code of its own
            land.append(f'<path class="map-c0" d="{path}"/>')
            continue
        tip = escape_text(str(_tooltip(row, columns) if row else country_name(code)))
        shade = int(row.shade) if row else 0
        land.append(f'<path class="map-c{shade}" d="{path}"><title>{tip}</title></path>')
    radius = MARKER_RADIUS[view]
    markers = format_html_join(
        "",
        '<circle class="map-marker map-c{}" cx="{}" cy="{}" r="{}"><title>{}</title></circle>',
        (
            (row.shade, *geometry["points"][row.code], radius, _tooltip(row, columns))
            for row in rows
            if row.code in geometry["points"]
        ),
    )
    return format_html(
        '<svg class="country-map country-map-{view}" '
        'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{key}-title {key}-desc">'
        '<title id="{key}-title">{title}</title><desc id="{key}-desc">{desc}</desc>'
        '{sea}<g class="map-land">{land}</g><g class="map-markers">{markers}</g></svg>',
        view=view,
        width=width,
        height=height,
        key=key,
        title=title,
        desc=described,
        sea=sea,
        land=mark_safe("".join(land)),  # each part went through format_html
        markers=markers,
    )
