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

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

import django_filters
from django import forms
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LIMIT = 20  # suggestions per answer
CANDIDATES = 5  # close candidates named in an error
LABELLED = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[^()]+)\)$")  # "Germany (DE)"
SEPARATOR = "; "
MAX_TEXT = 2000  # what a field resolves: a few dozen names


def fold(text: str) -> str:
    """Case and accents left out, so that "cote d'ivoire" finds "Côte d'Ivoire"."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(c for c in text if not unicodedata.combining(c)).strip()


class Unresolved(Exception):
    """What was typed names no choice, or more than one; ``candidates`` are labels."""

    def __init__(self, text: str, candidates: list[str]):
        super().__init__(text)
        self.text, self.candidates = text, candidates


@dataclass(frozen=True)
class Kind:
    """One list of choices: how it is searched, labelled and resolved."""

    name: str
    noun: Any  # "country", for the messages
    public: bool  # the same list for everyone (per language): answers may be cached

    def entries(self, user=None, queryset=None) -> list[tuple[str, str]]:
        """(value, label) of every choice, for the lists small enough to hold (not clusters)."""
        raise NotImplementedError

    def label(self, value, queryset=None) -> str | None:
        entries = dict(self.entries(queryset=queryset))
        return entries.get(str(value))

    def search(
        self, q: str, user=None, queryset=None, limit=LIMIT, params=None
    ) -> list[tuple[str, str]]:
        """The choices whose code or label matches ``q``: exact code first, then labels that
        start with it, then labels with a word that does, then the others containing it."""
        wanted = fold(q)
        ranked = []
        for value, label in self.entries(user, queryset):
            text = fold(label)
            if fold(value) == wanted:
                rank = 0
            elif text.startswith(wanted):
                rank = 1
            elif re.search(r"\b" + re.escape(wanted), text):
                rank = 2
            elif wanted in text:
                rank = 3
            else:
                continue
            ranked.append((rank, label, value))
        ranked.sort(key=lambda row: row[:2])
        return [(value, label) for _rank, label, value in ranked[:limit]]

    def resolve(self, text: str, queryset=None):
        """The value ``text`` names: its code, its label, or its exact name."""
        entries = self.entries(queryset=queryset)
        by_value = {fold(value): value for value, _label in entries}
        key = fold(text)
        labelled = LABELLED.match(text.strip())
        if labelled and fold(labelled["code"]) in by_value:
            key = fold(labelled["code"])
        if key in by_value:
            return by_value[key]
        named = [value for value, label in entries if key in self.names(value, label)]
        if len(named) == 1:
            return named[0]
        candidates = [label for value, label in entries if value in named] or [
            label for _value, label in self.search(text, queryset=queryset, limit=CANDIDATES)
        ]
        raise Unresolved(text, candidates[:CANDIDATES])

    def names(self, value, label) -> set[str]:
        """The folded names a choice answers to besides its value."""
        return {fold(label)}


@cache
def english_names() -> dict[str, str]:
    from django.utils import translation
    from django_countries import countries

    with translation.override("en"):
        return {c.code: fold(c.name) for c in countries}


class CountryKind(Kind):
    def entries(self, user=None, queryset=None):
        from django_countries import countries

        return [(c.code, f"{c.name} ({c.code})") for c in countries]

    def label(self, value, queryset=None):
        from django_countries import countries

        code = str(value).upper()
        return f"{countries.name(code)} ({code})" if code in countries else None

    def names(self, value, label):
        # The name in the active language, and the English one (often typed anyway).
        return {fold(label), fold(LABELLED.match(label)["name"]), english_names().get(value)}


class NaceKind(Kind):
    def entries(self, user=None, queryset=None):
        from partnerships.nace import table

        return [(code, f"{code} {title}") for code, title in table().items()]

    def label(self, value, queryset=None):
        from partnerships.nace import normalise, table

        code = normalise(str(value)) if not re.fullmatch(r"[A-Ua-u]", str(value)) else value
        return f"{code} {table()[code]}" if code in table() else None

    def resolve(self, text, queryset=None):
        from partnerships.nace import normalise, table

        text = text.strip()
        for code in (text.upper(), normalise(text)):
            if code in table():
                return code
        code, _space, title = text.partition(" ")  # "62.01 Computer programming activities"
        code = code.upper() if re.fullmatch(r"[A-Za-z]", code) else normalise(code)
        if code in table() and fold(table()[code]) == fold(title):
            return code
        return super().resolve(text, queryset)

    def names(self, value, label):
        # A group's title is its class's or its division's: the title names those instead.
        return set() if re.fullmatch(r"\d\d\.\d", value) else {fold(label.split(" ", 1)[1])}


class BadParams(ValueError):
    """The suggestions were asked with parameters the list does not take."""


class RowKind(Kind):
    """Rows of a table (thousands of them): searched in the database, only among those the user
    may see, or those the field offers (``queryset``)."""

    code_field = ""  # a short name that also picks a row (a cluster's acronym)

    def rows(self, user, params=None):
        raise NotImplementedError

    def _rows(self, user, queryset, params=None):
        rows = self.rows(user, params) if queryset is None else queryset
        return rows.order_by("name", "pk")

    @staticmethod
    def _label(row) -> str:
        return f"{row.name} ({row.country})"

    def _named(self, name):
        from django.db.models import Q

        condition = Q(name__iexact=name)
        if self.code_field:
            condition |= Q(**{f"{self.code_field}__iexact": name})
        return condition

    def label(self, value, queryset=None):
        row = value if hasattr(value, "pk") else None
        if row is None and str(value).isdigit():
            row = self._rows(None, queryset).filter(pk=value).only("name", "country").first()
        return self._label(row) if row is not None else None

    def search(self, q, user=None, queryset=None, limit=LIMIT, params=None):
        from django.db.models import Case, IntegerField, Value, When

        q = q.strip()
        rows = self._rows(user, queryset, params).filter(self._named(q) | Q_contains("name", q))
        rows = rows.annotate(
            rank=Case(
                When(self._named(q), then=Value(0)),
                When(name__istartswith=q, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("rank", "name", "pk")
        return [(str(r.pk), self._label(r)) for r in rows.only("name", "country")[:limit]]

    def resolve(self, text, queryset=None):
        rows = self._rows(None, queryset)
        text = text.strip()
        labelled = LABELLED.match(text)
        name = labelled["name"] if labelled else text
        found = list(rows.filter(self._named(text) | self._named(name))[:2])
        if text.isdigit() and len(text) < 19:
            found = list(rows.filter(pk=text)) or found
        if len(found) == 1:
            return found[0]
        matches = [self._label(r) for r in found] or [
            label for _pk, label in self.search(name, queryset=queryset, limit=CANDIDATES)
        ]
        raise Unresolved(text, matches[:CANDIDATES])


def Q_contains(field, value):
    from django.db.models import Q

    return Q(**{f"{field}__icontains": value})


class ClusterKind(RowKind):
    code_field = "acronym"

    def rows(self, user, params=None):
        from partnerships.models import ClusterOrganisation

        return ClusterOrganisation.objects.visible_to(user)


class MemberKind(RowKind):
    """The members a partnership's records may name (``?partnership=<id>``): those of its
    partner clusters the user sees (``missions.selectors.nameable_members``)."""

    def rows(self, user, params=None):
        from missions.selectors import nameable_members
        from partnerships.models import Partnership

        value = (params or {}).get("partnership", "")
        if not value.isdigit() or len(value) > 18:
            raise BadParams(_("Which partnership's members? Give ?partnership=<id>."))
        partnership = Partnership.objects.visible_to(user).filter(pk=value).first()
        if partnership is None:
            raise BadParams(_("No such partnership."))
        return nameable_members(user, partnership)


KINDS = {
    kind.name: kind
    for kind in (
        CountryKind("country", _("country"), public=True),
        NaceKind("nace", _("NACE code"), public=True),
        ClusterKind("cluster", _("cluster organisation"), public=False),
        MemberKind("member", _("member"), public=False),
    )
}


class SearchInput(forms.TextInput):
    """A text input showing its value's label, which ``choices.js`` turns into a combobox."""

    def __init__(self, kind: str, multiple=False, attrs=None):
        super().__init__(attrs)
        self.kind, self.multiple = kind, multiple
        self.queryset = None
        self.params: dict[str, str] = {}  # what the list is narrowed to (?partnership=)

    def value_from_datadict(self, data, files, name):
        # Several values sent the way a multiple select sends them (?markets=DE&markets=FR)
        # are still understood.
        if self.multiple and hasattr(data, "getlist") and len(data.getlist(name)) > 1:
            return data.getlist(name)
        return super().value_from_datadict(data, files, name)

    def format_value(self, value):
        if value in (None, "", [], ()):
            return None
        kind = KINDS[self.kind]
        values = value if isinstance(value, list | tuple) else [value]
        if isinstance(value, str) and self.multiple:
            values = [value]  # what the user typed, shown back as it was
        shown = []
        for item in values:
            item = getattr(item, "code", item)
            label = (
                None if isinstance(item, str) and " " in item else kind.label(item, self.queryset)
            )
            shown.append(label or str(item))
        return SEPARATOR.join(shown)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["autocomplete"] = "off"
        url = reverse("choices", args=[self.kind])
        widget_attrs["data-choices"] = f"{url}?{urlencode({'lang': get_language(), **self.params})}"
        if self.multiple:
            widget_attrs["data-choices-multiple"] = "true"
        widget_attrs["data-choices-list"] = _("Suggestions")
        widget_attrs["data-choices-none"] = _("No suggestions")
        widget_attrs["data-choices-one"] = _("1 suggestion")
        widget_attrs["data-choices-many"] = _("{n} suggestions")
        widget_attrs["data-choices-hint"] = (
            _(
                "Type to search, then choose with the Down and Enter keys; separate several "
                "with semicolons."
            )
            if self.multiple
            else _("Type to search, then choose with the Down and Enter keys.")
        )
        return context


def _message(kind: Kind, error: Unresolved) -> str:
    if not error.candidates:
        return _("No %(noun)s matches “%(text)s”.") % {"noun": kind.noun, "text": error.text}
    return _("“%(text)s” is not one %(noun)s. Did you mean: %(candidates)s?") % {
        "text": error.text,
        "noun": kind.noun,
        "candidates": SEPARATOR.join(error.candidates),
    }


class SearchableChoiceField(forms.Field):
    """A code (a country, a NACE code) typed or picked; ``multiple`` for a list of them."""

    # The keyword arguments a choice field gets from a model field or a filter, not used here:
    # the kind is the list of choices.
    IGNORED = (
        *("choices", "coerce", "empty_value", "empty_label", "null_label", "limit_choices_to"),
        *("max_length", "min_length", "strip"),
    )

    def __init__(self, *, kind: str, multiple=False, **kwargs):
        for name in self.IGNORED:
            kwargs.pop(name, None)
        kwargs.setdefault("widget", SearchInput(kind, multiple))
        self.kind, self.multiple = KINDS[kind], multiple
        super().__init__(**kwargs)

    def pieces(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(v).strip() for v in value if str(v).strip()]
        pieces = []
        for part in str(value or "").split(";"):
            part = part.strip()
            if not part:
                continue
            try:
                self.resolve(part)
                pieces.append(part)
            except forms.ValidationError:
                pieces.extend(p.strip() for p in part.split(",") if p.strip())
        return pieces

    def resolve(self, text: str):
        try:
            return self.kind.resolve(text, self.queryset_for_kind())
        except Unresolved as error:
            raise forms.ValidationError(_message(self.kind, error), code="invalid_choice") from None

    def queryset_for_kind(self):
        return None

    def to_python(self, value):
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise forms.ValidationError(
                _("At most %(max)s characters.") % {"max": MAX_TEXT}, code="max_length"
            )
        if not self.multiple:
            value = str(value or "").strip()
            return self.resolve(value) if value else ""
        resolved, errors = [], []
        for piece in self.pieces(value) if isinstance(value, str) else value or []:
            try:
                resolved.append(self.resolve(str(piece)))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(resolved))

    def prepare_value(self, value):
        return value


class SearchableModelChoiceField(forms.ModelChoiceField):
    """A row of a long list (a cluster organisation) typed or picked, among ``queryset``."""

    def __init__(self, queryset, *, kind: str, **kwargs):
        kwargs.setdefault("widget", SearchInput(kind))
        self.kind = KINDS[kind]
        super().__init__(queryset, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "pk"):
            return value
        try:
            return self.kind.resolve(str(value), self.queryset)
        except Unresolved as error:
            raise forms.ValidationError(_message(self.kind, error), code="invalid_choice") from None


class SearchableModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rows of a long list (members) typed or picked, separated by semicolons, among
    ``queryset``; several values sent the way a multiple select sends them still count."""

    def __init__(self, queryset, *, kind: str, **kwargs):
        kwargs["widget"] = SearchInput(kind, multiple=True)
        self.kind = KINDS[kind]
        super().__init__(queryset, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelMultipleChoiceField._get_queryset, _set_queryset)

    def clean(self, value):
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise forms.ValidationError(
                    _("At most %(max)s characters.") % {"max": MAX_TEXT}, code="max_length"
                )
            value = [piece.strip() for piece in value.split(";") if piece.strip()]
        if not value:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        found, errors = [], []
        for piece in value:
            try:
                found.append(self.kind.resolve(str(piece), self.queryset).pk)
            except Unresolved as error:
                errors.append(_message(self.kind, error))
        if errors:
            raise forms.ValidationError(errors)
        return self.queryset.filter(pk__in=found)


class CountryFilter(django_filters.ChoiceFilter):
    """A country filter of a FilterSet: still a choice of codes at the API (the same schema and
    values), a searchable field on the page."""

    def __init__(self, *args, **kwargs):
        from django_countries import countries

        kwargs.setdefault("choices", lambda: list(countries))
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = SearchableChoiceField(
                kind="country",
                label=self.label,
                required=self.extra.get("required", False),
                help_text=self.extra.get("help_text"),
            )
        return self._field


class NaceField(SearchableChoiceField):
    """A NACE code typed or picked: a section letter, a division, a group or a class (a form
    or a filter that takes fewer checks the code itself)."""

    def __init__(self, **kwargs):
        super().__init__(kind="nace", **kwargs)

    def resolve(self, text):
        if re.fullmatch(r"[A-Za-z]", text.strip()):
            return text.strip().upper()
        return super().resolve(text)


class NaceFilter(django_filters.CharFilter):
    """A NACE filter of a FilterSet: a text parameter at the API, a searchable field on the
    page."""

    field_class = NaceField


def searchable_formfield(db_field, **kwargs):
    """A model form's ``formfield_callback``: a country field becomes searchable."""
    from django_countries.fields import CountryField

    if isinstance(db_field, CountryField):
        kwargs.pop("widget", None)
        multiple = db_field.multiple

        def country_field(**options):
            return SearchableChoiceField(kind="country", multiple=multiple, **options)

        return db_field.formfield(choices_form_class=country_field, **kwargs)
    return db_field.formfield(**kwargs)
