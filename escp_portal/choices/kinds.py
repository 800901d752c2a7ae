"""The lists of choices a searchable field offers: how each is searched, labelled and
resolved (``escp_portal.choices``)."""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _

LIMIT = 20  # suggestions per answer
CANDIDATES = 5  # close candidates named in an error
LABELLED = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[^()]+)\)$")  # "Germany (DE)"
SEPARATOR = "; "
MAX_TEXT = 2000  # what a field resolves: a few dozen names
FOLDED_KEPT = 20_000  # folded texts remembered (labels and names: a few thousand per language)
FOLDED_LONGEST = 200  # longer texts (what a user typed, mostly) are folded anew each time


def is_id(value) -> bool:
    """An id the database can hold (a longer number would fail the query, not miss)."""
    from escp_portal.filters import MAX_ID

    text = str(value)
    return text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_ID


def fold(text: str) -> str:
    """Case and accents left out, so that "cote d'ivoire" finds "Côte d'Ivoire"."""
    text = str(text)
    return _folded(text) if len(text) <= FOLDED_LONGEST else _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in text if not unicodedata.combining(c)).strip()


# A search or a filter folds every label of its list (250 countries, 1,000 NACE codes) on each
# request; the labels are the same every time.
_folded = lru_cache(maxsize=FOLDED_KEPT)(_fold)


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


@lru_cache(maxsize=32)
def _country_entries(language) -> tuple[tuple[str, str], ...]:
    """(code, "Name (CODE)") of every country, in ``language``'s names and order."""
    from django_countries import countries

    return tuple((c.code, f"{c.name} ({c.code})") for c in countries)


class CountryKind(Kind):
    def entries(self, user=None, queryset=None):
        from django.utils.translation import get_language

        return list(_country_entries(get_language()))

    def label(self, value, queryset=None):
        from django_countries import countries

        code = str(value).upper()
        return f"{countries.name(code)} ({code})" if code in countries else None

    def names(self, value, label):
        # The name in the active language, and the English one (often typed anyway).
        return {fold(label), fold(LABELLED.match(label)["name"]), english_names().get(value)}


@cache
def _nace_entries() -> tuple[tuple[str, str], ...]:
    from partnerships.nace import table

    return tuple((code, f"{code} {title}") for code, title in table().items())


class NaceKind(Kind):
    def entries(self, user=None, queryset=None):
        return list(_nace_entries())

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
        if row is None and is_id(value):
            row = self._rows(None, queryset).filter(pk=value).only("name", "country").first()
        return self._label(row) if row is not None else None

    def search(self, q, user=None, queryset=None, limit=LIMIT, params=None):
        from django.db.models import Case, IntegerField, Value, When

        q = q.strip()
        rows = self._rows(user, queryset, params).filter(self._named(q) | _contains("name", q))
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
        if is_id(text):
            found = list(rows.filter(pk=text)) or found
        if len(found) == 1:
            return found[0]
        matches = [self._label(r) for r in found] or [
            label for _pk, label in self.search(name, queryset=queryset, limit=CANDIDATES)
        ]
        raise Unresolved(text, matches[:CANDIDATES])


def _contains(field, value):
    from django.db.models import Q

    return Q(**{f"{field}__icontains": value})


class ClusterKind(RowKind):
    """The clusters the user sees; with ``?for=invitation``, only those they may invite
    managers of (``accounts.policy.invitable_cluster_ids``), as the invitation form accepts."""

    code_field = "acronym"

    def rows(self, user, params=None):
        from escp_portal.accounts.policy import invitable_cluster_ids
        from partnerships.models import ClusterOrganisation

        purpose = (params or {}).get("for", "")
        if purpose not in ("", "invitation"):
            raise BadParams(_("Unknown purpose: %(purpose)s.") % {"purpose": purpose})
        rows = ClusterOrganisation.objects.visible_to(user)
        if purpose == "invitation":
            ids = invitable_cluster_ids(user)
            if ids is not None:
                rows = rows.filter(pk__in=ids)
        return rows


class MemberKind(RowKind):
    """The members a partnership's records may name (``?partnership=<id>``): those of its
    partner clusters the user sees (``missions.selectors.nameable_members``)."""

    def rows(self, user, params=None):
        from missions.selectors import nameable_members
        from partnerships.models import Partnership

        value = (params or {}).get("partnership", "")
        if not is_id(value):
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
