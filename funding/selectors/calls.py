"""Which open EU funding calls fit which partnership, and why.

A call fits a partnership when it shares a sector with the partnership or its partner clusters,
names a NACE section or code their members work in, covers one of its target markets, or has a
topic that its objectives speak of. Each of these adds to the call's score and gives a reason the
page shows. A call that lists eligible countries must include at least one country of the
partnership's partner clusters or target markets. A call whose deadline has passed is never
listed as open.

Everything is read with a fixed number of queries for any number of partnerships and calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_countries import countries as countries_names

from partnerships.models import ClusterOrganisation, Partner, Partnership, Sector
from partnerships.nace import section_of
from strategy.models import Objective, TargetMarket
from strategy.selectors import live_strategies

from ..models import FundingCall

SECTOR_POINTS, NACE_POINTS, MARKET_POINTS, TOPIC_POINTS = 3, 2, 2, 2
WORD = re.compile(r"\w{4,}")


REASONS = {
    "sector": lambda v: _("Sector: %(s)s") % {"s": v},
    "nace": lambda v: _("Members work in NACE %(c)s") % {"c": v},
    "market": lambda v: _("Target market: %(m)s") % {"m": v},
    "topic": lambda v: _("Objectives speak of: %(t)s") % {"t": v},
}


@dataclass
class Match:
    """A call that fits a partnership: its score and why (the reasons in the language active
    when they are read, so that an email speaks its recipient's)."""

    call: FundingCall
    partnership: Partnership
    score: int = 0
    why: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        parts = []
        for kind, values in self.why:
            if kind == "market":
                values = [countries_names.name(code) or code for code in values]
            parts.append(REASONS[kind](("; " if kind == "topic" else ", ").join(values)))
        return parts


@dataclass
class Profile:
    """What a partnership is matched on."""

    sectors: set = field(default_factory=set)
    countries: set = field(default_factory=set)
    nace: set = field(default_factory=set)
    markets: set = field(default_factory=set)
    text: str = ""


def open_calls(today, queryset=None):
    """The calls still open on ``today`` (the deadline day included), soonest first."""
    queryset = FundingCall.objects.all() if queryset is None else queryset
    return (
        queryset.filter(deadline__gte=today)
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("name")))
        .order_by("deadline", "pk")
    )


def _profiles(partnerships) -> dict[int, Profile]:
    ids = [p.pk for p in partnerships]
    profiles = {p.pk: Profile(text=(p.objectives or "").lower()) for p in partnerships}
    current = {"left_on__isnull": True, "sharing_ended_at__isnull": True}
    cluster_sectors = ClusterOrganisation.sectors.through.objects.filter(
        clusterorganisation__partnerships_joined__partnership_id__in=ids,
        **{f"clusterorganisation__partnerships_joined__{k}": v for k, v in current.items()},
    ).values_list("clusterorganisation__partnerships_joined__partnership_id", "sector_id")
    own_sectors = Partnership.sectors.through.objects.filter(partnership_id__in=ids).values_list(
        "partnership_id", "sector_id"
    )
    for partnership_id, sector_id in cluster_sectors.union(own_sectors):
        profiles[partnership_id].sectors.add(sector_id)
    clusters = (
        Partner.objects.filter(partnership_id__in=ids, **current)
        .values_list(
            "partnership_id", "cluster__country", "cluster__memberships__member__nace_code"
        )
        .distinct()
    )
    for partnership_id, country, nace in clusters:
        profiles[partnership_id].countries.add(_code(country))
        if nace:
            profiles[partnership_id].nace.add(nace)
    for partnership_id, country in TargetMarket.objects.filter(partnership_id__in=ids).values_list(
        "partnership_id", "country"
    ):
        profiles[partnership_id].markets.add(_code(country))
    for partnership_id, statement in Objective.objects.filter(
        strategy__in=live_strategies(ids)
    ).values_list("strategy__partnership_id", "statement"):
        profiles[partnership_id].text += "\n" + statement.lower()
    return profiles


def _nace_hits(call_codes, member_codes) -> list[str]:
    hits = []
    for code in call_codes:
        if code[:1].isalpha():
            found = any(section_of(m) == code for m in member_codes)
        else:
            found = any(m == code or m.startswith(code) for m in member_codes)
        if found:
            hits.append(code)
    return hits


def _topic_hits(topics, text: str) -> list[str]:
    hits = []
    for topic in topics:
        phrase = topic.lower()
        words = WORD.findall(phrase)
        if phrase in text or (len(words) > 1 and all(word in text for word in words)):
            hits.append(topic)
    return hits


def _code(country) -> str:
    return str(getattr(country, "code", country))


def _match(call, partnership, profile: Profile) -> Match | None:
    countries = {_code(c) for c in call.countries}
    match = Match(call=call, partnership=partnership)
    sectors = [s for s in call.sectors.all() if s.pk in profile.sectors]
    if sectors:
        match.score += SECTOR_POINTS * len(sectors)
        match.why.append(("sector", [s.name for s in sectors]))
    nace = _nace_hits(call.nace_list(), profile.nace)
    if nace:
        match.score += NACE_POINTS * len(nace)
        match.why.append(("nace", nace))
    markets = sorted(countries & profile.markets)
    if markets:
        match.score += MARKET_POINTS * len(markets)
        match.why.append(("market", markets))
    topics = _topic_hits(call.topic_list(), profile.text)
    if topics:
        match.score += TOPIC_POINTS * len(topics)
        match.why.append(("topic", topics))
    if not match.score:
        return None
    if countries and not countries & (profile.countries | profile.markets):
        return None  # nobody in the partnership may take part
    return match


def matches_for(partnerships, today, calls=None) -> dict[int, list[Match]]:
    """partnership id -> the open calls that fit it, best first (then the soonest deadline)."""
    partnerships = list(partnerships)
    if not partnerships:
        return {}
    calls = list(open_calls(today) if calls is None else calls)
    if not calls:
        return {p.pk: [] for p in partnerships}
    profiles = _profiles(partnerships)
    result = {}
    for partnership in partnerships:
        found = [m for call in calls if (m := _match(call, partnership, profiles[partnership.pk]))]
        found.sort(key=lambda m: (-m.score, m.call.deadline, m.call.pk))
        result[partnership.pk] = found
    return result


def partnership_calls(partnership, today, calls=None) -> list[Match]:
    return matches_for([partnership], today, calls)[partnership.pk]


def calls_for_partnerships(partnership_ids, today) -> list[Match]:
    """The open calls that fit any of the partnerships (the coordinator's home page), best
    first."""
    partnerships = Partnership.objects.filter(pk__in=partnership_ids).order_by("acronym")
    found = [m for matches in matches_for(partnerships, today).values() for m in matches]
    found.sort(key=lambda m: (m.call.deadline, -m.score, m.partnership.acronym))
    return found
