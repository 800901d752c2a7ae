"""Why a result matches, in words a person reads: "competence: additive manufacturing", "NACE
C25 matches C25.62", "exports to Japan". Worked out from the shown fields only."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries import countries

from partnerships import nace
from partnerships.models import Member

from .search import Criteria, nace_label, tag


def _country(code: str) -> str:
    return str(countries.name(code)) or code


def _dedupe(reasons: list[str]) -> list[str]:
    return list(dict.fromkeys(reasons))


def competence_list(profile) -> list[str]:
    return [n for n in (profile.competences or "").split("; ") if n]


def member_reasons(profile, c: Criteria) -> list[str]:
    reasons = []
    names = competence_list(profile)
    if c.competence_words:
        wanted = c.competence_words
        matched = [n for n in names if all(w in tag(n) for w in wanted)]
        reasons += [_("competence: %(name)s") % {"name": n} for n in matched[:3]]
    if c.nace and profile.nace_code:
        reasons.append(
            _("NACE %(query)s matches %(code)s")
            % {"query": nace_label(c.nace), "code": nace_label(profile.nace_code)}
        )
    for word in c.words:
        if word in (profile.name or "").lower():
            reasons.append(_("name matches “%(word)s”") % {"word": word})
        elif found := [n for n in names if word in n.lower()]:
            reasons += [_("competence: %(name)s") % {"name": n} for n in found[:2]]
        elif profile.nace_code and word in nace.title(profile.nace_code).lower():
            reasons.append(
                _("sector: %(title)s")
                % {"title": f"{nace_label(profile.nace_code)} {nace.title(profile.nace_code)}"}
            )
        else:
            reasons.append(_("profile mentions “%(word)s”") % {"word": word})
    if c.country and profile.country:
        reasons.append(_("in %(country)s") % {"country": _country(profile.country)})
    if c.size and profile.size_class:
        reasons.append(_("size: %(size)s") % {"size": Member.Size(profile.size_class).label})
    if c.export_market:
        reasons.append(_("exports to %(country)s") % {"country": _country(c.export_market)})
    return _dedupe(reasons)


def cluster_reasons(cluster, c: Criteria) -> list[str]:
    reasons = []
    sectors = [s.name for s in cluster.sectors.all()]
    for word in [*c.words, *c.competence_words]:
        if word in cluster.name.lower() or word in (cluster.acronym or "").lower():
            reasons.append(_("name matches “%(word)s”") % {"word": word})
        elif found := [s for s in sectors if word in s.lower()]:
            reasons += [_("sector: %(title)s") % {"title": s} for s in found[:2]]
        elif word in (cluster.description or "").lower():
            reasons.append(_("profile mentions “%(word)s”") % {"word": word})
        elif word in (cluster.city or "").lower():
            reasons.append(_("in %(country)s") % {"country": cluster.city})
    if c.country:
        reasons.append(_("in %(country)s") % {"country": _country(str(cluster.country))})
    return _dedupe(reasons)
