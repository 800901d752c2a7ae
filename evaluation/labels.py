"""Stored figures as people read them. Totals and statistics keep codes (they live in snapshot
JSON and the API hands them out as they are); pages and exports show the label of an outcome
kind and the name of a country, in the language of the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.template.defaultfilters import date as date_filter
from django.utils import numberformat
from django.utils.formats import get_format, number_format
from django_countries.fields import Country

NONE = "—"


def outcome_kinds(by_kind: dict | None) -> list[tuple[str, int]]:
    """``{"mou": 3}`` as ``[("MoU or formal agreement", 3)]``, most frequent first. A code that
    is no longer a kind is shown as it is rather than dropped."""
    from missions.models import Outcome

    labels = dict(Outcome.Kind.choices)
    rows = [(str(labels.get(code, code)), n) for code, n in (by_kind or {}).items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def countries(by_country: dict | None) -> list[tuple[Country, int]]:
    """``{"US": 2}`` as ``[(Country("US"), 2)]`` (whose ``name`` is translated), most frequent
    first, then by name."""
    rows = [(Country(code=code), n) for code, n in (by_country or {}).items()]
    return sorted(rows, key=lambda row: (-row[1], str(row[0].name)))


def country_name(code: str) -> str:
    return str(Country(code=code).name) or code


def decimal(value) -> Decimal:
    """A stored amount (a string in snapshots) as a number, for a spreadsheet cell."""
    try:
        return Decimal(str(value or 0))
    except InvalidOperation:
        return Decimal(0)


def amount(value, decimals: int = 0) -> str:
    """A stored decimal (a string in snapshots) formatted for the active language, with its
    thousand separators: ``"630000.00"`` is ``630,000`` in English and ``630 000`` in French."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if decimals == 0:
        number = number.quantize(Decimal(1))
    elif number == number.to_integral_value():
        number, decimals = number.quantize(Decimal(1)), 0
    return number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@dataclass
class ShownPeriod:
    """A row of the targets page, its figures as text (``shown_targets``)."""

    period_end: str
    target: str
    period_target: str
    actual: str
    to_date: str
    percent: str
    ended: bool


class Figures:
    """``|floatformat`` for the thousands of figures of one table, with the same rounding (half
    up) and the same formats of the active language, read once: the filter looks them up again
    for each number, which is most of its cost. A test holds the two to the same text
    (``tests/evaluation/test_floatformat_figures.py``)."""

    def __init__(self):
        names = ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
        self.formats = [get_format(name) for name in names]

    def __call__(self, value, places: int = 2) -> str:
        """``value|floatformat:"-<places>"`` (``places`` 0: ``floatformat:"0"``): a whole number
        without decimals, any other rounded to ``places``; ``NONE`` for ``None``."""
        if value is None:
            return NONE
        number = Decimal(str(value))
        if number == number.to_integral_value():
            text, places = str(int(number)), 0
        else:
            digits = len(number.as_tuple().digits) + places + 1
            rounded = number.quantize(
                Decimal(1).scaleb(-places), ROUND_HALF_UP, Context(prec=max(28, digits))
            )
            text = f"{rounded:f}".lstrip("-") if not rounded else f"{rounded:f}"
        decimal_sep, grouping, thousands = self.formats
        return numberformat.format(text, decimal_sep, places, grouping, thousands, use_l10n=True)


def shown_targets(table) -> list[tuple[object, list[ShownPeriod]]]:
    """``target_table``'s rows with their figures written out as the page shows them: what
    ``|floatformat:"-2"|default:"—"`` and ``|date:"DATE_FORMAT"`` write, each date once. Done
    here, a table of thousands of figures (twenty KPIs, five years of months) costs the page a
    plain variable per cell instead of two filters through the template language."""
    days: dict[date, str] = {}

    def day(value: date) -> str:
        if value not in days:
            days[value] = date_filter(value, "DATE_FORMAT")
        return days[value]

    figure = Figures()

    return [
        (
            row.kpi,
            [
                ShownPeriod(
                    period_end=day(p.period_end),
                    target=figure(p.target),
                    period_target=figure(p.period_target),
                    actual=figure(p.actual),
                    to_date=figure(p.to_date),
                    percent=NONE if p.percent is None else f"{figure(p.percent, 0)} %",
                    ended=p.ended,
                )
                for p in row.periods
            ],
        )
        for row in table
    ]
