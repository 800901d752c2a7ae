"""The partner search: cluster organisations (their public profiles) and findable members of
every partnership, ranked, each with the reasons it matches.

One query ranks both kinds together (a UNION of two scored querysets), one counts them, and the
page's rows are then read in full, one query per kind. On PostgreSQL free text goes through the
full-text vector (prefix matches, ranked by ``SearchRank``) and the competence and market filters
through trigram indexes; elsewhere the same filters read the lower-case ``search_text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

from escp_portal.accounts.policy import model
from partnerships import nace
from partnerships.models import ClusterOrganisation, Partner

from ..models import FindableProfile

MAX_WORDS = 8
WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The words of a query, lower case, at most ``MAX_WORDS`` of at most 40 characters."""
    return [w[:40] for w in WORD.findall((text or "").lower())][:MAX_WORDS]


def tag(text: str) -> str:
    return " ".join((text or "").lower().split())


@dataclass(frozen=True)
class Criteria:
    """What the search asks, as the FilterSet parsed it."""

    q: str = ""
    competence: str = ""
    nace: str = ""  # a section letter ("C") or a normalised code ("25", "25.6", "25.62")
    country: str = ""
    size: str = ""
    export_market: str = ""
    kind: str = ""  # "member", "cluster" or both

    @property
    def words(self) -> list[str]:
        return words_of(self.q)

    @property
    def competence_words(self) -> list[str]:
        return words_of(self.competence)

    @property
    def given(self) -> bool:
        """Anything to search for: an empty search lists nothing (not a million rows)."""
        return bool(
            self.words
            or self.competence_words
            or self.nace
            or self.country
            or self.size
            or self.export_market
        )

    @property
    def members_only(self) -> bool:
        """A sector, size or market: what cluster organisations do not have."""
        return bool(self.nace or self.size or self.export_market)

    @property
    def nace_is_section(self) -> bool:
        return len(self.nace) == 1 and self.nace.isalpha()


def nace_label(code: str) -> str:
    """A NACE code with its section letter: "C25.62" (a section is its letter)."""
    if not code or code.isalpha():
        return code
    return f"{nace.section_of(code)}{code}"


# --- which rows --------------------------------------------------------------------------------


def current_partner_clusters():
    """Clusters (ids, a subquery) partnering now in a published partnership: their findable
    members are found; a cluster that left every partnership takes its members out of sight."""
    return (
        Partner.objects.filter(left_on__isnull=True, sharing_ended_at__isnull=True)
        .exclude(partnership__status="draft")
        .values("cluster_id")
    )


def searchable_profiles() -> QuerySet:
    return FindableProfile.objects.filter(cluster_id__in=current_partner_clusters())


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _tsquery(words: list[str]):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config="simple")


def filter_members(profiles: QuerySet, c: Criteria) -> QuerySet:
    """The findable members that match every criterion (on the fields their profile shows)."""
    if c.kind == "cluster":
        return profiles.none()
    if c.country:
        profiles = profiles.filter(country=c.country)
    if c.size:
        profiles = profiles.filter(size_class=c.size)
    if c.export_market:
        profiles = profiles.filter(export_markets__contains=f",{c.export_market},")
    if c.nace_is_section:
        profiles = profiles.filter(nace_section=c.nace)
    elif c.nace:
        profiles = profiles.filter(nace_code__startswith=c.nace)
    for word in c.competence_words:
        profiles = profiles.filter(competence_tags__contains=word)
    if c.words:
        if _postgres():
            profiles = profiles.filter(search_vector=_tsquery(c.words))
        else:
            for word in c.words:
                profiles = profiles.filter(search_text__contains=word)
    return profiles


def _score(parts) -> Cast:
    total = Value(0.0)
    for part in parts:
        total = total + part
    return Cast(total, FloatField())


def score_members(profiles: QuerySet, c: Criteria) -> QuerySet:
    """The score behind the order: an exact competence tag and an exact NACE code weigh most,
    then the text's rank (the name first)."""
    parts = []
    if c.competence_words:
        exact = Q(competence_tags__contains=f"|{tag(c.competence)}|")
        parts.append(Case(When(exact, then=Value(30.0)), default=Value(15.0)))
    if c.nace and not c.nace_is_section:
        parts.append(Case(When(nace_code=c.nace, then=Value(20.0)), default=Value(10.0)))
    elif c.nace:
        parts.append(Value(5.0))
    if c.words:
        parts.append(Case(When(name__icontains=c.q.strip(), then=Value(10.0)), default=Value(0.0)))
        if _postgres():
            from django.contrib.postgres.search import SearchRank

            parts.append(SearchRank(F("search_vector"), _tsquery(c.words)) * Value(20.0))
    return profiles.annotate(
        kind=Cast(Value("member"), CharField()),
        rid=F("pk"),
        score=_score(parts),
        sort_name=Cast(F("name"), CharField()),
    ).values("kind", "rid", "score", "sort_name")


def _sector_named(text: str) -> Exists:
    sectors = model("partnerships.Sector").objects.filter(
        clusters=OuterRef("pk"), name__icontains=text
    )
    return Exists(sectors)


def _cluster_text(word: str) -> Q:
    return (
        Q(name__icontains=word)
        | Q(acronym__icontains=word)
        | Q(city__icontains=word)
        | Q(description__icontains=word)
        | _sector_named(word)
    )


def match_clusters(c: Criteria) -> QuerySet:
    """Cluster organisations (public profiles) that match: by name, acronym, city, description
    and sectors, and by country. A search by sector, size or market finds members only."""
    clusters = ClusterOrganisation.objects.all()
    if c.kind == "member" or c.members_only:
        return clusters.none()
    if c.country:
        clusters = clusters.filter(country=c.country)
    for word in [*c.words, *c.competence_words]:
        clusters = clusters.filter(_cluster_text(word))
    parts = []
    if c.words:
        phrase = c.q.strip()
        name = Q(name__icontains=phrase) | Q(acronym__iexact=phrase)
        parts.append(Case(When(name, then=Value(10.0)), default=Value(2.0)))
    if c.competence_words:
        phrase = tag(c.competence)
        described = Q(description__icontains=phrase) | _sector_named(phrase)
        parts.append(Case(When(described, then=Value(12.0)), default=Value(6.0)))
    return clusters.annotate(
        kind=Cast(Value("cluster"), CharField()),
        rid=F("pk"),
        score=_score(parts),
        sort_name=Cast(F("name"), CharField()),
    ).values("kind", "rid", "score", "sort_name")


MAX_COUNT = 1000  # matches counted; beyond, "1,000 or more": a search to narrow


class Results:
    """The ordered rows (``kind``, ``rid``, ``score``) of a search, as Django's paginator reads
    them: ``count()`` (at most ``MAX_COUNT``, ``capped`` beyond) and slices. They come from one
    ranked query, or, for a search with nothing to rank by (a country, a size, a market),
    from the matching clusters then the members in name order, each read through an index."""

    def __init__(self, parts, cap: int | None = None):
        self.parts = parts
        self.cap = MAX_COUNT if cap is None else cap
        self.capped = False
        self._counts = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts, left = [], self.cap + 1
            for part in self.parts:
                found = part[:left].count() if left > 0 else 0
                self._counts.append(found)
                left -= found
            self.capped = sum(self._counts) > self.cap
        return self._counts

    def count(self) -> int:
        return min(sum(self.counts()), self.cap)

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        rows, offset = [], 0
        stop = min(window.stop, self.cap)
        for part, size in zip(self.parts, self.counts(), strict=True):
            start, end = max(window.start - offset, 0), min(stop - offset, size)
            if start < end:
                rows += list(part[start:end])
            offset += size
        return rows


def ranked(profiles: QuerySet, c: Criteria) -> Results:
    """Members (``profiles``, filtered) and clusters in one order: score, then name."""
    members = score_members(profiles, c)
    clusters = match_clusters(c)
    if not (c.words or c.competence_words or c.nace):
        # Nothing to rank by: every score is equal. Clusters first, then members by name, each
        # page read in index order (not every match sorted).
        parts = [clusters, members]
        if c.kind == "member" or c.members_only:
            parts = [members]
        elif c.kind == "cluster":
            parts = [clusters]
        return Results([p.order_by("name", "pk") for p in parts])
    if c.kind == "member" or c.members_only:
        combined = members
    elif c.kind == "cluster":
        combined = clusters
    else:
        combined = members.order_by().union(clusters.order_by(), all=True)
    return Results([combined.order_by("-score", "sort_name", "kind", "rid")])


# --- the page's rows, in full, with their reasons -----------------------------------------------


@dataclass
class Result:
    kind: str
    id: int
    score: float
    obj: object
    reasons: list[str]

    @property
    def is_member(self) -> bool:
        return self.kind == "member"


def load(rows, c: Criteria) -> list[Result]:
    """The rows of one page (``kind``, ``rid``, ``score``) as results, in their order."""
    from .reasons import cluster_reasons, member_reasons

    rows = list(rows)
    member_ids = [r["rid"] for r in rows if r["kind"] == "member"]
    cluster_ids = [r["rid"] for r in rows if r["kind"] == "cluster"]
    profiles = (
        FindableProfile.objects.filter(pk__in=member_ids).select_related("cluster").in_bulk()
        if member_ids
        else {}
    )
    clusters = (
        ClusterOrganisation.objects.filter(pk__in=cluster_ids).prefetch_related("sectors").in_bulk()
        if cluster_ids
        else {}
    )
    results = []
    for row in rows:
        if row["kind"] == "member" and row["rid"] in profiles:
            obj = profiles[row["rid"]]
            reasons = member_reasons(obj, c)
        elif row["kind"] == "cluster" and row["rid"] in clusters:
            obj = clusters[row["rid"]]
            reasons = cluster_reasons(obj, c)
        else:  # gone between the two queries
            continue
        results.append(Result(row["kind"], row["rid"], round(row["score"], 3), obj, reasons))
    return results
