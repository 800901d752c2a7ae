"""Long lists of choices (countries, NACE codes, cluster organisations) as searchable fields.

A select with hundreds of options costs every page that shows it the rendering of all of them,
and is hard to use with a keyboard or a screen reader. A searchable field renders a text input
instead, showing the current value by its label ("Germany (DE)", "62.01 Computer programming
activities"). Without JavaScript the field resolves what was typed: a code or an exact name
(case-insensitive, in the active language for countries; several separated by semicolons or
commas when it takes more than one), and answers an unknown or ambiguous entry with an error
naming a few close candidates. With JavaScript, ``static/js/choices.js`` turns the input into a
combobox fed by ``/choices/<kind>/?q=`` (``escp_portal.views.choices``).

The values stay what they were (country codes, NACE codes, ids): ``?country=DE&sector=62.01``
keeps working, and a filter keeps its API schema (``CountryFilter`` is a ``ChoiceFilter``).
"""

from .fields import (
    CountryFilter,
    NaceField,
    NaceFilter,
    NaceListField,
    SearchableChoiceField,
    SearchableModelChoiceField,
    SearchableModelMultipleChoiceField,
    SearchInput,
    searchable_formfield,
)
from .kinds import KINDS, LIMIT, BadParams, Kind, Unresolved

__all__ = [
    "KINDS",
    "LIMIT",
    "BadParams",
    "CountryFilter",
    "Kind",
    "NaceField",
    "NaceFilter",
    "NaceListField",
    "SearchInput",
    "SearchableChoiceField",
    "SearchableModelChoiceField",
    "SearchableModelMultipleChoiceField",
    "Unresolved",
    "searchable_formfield",
]
