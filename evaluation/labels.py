"""Stored figures as people read them. Totals and statistics keep codes (they live in snapshot
JSON and the API hands them out as they are); pages and exports show the label of an outcome
kind and the name of a country, in the language of the request."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django_countries.fields import Country


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
