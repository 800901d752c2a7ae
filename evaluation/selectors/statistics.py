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


# The members reached by a programme are counted over every membership of every partner cluster
# (a million rows at the top scale): the count is kept this long for the same partnerships.
REACHED_SECONDS = 300


def programme_members_reached(partnership_ids, among=None) -> dict:
    """``members_reached`` of the partnerships, counted at most ``REACHED_SECONDS`` ago (the
    figure is the same for everyone who may read the statistics). ``among``: the same
    partnerships as a subquery, to count them by."""
    import hashlib

    from django.core.cache import cache

    ids = ",".join(str(pk) for pk in sorted(partnership_ids))
    key = "statistics:reached:" + hashlib.sha256(ids.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = members_reached(partnership_ids if among is None else among)
        cache.set(key, found, REACHED_SECONDS)
    return found


def programme_statistics(partnerships) -> dict:
    """Figures for a set of partnerships (already filtered by programme and generation), in a
    fixed number of queries: one per table, each answering all the figures drawn from it."""
    from missions.models import Mission, Outcome
    from strategy.models import TargetMarket

    from ..models import PartnershipFigures, Status

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
    # The other tables are read for the same partnerships through a subquery: a list of a
    # thousand ids costs Django a conversion per id and PostgreSQL a thousand parameters.
    chosen = partnerships.order_by().values("pk")
    declared = [row[2] for row in rows if row[2] is not None]
    partners = Partner.objects.filter(partnership_id__in=chosen)
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
    reached = programme_members_reached(ids, among=chosen)
    # A partnership names a country once: a row is a partnership targeting a country.
    markets = list(
        TargetMarket.objects.filter(partnership_id__in=chosen).values_list(
            "partnership_id", "country"
        )
    )
    target_countries = Counter(str(country) for _partnership, country in markets)
    target_countries = dict(sorted(target_countries.items(), key=lambda kv: (-kv[1], kv[0])))
    naming = len({partnership for partnership, _country in markets})
    # Missions and outcomes as the recompute jobs stored them with each partnership's figures
    # (on every change and nightly); live for the partnerships without them.
    missions, outcomes_by_country, outcomes_by_kind = Counter(), Counter(), Counter()
    outcomes_value = Decimal(0)
    stored = {
        pk: activity
        for pk, activity in PartnershipFigures.objects.filter(
            partnership_id__in=chosen
        ).values_list("partnership_id", "activity")
        if activity
    }
    for activity in stored.values():
        missions.update(activity["missions_by_country"])
        outcomes_by_country.update(activity["outcomes_by_country"])
        outcomes_by_kind.update(activity["outcomes_by_kind"])
        outcomes_value += Decimal(activity["outcomes_value"])
    live = [pk for pk in ids if pk not in stored]
    missions.update(
        {
            str(country): n
            for country, n in Mission.objects.filter(partnership_id__in=live)
            .exclude(status="cancelled")
            .values_list("country")
            .annotate(n=Count("pk"))
        }
    )
    for country, kind, n, value in (
        Outcome.objects.filter(partnership_id__in=live)
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
        # To the cent, as stored (a database's SUM may give more or fewer places).
        "outcomes_value": str(Decimal(outcomes_value).quantize(Decimal("0.01"))),
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


def months_between(start, end) -> int:
    """Whole months from one date to another, at least one."""
    return max((end.year - start.year) * 12 + end.month - start.month, 1)


def partner_counts(partnership_ids) -> dict[int, int]:
    """{partnership: its current partner clusters (the coordinator's included)}, one query."""
    return dict(
        Partner.objects.filter(partnership_id__in=partnership_ids, left_on__isnull=True)
        .values_list("partnership_id")
        .annotate(n=Count("pk"))
    )


def ambition(kpi, partners: int) -> Decimal | None:
    """A KPI's target as a pace: what it adds to the baseline per partner cluster and per month
    of its duration, so that partnerships of different sizes and lengths compare."""
    if kpi.target_value is None:
        return None
    gain = kpi.target_value - (kpi.baseline_value or Decimal(0))
    if kpi.direction == "decrease":
        gain = -gain
    months = months_between(kpi.baseline_date, kpi.target_date)
    return (gain / max(partners, 1) / months).quantize(Decimal("0.001"))


def comparable_kpis(kpi, *, named: bool = False):
    """KPIs of other partnerships that count towards the same core indicator: their targets as
    a pace (per partner cluster and per month, ``ambition``) and what they reached, to put this
    KPI's target in context (the evidence for an 'over-ambitious' flag). A KPI linked to no
    core indicator is compared with nothing: a unit alone does not say two KPIs count the
    same thing.

    Other partnerships' KPIs are their working data: EC officers (``named``) see them row by
    row; others get only the distribution, and only when it is wide enough not to point at a
    partnership."""
    from strategy.models import KPI, Strategy

    empty = {"rows": [], "percentile": None, "count": 0, "median": None, "own": None}
    if kpi.core_indicator_id is None:
        return {**empty, "unlinked": True}
    own_partnership = kpi.objective.strategy.partnership_id
    others = list(
        KPI.objects.filter(
            core_indicator_id=kpi.core_indicator_id,
            objective__strategy__status=Strategy.Status.ADOPTED,
            target_value__isnull=False,
        )
        .exclude(objective__strategy__partnership_id=own_partnership)
        .exclude(objective__strategy__partnership__status="draft")
        .select_related("objective__strategy__partnership", "status")
    )
    sizes = partner_counts(
        {own_partnership} | {o.objective.strategy.partnership_id for o in others}
    )
    rows = []
    for other in others:
        status = getattr(other, "status", None)
        partners = sizes.get(other.objective.strategy.partnership_id, 1)
        rows.append(
            {
                "kpi": other,
                "partnership": other.objective.strategy.partnership.acronym,
                "target": other.target_value,
                "partners": partners,
                "months": months_between(other.baseline_date, other.target_date),
                "pace": ambition(other, partners),
                "reached": status.current_value if status else None,
                "status": status.get_status_display() if status else None,
            }
        )
    rows.sort(key=lambda r: r["pace"])
    own = ambition(kpi, sizes.get(own_partnership, 1))
    paces = [r["pace"] for r in rows]
    rank = round(100 * sum(1 for p in paces if p < own) / len(paces)) if paces and own else None
    result = {
        **empty,
        "indicator": kpi.core_indicator,
        "own": own,
        "partners": sizes.get(own_partnership, 1),
        "months": months_between(kpi.baseline_date, kpi.target_date),
    }
    if not named:
        if len(rows) < MIN_ANONYMOUS:
            return {**result, "too_few": len(rows)}
        rows = [{**r, "kpi": None, "partnership": None} for r in rows]
    return {
        **result,
        "rows": rows,
        "percentile": rank,
        "count": len(rows),
        "median": paces[len(paces) // 2] if paces else None,
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
