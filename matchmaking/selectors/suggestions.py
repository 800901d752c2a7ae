"""Suggestions: who could cover a value chain's stages that nobody covers (clusters of other
partnerships and findable members whose competences or NACE sector fit the stage's words), and
export groups a partnership could form (members of different partner clusters going to the
same market with competences that complete each other). Each comes with its reasons."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from escp_portal.accounts.policy import model, partner_clusters_of
from partnerships import nace
from partnerships.models import ClusterMembership, ClusterOrganisation, Member
from partnerships.rules import can_invite_partner

from ..rules import can_suggest_export_groups, sees_gap_suggestions
from .reasons import competence_list
from .search import current_partner_clusters, nace_label, searchable_profiles

# --- value-chain gaps ---------------------------------------------------------------------------

MAX_GAPS = 5  # stages with suggestions on one page
PER_GAP = 5  # suggestions shown per stage
CANDIDATES = 400  # findable members read for all of them at once
MIN_WORD = 4
STOPWORD_TEXT = """with from into their they them this that these those have will what when where
which while about over under other others such than then also only more most some each both stage
stages step steps part parts phase chain value work works based using used make made avec pour
dans leur leurs sont plus mais comme entre sans nous vous eine einer eines einem einen oder auch
sind wird werden durch nach über unter"""
STOPWORDS = frozenset(STOPWORD_TEXT.split())


def stage_words(stage, limit: int = 10) -> list[str]:
    """The words of a stage's name and description that say what it needs."""
    text = f"{stage.name} {stage.description}".lower()
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= MIN_WORD]
    return list(dict.fromkeys(w[:40] for w in words if w not in STOPWORDS))[:limit]


@dataclass
class Suggestion:
    kind: str  # "member" or "cluster"
    obj: object
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def is_member(self) -> bool:
        return self.kind == "member"


@dataclass
class Gap:
    stage: object
    words: list[str]
    suggestions: list[Suggestion]


PAIRED_WORDS = 6  # of each stage, paired for the first query


def _pairs(words: list[str]) -> list[tuple[str, ...]]:
    """The pairs of a stage's first words (a stage of one word: that word alone)."""
    head = words[:PAIRED_WORDS]
    if len(head) < 2:
        return [tuple(head)] if head else []
    return [(a, b) for i, a in enumerate(head) for b in head[i + 1 :]]


def _holding(groups: list[tuple[str, ...]]):
    """Profiles holding every word of at least one group: on PostgreSQL through the full-text
    index (one GIN scan for the whole query), elsewhere with LIKE on the skills."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        text = " | ".join("(" + " & ".join(f"{w}:*" for w in g) + ")" for g in groups)
        return Q(search_vector=SearchQuery(text, search_type="raw", config="simple"))
    condition = Q(pk__in=[])
    for group in groups:
        both = Q()
        for word in group:
            both &= Q(skills_text__contains=word)
        condition |= both
    return condition


def _member_candidates(groups, words: list[str], partnership_id: int, exclude=()):
    """Findable members of clusters outside the partnership holding a group of the words, those
    whose competences or NACE title hold most of ``words`` first."""
    hits = sum(
        (Case(When(skills_text__contains=w, then=Value(1)), default=Value(0)) for w in words),
        Value(0),
    )
    return list(
        searchable_profiles()
        .exclude(cluster_id__in=partner_clusters_of([partnership_id]))
        .exclude(pk__in=list(exclude))
        .filter(_holding(groups))
        .annotate(hits=hits)
        .select_related("cluster")
        .order_by("-hits", "name", "pk")[:CANDIDATES]
    )


def _cluster_candidates(words: list[str], partnership_id: int):
    """Clusters partnering in other partnerships (not in this one) whose name, description or
    sectors hold a word; with, for each word, the first sector named with it (no query more)."""
    sectors = model("partnerships.Sector").objects.filter(clusters=OuterRef("pk"))
    matches = Q()
    named = {}
    for i, word in enumerate(words):
        matches |= Q(description__icontains=word) | Q(name__icontains=word)
        matches |= Exists(sectors.filter(name__icontains=word))
        named[f"sector_{i}"] = Subquery(
            sectors.filter(name__icontains=word).order_by("name").values("name")[:1]
        )
    clusters = list(
        ClusterOrganisation.objects.filter(pk__in=current_partner_clusters())
        .exclude(pk__in=partner_clusters_of([partnership_id]))
        .filter(matches)
        .annotate(**named)
        .order_by("name")[:CANDIDATES]
    )
    for cluster in clusters:
        cluster.sector_hits = {
            word: getattr(cluster, f"sector_{i}") for i, word in enumerate(words)
        }
    return clusters


def _member_fit(profile, words) -> Suggestion | None:
    names = competence_list(profile)
    title = nace.title(profile.nace_code) if profile.nace_code else ""
    reasons, score = [], 0.0
    for word in words:
        found = [n for n in names if word in n.lower()]
        if found:
            score += 2
            reasons += [_("competence: %(name)s") % {"name": n} for n in found[:2]]
        elif word in title.lower():
            score += 1
            reasons.append(
                _("NACE %(code)s %(title)s")
                % {"code": nace_label(profile.nace_code), "title": title}
            )
    if not score:
        return None
    # A competence the stage's words say whole ("laser cladding" for "Laser cladding of
    # shafts") fits better than one that only shares them ("laser cladding repairs").
    wanted = set(words)
    if any(set(n.lower().split()) <= wanted for n in names):
        score += 1.5
    return Suggestion("member", profile, score, list(dict.fromkeys(reasons)))


def _cluster_fit(cluster, words) -> Suggestion | None:
    reasons, score = [], 0.0
    for word in words:
        if sector := cluster.sector_hits.get(word):
            score += 1.5
            reasons.append(_("sector: %(title)s") % {"title": sector})
        elif word in (cluster.description or "").lower() or word in cluster.name.lower():
            score += 1
            reasons.append(_("profile mentions “%(word)s”") % {"word": word})
    if not score:
        return None
    return Suggestion("cluster", cluster, score, list(dict.fromkeys(reasons)))


def gap_suggestions(chain, stages, *, per_gap: int = PER_GAP) -> list[Gap]:
    """For each stage nobody covers (the first ``MAX_GAPS``): members and clusters from outside
    the partnership that fit it, best first. Members holding two of a stage's words come from
    one query for every stage; only a stage left with too few asks again for any of its words
    (a common word matches much, so it is not read unless needed); clusters in one more."""
    gaps = [s for s in stages if not s.assignments.all()][:MAX_GAPS]
    words = {s.pk: stage_words(s) for s in gaps}
    everything = list(dict.fromkeys(w for ws in words.values() for w in ws))
    if not everything:
        return [Gap(s, words[s.pk], []) for s in gaps]
    pairs = list(dict.fromkeys(p for ws in words.values() for p in _pairs(ws)))
    profiles = _member_candidates(pairs, everything, chain.partnership_id)
    short = [
        s
        for s in gaps
        if len(words[s.pk]) > 1
        and sum(1 for p in profiles if _member_fit(p, words[s.pk])) < per_gap
    ]
    if short:
        single = list(dict.fromkeys((w,) for s in short for w in words[s.pk]))
        seen = [p.pk for p in profiles]
        profiles += _member_candidates(single, everything, chain.partnership_id, exclude=seen)
    clusters = _cluster_candidates(everything, chain.partnership_id)
    result = []
    for stage in gaps:
        fits = [f for p in profiles if (f := _member_fit(p, words[stage.pk]))]
        fits += [f for c in clusters if (f := _cluster_fit(c, words[stage.pk]))]
        fits.sort(key=lambda f: (-f.score, f.kind, str(f.obj.name).casefold()))
        result.append(Gap(stage, words[stage.pk], fits[:per_gap]))
    return result


def gap_suggestions_section(chain, stages, user) -> dict | None:
    """The value chain page's section "Who could cover the gaps" (``strategy`` hook)."""
    if not sees_gap_suggestions(user):
        return None
    gaps = gap_suggestions(chain, stages)
    if not gaps:
        return None
    return {
        "template": "matchmaking/_gap_suggestions.html",
        "gaps": gaps,
        "can_invite": can_invite_partner(user, chain.partnership),
    }


# --- export groups ------------------------------------------------------------------------------

MAX_MEMBERS_READ = 3000
GROUP_SIZE = 5


@dataclass
class GroupSuggestion:
    market: str
    members: list  # (member, cluster, competences)
    reasons: list[str]

    @property
    def member_ids(self) -> str:
        return ",".join(str(m.pk) for m, _c, _n in self.members)

    @property
    def market_name(self) -> str:
        return countries.name(self.market)


def _markets(partnership) -> tuple[list[str], bool]:
    targets = list(partnership.target_markets.values_list("country", flat=True))
    return [str(c) for c in targets], bool(targets)


def export_group_suggestions(partnership, *, limit: int = 10) -> list[GroupSuggestion]:
    """Per market: members of at least two partner clusters that export there, chosen so that
    each adds competences the others lack. The markets are the partnership's target markets,
    or (without any) those most of the partner clusters' members export to."""
    markets, targeted = _markets(partnership)
    memberships = ClusterMembership.objects.filter(
        cluster_id__in=partner_clusters_of([partnership.pk]), member__erased_at__isnull=True
    ).exclude(member__export_markets="")
    if targeted:
        exporting = Q()
        for code in markets:
            exporting |= Q(member__export_markets__contains=code)
        memberships = memberships.filter(exporting)
    rows = list(
        memberships.select_related("member", "cluster").order_by("member__name", "pk")[
            :MAX_MEMBERS_READ
        ]
    )
    # The members' competences in one query, always made (a page costs as much with no rows).
    through = Member.competences.through.objects.filter(
        member_id__in=memberships.values("member_id")
    ).values_list("member_id", "competence__name")
    skills: dict[int, set[str]] = {}
    for member_id, name in through:
        skills.setdefault(member_id, set()).add(name)
    if not targeted:
        counted = Counter(str(c.code) for r in rows for c in r.member.export_markets)
        markets = [code for code, _n in counted.most_common(5)]
    existing = _existing_groups(partnership)
    suggestions = []
    for market in markets:
        group = _pick(
            [r for r in rows if market in {str(c.code) for c in r.member.export_markets}], skills
        )
        if group and frozenset(m.pk for m, _c, _n in group) not in existing:
            suggestions.append(
                GroupSuggestion(market, group, _group_reasons(market, group, targeted))
            )
    return suggestions[:limit]


def _existing_groups(partnership) -> set[frozenset]:
    """The member sets of the partnership's export groups (one query)."""
    from missions.models import ExportGroup

    links = ExportGroup.members.through.objects.filter(exportgroup__partnership=partnership)
    groups: dict[int, set[int]] = {}
    for group_id, member_id in links.values_list("exportgroup_id", "member_id"):
        groups.setdefault(group_id, set()).add(member_id)
    return {frozenset(members) for members in groups.values()}


def _gain(row, skills, covered, clusters) -> tuple:
    """What a member adds: a second cluster while the group has one, then new competences."""
    new_cluster = len(clusters) < 2 and row.cluster_id not in clusters
    return (new_cluster, len(skills.get(row.member_id, set()) - covered))


def _pick(rows, skills) -> list:
    """Greedy: each next member adds the most competences the group lacks (a second cluster
    first); it stops when nobody adds any. A group spans two clusters at least."""
    chosen, covered, clusters = [], set(), set()
    # A member in two partner clusters counts once; ties go to the first name.
    candidates = {r.member_id: r for r in sorted(rows, key=lambda r: r.member.name.casefold())}
    while len(chosen) < GROUP_SIZE and candidates:
        state = (frozenset(covered), frozenset(clusters))
        best = max(candidates.values(), key=lambda r: _gain(r, skills, *state))
        fresh = skills.get(best.member_id, set()) - covered
        if not fresh and (len(clusters) >= 2 or best.cluster_id in clusters):
            break
        chosen.append((best.member, best.cluster, sorted(fresh)))
        covered |= skills.get(best.member_id, set())
        clusters.add(best.cluster_id)
        del candidates[best.member_id]
    return chosen if len(clusters) >= 2 else []


def _group_reasons(market, group, targeted) -> list[str]:
    name = countries.name(market)
    if targeted:
        first = _("all export to %(country)s, a target market of the partnership") % {
            "country": name
        }
    else:
        first = _("all export to %(country)s") % {"country": name}
    reasons = [first]
    for member, cluster, brings in group:
        if brings:
            reasons.append(
                _("%(member)s (%(cluster)s) brings %(skills)s")
                % {"member": member.name, "cluster": cluster.name, "skills": ", ".join(brings[:3])}
            )
    return reasons


def export_group_link_section(partnership, user) -> dict | None:
    """The export groups' page links the suggestions (``missions`` hook), for coordinators."""
    if not can_suggest_export_groups(user, partnership.pk):
        return None
    return {
        "template": "matchmaking/_export_group_link.html",
        "url": reverse("matchmaking:export_group_suggestions", args=[partnership.pk]),
    }
