"""Searchable form fields and filters (``escp_portal.choices``)."""

import re

import django_filters
from django import forms
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS, MAX_TEXT, SEPARATOR, Kind, Unresolved


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
            return self.kind.resolve(text)
        except Unresolved as error:
            raise forms.ValidationError(_message(self.kind, error), code="invalid_choice") from None

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


class _SearchableRows:
    """What both model fields share: their widget searches ``kind`` and follows the field's
    queryset (a form narrowing the queryset narrows what the widget shows)."""

    multiple = False

    def __init__(self, queryset, *, kind: str, **kwargs):
        kwargs["widget"] = SearchInput(kind, multiple=self.multiple)
        self.kind = KINDS[kind]
        super().__init__(queryset, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class SearchableModelChoiceField(_SearchableRows, forms.ModelChoiceField):
    """A row of a long list (a cluster organisation) typed or picked, among ``queryset``."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "pk"):
            return value
        try:
            return self.kind.resolve(str(value), self.queryset)
        except Unresolved as error:
            raise forms.ValidationError(_message(self.kind, error), code="invalid_choice") from None


class SearchableModelMultipleChoiceField(_SearchableRows, forms.ModelMultipleChoiceField):
    """Rows of a long list (members) typed or picked, separated by semicolons, among
    ``queryset``; several values sent the way a multiple select sends them still count."""

    multiple = True

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
        from partnerships.nace import normalise, table, validate_nace

        if re.fullmatch(r"[A-Za-z]", text.strip()):
            return text.strip().upper()
        if re.fullmatch(r"[A-Za-z]?[\d.]+", text.strip()) and normalise(text) not in table():
            validate_nace(normalise(text))  # a code, not one of NACE: the message says so
        return super().resolve(text)


# A NACE section letter or code as typed in a list (``C``, ``C25``, ``6201``, ``62.01``).
NACE_PIECE = re.compile(r"[A-Za-z]|[A-Za-z]?\d[\d.]*")


class NaceListField(NaceField):
    """Several NACE sections and codes typed or picked (a funding call's, a partner search's),
    cleaned to the text the model keeps: the codes joined by ``separator``. Codes typed the way
    the text is kept, separated by spaces or commas (``C25 62.01``), are understood too, and the
    kept text is shown with the codes' titles."""

    def __init__(self, *, separator: str, **kwargs):
        self.separator = separator
        kwargs.setdefault(
            "help_text",
            _(
                "Sections or codes: type a code or words of the activity and pick it; separate "
                "several with semicolons."
            ),
        )
        super().__init__(multiple=True, **kwargs)

    @staticmethod
    def codes(text: str) -> list[str] | None:
        """The pieces of ``text`` when every one is a code, else ``None``."""
        pieces = [piece for piece in re.split(r"[\s,]+", text) if piece]
        return pieces if pieces and all(NACE_PIECE.fullmatch(p) for p in pieces) else None

    def pieces(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            return super().pieces(value)
        pieces = []
        for part in str(value or "").split(";"):
            part = part.strip()
            if part:
                pieces.extend(self.codes(part) or super().pieces(part))
        return pieces

    def resolve(self, text):
        from partnerships.nace import sector_list

        if NACE_PIECE.fullmatch(text.strip()):
            sector_list(text)  # a code that is none names itself in the message
        return super().resolve(text)

    def prepare_value(self, value):
        codes = self.codes(value.replace(";", " ")) if isinstance(value, str) else None
        return codes or value

    def clean(self, value) -> str:
        return self.separator.join(super().clean(value))

    def has_changed(self, initial, data) -> bool:
        try:
            return self.clean(data) != (initial or "")
        except forms.ValidationError:
            return True


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
