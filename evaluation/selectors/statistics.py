"""Programme-wide figures for EC officers, computed from the data (never typed in), and the
comparable KPIs of other partnerships that put a target in context."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q, Sum

from escp_portal.accounts.policy import partner_clusters_of
from partnerships.models import ClusterMembership, Partner, Partnership


def members_and_smes() -> dict:
    """Aggregates over rows with a ``member``: distinct members, and the SMEs among them."""
    return {
        "members": Count("member", distinct=True),
        "smes": Count("member", filter=Q(member__is_sme=True), distinct=True),
    }


def members_reached(partnership_ids) -> dict:
    """Members (and SMEs) of the clusters currently partnering in the partnerships, each once."""
    return ClusterMembership.objects.filter(
        cluster_id__in=partner_clusters_of(partnership_ids)
    ).aggregate(**members_and_smes())


def programme_statistics(partnerships) -> dict:
    """Figures for a set of partnerships (already filtered by programme and generation), in a
    fixed number of queries: one per table, each answering all the figures drawn from it."""
    from missions.models import Mission, Outcome
    from strategy.models import TargetMarket

    from ..models import Status

    # The partnerships with their declared SMEs and how many of their KPIs are where.
    rows = list(
        partnerships.order_by()
        .values_list("pk", "acronym", "sme_count")
        .annotate(
            kpis=Count("kpi_statuses"),
            achieved=Count("kpi_statuses", filter=Q(kpi_statuses__status=Status.ACHIEVED)),
            on_track=Count("kpi_statuses", filter=Q(kpi_statuses__status=Status.ON_TRACK)),
        )
    )
    ids = [row[0] for row in rows]
    declared = [row[2] for row in rows if row[2] is not None]
    partners = Partner.objects.filter(partnership_id__in=ids)
    # A cluster is in one country: the distinct clusters per country add up to all of them.
    by_country = list(
        partners.values_list("cluster__country").annotate(
            clusters=Count("cluster", distinct=True), places=Count("pk")
        )
    )
    clusters_by_country = {
        str(country): n for country, n, _places in sorted(by_country, key=lambda row: -row[1])
    }
    partner_places = sum(places for _country, _n, places in by_country)
    reached = members_reached(ids)
    # A partnership names a country once: a row is a partnership targeting a country.
    markets = list(
        TargetMarket.objects.filter(partnership_id__in=ids).values_list("partnership_id", "country")
    )
    target_countries = Counter(str(country) for _partnership, country in markets)
    target_countries = dict(sorted(target_countries.items(), key=lambda kv: (-kv[1], kv[0])))
    naming = len({partnership for partnership, _country in markets})
    missions = dict(
        Mission.objects.filter(partnership_id__in=ids)
        .exclude(status="cancelled")
        .values_list("country")
        .annotate(n=Count("pk"))
    )
    outcomes_by_country, outcomes_by_kind, outcomes_value = Counter(), Counter(), Decimal(0)
    for country, kind, n, value in (
        Outcome.objects.filter(partnership_id__in=ids)
        .values_list("counterpart_country", "kind")
        .annotate(n=Count("pk"), value=Sum("value"))
    ):
        outcomes_by_country[str(country)] += n
        outcomes_by_kind[kind] += n
        outcomes_value += value or 0
    league = [
        {
            "partnership": pk,
            "acronym": acronym,
            "kpis": kpis,
            "achieved": achieved,
            "on_track": on_track,
            "share": round(100 * (achieved + on_track) / kpis),
        }
        for pk, acronym, _smes, kpis, achieved, on_track in rows
        if kpis
    ]
    league.sort(key=lambda row: (-row["share"], -row["kpis"], row["acronym"]))
    count = len(ids)
    return {
        "partnerships": count,
        "partner_places": partner_places,
        "clusters": sum(clusters_by_country.values()),
        "countries": len(clusters_by_country),
        "clusters_per_partnership": round(partner_places / count, 1) if count else None,
        "clusters_by_country": clusters_by_country,
        "members_reached": reached["members"],
        "smes_reached": reached["smes"],
        "smes_declared": sum(declared),
        "partnerships_declaring_smes": len(declared),
        "target_countries": target_countries,
        "distinct_target_countries": len(target_countries),
        "partnerships_naming_targets": naming,
        "average_target_markets": round(len(markets) / naming, 1) if naming else None,
        "missions_by_country": {str(k): v for k, v in missions.items()},
        "outcomes_by_country": dict(outcomes_by_country),
        "outcomes_by_kind": dict(outcomes_by_kind),
        "outcomes_value": str(outcomes_value or Decimal(0)),
        "league": league,
    }


def filtered_partnerships(*, user, programme: str | None = None, generation: int | None = None):
    """The partnerships the figures are about: every published one the user sees (all of them
    for those who may read the statistics), of a programme and a generation."""
    partnerships = Partnership.objects.visible_to(user).exclude(status=Partnership.Status.DRAFT)
    if programme:
        partnerships = partnerships.filter(programme__code=programme)
    if generation:
        partnerships = partnerships.filter(generation=generation)
    return partnerships


MIN_ANONYMOUS = 5


def comparable_kpis(kpi, *, named: bool = False):
    """KPIs of other partnerships with the same unit and kind: their targets and what they
    reached, to put this KPI's target in context (the evidence for an 'over-ambitious' flag).

    Other partnerships' KPIs are their working data: EC officers (``named``) see them row by
    row; others get only the distribution, and only when it is wide enough not to point at a
    partnership."""
    from django.db.models.functions import Lower, Trim

    from strategy.models import KPI, Strategy

    others = (
        KPI.objects.annotate(clean_unit=Lower(Trim("unit")))
        .filter(
            clean_unit=kpi.unit.strip().lower(),
            kind=kpi.kind,
            objective__strategy__status=Strategy.Status.ADOPTED,
            target_value__isnull=False,
        )
        .exclude(objective__strategy__partnership_id=kpi.objective.strategy.partnership_id)
        .exclude(objective__strategy__partnership__status="draft")
        .select_related("objective__strategy__partnership", "status")
    )
    rows = []
    for other in others:
        status = getattr(other, "status", None)
        rows.append(
            {
                "kpi": other,
                "partnership": other.objective.strategy.partnership.acronym,
                "target": other.target_value,
                "reached": status.current_value if status else None,
                "status": status.get_status_display() if status else None,
            }
        )
    targets = sorted(r["target"] for r in rows)
    rank = None
    if targets and kpi.target_value is not None:
        below = sum(1 for t in targets if t < kpi.target_value)
        rank = round(100 * below / len(targets))
    if not named:
        if len(rows) < MIN_ANONYMOUS:
            return {
                "rows": [],
                "percentile": None,
                "count": 0,
                "median_target": None,
                "too_few": len(rows),
            }
        rows = [{**r, "kpi": None, "partnership": None} for r in rows]
    return {
        "rows": rows,
        "percentile": rank,
        "count": len(rows),
        "median_target": targets[len(targets) // 2] if targets else None,
    }


def kpi_ambition_section(kpi, user) -> dict | None:
    """The KPI page's section "How ambitious is the target?": comparable KPIs of other
    partnerships (named only to who may see them) and, for EC officers, the review form."""
    from evaluation import rules
    from evaluation.models import Review

    if kpi.target_value is None:
        return None
    return {
        "template": "evaluation/kpi_ambition.html",
        "kpi": kpi,
        "ambition": comparable_kpis(kpi, named=rules.sees_programme_statistics(user)),
        "can_review": rules.can_open_review(user),
        "review_flags": Review.Flag.choices,
    }
