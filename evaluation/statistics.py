"""Programme-wide figures for EC officers, computed from the data (never typed in)."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from partnerships.models import ClusterMembership, Partner, Partnership


def programme_statistics(partnerships) -> dict:
    """Figures for a set of partnerships (already filtered by programme and generation)."""
    from missions.models import Mission, Outcome
    from strategy.models import TargetMarket

    from .models import KPIStatus, Status

    ids = list(partnerships.values_list("pk", flat=True))
    partners = Partner.objects.filter(partnership_id__in=ids)
    clusters = dict(
        partners.values_list("cluster__country").annotate(n=Count("cluster", distinct=True))
    )
    clusters_by_country = {str(k): v for k, v in sorted(clusters.items(), key=lambda kv: -kv[1])}
    distinct_clusters = partners.values("cluster").distinct().count()
    reached = ClusterMembership.objects.filter(
        cluster__in=partners.filter(left_on__isnull=True).values("cluster")
    ).aggregate(
        members=Count("member", distinct=True),
        smes=Count("member", filter=Q(member__is_sme=True), distinct=True),
    )
    declared_smes = partnerships.aggregate(
        total=Sum("sme_count"), known=Count("pk", filter=Q(sme_count__isnull=False))
    )
    markets = TargetMarket.objects.filter(partnership_id__in=ids)
    target_countries = dict(
        markets.values_list("country").annotate(n=Count("partnership", distinct=True))
    )
    target_countries = {
        str(k): v for k, v in sorted(target_countries.items(), key=lambda kv: (-kv[1], str(kv[0])))
    }
    naming = markets.values("partnership").distinct().count()
    missions = dict(
        Mission.objects.filter(partnership_id__in=ids)
        .exclude(status="cancelled")
        .values_list("country")
        .annotate(n=Count("pk"))
    )
    outcomes = Outcome.objects.filter(partnership_id__in=ids)
    outcomes_by_country = dict(outcomes.values_list("counterpart_country").annotate(n=Count("pk")))
    outcomes_by_kind = dict(outcomes.values_list("kind").annotate(n=Count("pk")))
    statuses = defaultdict(Counter)
    for partnership_id, status, n in (
        KPIStatus.objects.filter(partnership_id__in=ids)
        .values_list("partnership_id", "status")
        .annotate(n=Count("pk"))
    ):
        statuses[partnership_id][status] = n
    names = dict(partnerships.values_list("pk", "acronym"))
    league = []
    for partnership_id, counts in statuses.items():
        total = sum(counts.values())
        good = counts[Status.ACHIEVED] + counts[Status.ON_TRACK]
        league.append(
            {
                "partnership": partnership_id,
                "acronym": names[partnership_id],
                "kpis": total,
                "achieved": counts[Status.ACHIEVED],
                "on_track": counts[Status.ON_TRACK],
                "share": round(100 * good / total) if total else 0,
            }
        )
    league.sort(key=lambda row: (-row["share"], -row["kpis"], row["acronym"]))
    count = len(ids)
    return {
        "partnerships": count,
        "partner_places": partners.count(),
        "clusters": distinct_clusters,
        "countries": len(clusters_by_country),
        "clusters_per_partnership": round(partners.count() / count, 1) if count else None,
        "clusters_by_country": clusters_by_country,
        "members_reached": reached["members"],
        "smes_reached": reached["smes"],
        "smes_declared": declared_smes["total"] or 0,
        "partnerships_declaring_smes": declared_smes["known"],
        "target_countries": target_countries,
        "distinct_target_countries": len(target_countries),
        "partnerships_naming_targets": naming,
        "average_target_markets": round(markets.count() / naming, 1) if naming else None,
        "missions_by_country": {str(k): v for k, v in missions.items()},
        "outcomes_by_country": {str(k): v for k, v in outcomes_by_country.items()},
        "outcomes_by_kind": outcomes_by_kind,
        "outcomes_value": str(outcomes.aggregate(v=Sum("value"))["v"] or Decimal(0)),
        "league": league,
    }


def filtered_partnerships(programme: str | None = None, generation: int | None = None):
    partnerships = Partnership.objects.exclude(status=Partnership.Status.DRAFT)
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
