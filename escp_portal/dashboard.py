"""What each role needs to know first when they sign in.

Coordinators: what is late (reports, values to review, tasks, outcomes to record, reviews to
answer) and what comes next (missions). Cluster managers: how fresh their member data is, which
reports their cluster owes and which missions are open for registration. EC officers: the
partnerships whose KPIs are at risk or off track.

Every list is read with a fixed number of queries whatever the number of partnerships, and only
from what the user may see (their own partnerships and clusters; officers read everything).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from escp_portal.accounts.policy import clusters_managed_by, partnerships_of_clusters_managed_by

# Member records not touched for this long are "not updated for a year".
STALE_AFTER = timedelta(days=365)
# Missions that ended within this time and have no outcome recorded yet.
OUTCOME_WINDOW = timedelta(days=365)
# Missions starting within this time are "next".
NEXT_WINDOW = timedelta(days=120)
LIMIT = 8


@dataclass
class LateReport:
    kpi: object
    period_end: date
    due: date


@dataclass
class Items:
    """A bounded list with the total it was cut from."""

    rows: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)

    def __bool__(self) -> bool:
        return bool(self.total)


def _cut(rows) -> Items:
    """The first LIMIT rows and the total, in one query for a query set (a window count over
    all the rows, taken before the limit)."""
    if isinstance(rows, QuerySet):
        first = list(rows.annotate(total_rows=Window(Count("pk")))[:LIMIT])
        return Items(first, first[0].total_rows if first else 0)
    rows = list(rows)
    return Items(rows[:LIMIT], len(rows))


def _live_strategy_ids(partnership_ids):
    """The live version of each partnership (``strategy.selectors.live_strategies``: adopted,
    else the draft) — as a subquery, so that it costs no query of its own."""
    from strategy.selectors import live_strategies

    return live_strategies(partnership_ids).values("pk")


def late_reports(strategy_ids, today: date, responsible_clusters=None) -> Items:
    """Overdue reports of the live strategies (``strategy.selectors.overdue_reports``: the rule
    the reminders follow too), optionally only those the given clusters are responsible for."""
    from strategy.models import KPI, REPORTING_GRACE
    from strategy.selectors import overdue_reports

    kpis = KPI.objects.filter(objective__strategy_id__in=strategy_ids)
    if responsible_clusters is not None:
        kpis = kpis.filter(responsible__cluster_id__in=responsible_clusters)
    rows = [
        LateReport(kpi, period, period + REPORTING_GRACE)
        for kpi, period in overdue_reports(kpis, today)
    ]
    rows.sort(key=lambda row: (row.period_end, row.kpi.pk))
    return _cut(rows)


def coordinator(partnership_ids, today: date) -> dict:
    from evaluation.models import Review
    from missions.models import Mission
    from missions.selectors import places
    from strategy.models import Measurement, Task

    strategy_ids = _live_strategy_ids(partnership_ids)
    to_review = Measurement.objects.filter(
        kpi__objective__strategy_id__in=strategy_ids, status=Measurement.Status.SUBMITTED
    )
    overdue_tasks = (
        Task.objects.filter(
            objective__strategy_id__in=strategy_ids,
            due_date__lt=today,
            status__in=[Task.Status.PLANNED, Task.Status.IN_PROGRESS, Task.Status.BLOCKED],
        )
        .select_related("objective__strategy__partnership")
        .order_by("due_date", "pk")
    )
    without_outcomes = (
        Mission.objects.filter(
            partnership_id__in=partnership_ids,
            end_date__lt=today,
            end_date__gte=today - OUTCOME_WINDOW,
        )
        .exclude(status=Mission.Status.CANCELLED)
        .filter(outcomes__isnull=True)
        .select_related("partnership")
        .order_by("end_date", "pk")
    )
    open_reviews = (
        Review.objects.filter(partnership_id__in=partnership_ids, state=Review.State.OPEN)
        .select_related("partnership", "kpi", "objective")
        .order_by("created_at", "pk")
    )
    upcoming = (
        places(
            Mission.objects.filter(
                partnership_id__in=partnership_ids,
                start_date__gte=today,
                start_date__lte=today + NEXT_WINDOW,
            ).exclude(status=Mission.Status.CANCELLED)
        )
        .select_related("partnership")
        .order_by("start_date", "pk")
    )
    review_counts = list(
        to_review.values("kpi_id", "kpi__name", "kpi__objective__strategy__partnership__acronym")
        .annotate(n=Count("pk"))
        .order_by("kpi__objective__strategy__partnership__acronym", "kpi_id")
    )
    return {
        "late_reports": late_reports(strategy_ids, today),
        "to_review": _cut(review_counts),
        "values_to_review": sum(row["n"] for row in review_counts),
        "overdue_tasks": _cut(overdue_tasks),
        "without_outcomes": _cut(without_outcomes),
        "open_reviews": _cut(open_reviews),
        "upcoming": _cut(upcoming),
    }


def cluster_manager(user, today: date) -> dict:
    """The manager's clusters and what they owe or may join in the partnerships those clusters
    currently partner (not drafts: those are their coordinators' alone)."""
    from missions.models import Mission, Participation
    from missions.selectors import places
    from partnerships.models import ClusterMembership, ClusterOrganisation, MemberImport

    cluster_ids = clusters_managed_by(user)
    stale_before = timezone.now() - STALE_AFTER
    memberships = ClusterMembership.objects.filter(cluster=OuterRef("pk")).order_by()

    def count(condition=None):
        return Coalesce(
            Subquery(
                memberships.filter(condition or Q())
                .values("cluster")
                .annotate(n=Count("member", distinct=True))
                .values("n")[:1]
            ),
            0,
        )

    clusters = (
        ClusterOrganisation.objects.filter(pk__in=cluster_ids)
        .annotate(
            member_total=count(),
            stale=count(Q(member__updated_at__lt=stale_before)),
            incomplete=count(Q(member__nace_code="") | Q(member__employees__isnull=True)),
            last_update=Subquery(
                memberships.values("cluster")
                .annotate(last=Max("member__updated_at"))
                .values("last")[:1]
            ),
            last_import=Subquery(
                MemberImport.objects.filter(cluster=OuterRef("pk"), status="done")
                .order_by("-finished_at")
                .values("finished_at")[:1]
            ),
        )
        .order_by("name")
    )
    partnership_ids = partnerships_of_clusters_managed_by(user)
    open_missions = (
        places(
            Mission.objects.filter(partnership_id__in=partnership_ids, start_date__gt=today)
            .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=today))
            .exclude(status__in=[Mission.Status.CANCELLED, Mission.Status.DONE])
        )
        .annotate(
            mine=Count(
                "participations",
                filter=Q(participations__cluster_id__in=cluster_ids)
                & ~Q(participations__status=Participation.Status.CANCELLED),
            )
        )
        .select_related("partnership")
        .order_by(F("registration_deadline").asc(nulls_last=True), "start_date", "pk")
    )
    to_confirm = Participation.objects.filter(
        cluster_id__in=cluster_ids,
        mission__partnership_id__in=partnership_ids,
        status=Participation.Status.REGISTERED,
        mission__start_date__gte=today,
    ).count()
    return {
        "clusters": list(clusters),
        "late_reports": late_reports(
            _live_strategy_ids(partnership_ids), today, responsible_clusters=cluster_ids
        ),
        "open_missions": _cut(open_missions),
        "to_confirm": to_confirm,
    }


def officer(today: date) -> dict:
    """Active partnerships ranked by the share of their KPIs at risk or off track."""
    from evaluation.models import KPIStatus, Review, Status
    from partnerships.models import Partnership

    strategy_ids = _live_strategy_ids(
        Partnership.objects.filter(status=Partnership.Status.ACTIVE).values("pk")
    )
    rows = (
        KPIStatus.objects.filter(kpi__objective__strategy_id__in=strategy_ids)
        .values("partnership_id", "partnership__acronym", "partnership__name")
        .annotate(
            kpis=Count("pk"),
            off_track=Count("pk", filter=Q(status=Status.OFF_TRACK)),
            at_risk=Count("pk", filter=Q(status=Status.AT_RISK)),
            no_data=Count("pk", filter=Q(status=Status.NO_DATA)),
            last_reported=Max("last_reported"),
        )
        .order_by()
    )
    at_risk = []
    for row in rows:
        troubled = row["off_track"] + row["at_risk"]
        if not troubled:
            continue
        at_risk.append(
            {
                "pk": row["partnership_id"],
                "acronym": row["partnership__acronym"],
                "name": row["partnership__name"],
                "kpis": row["kpis"],
                "off_track": row["off_track"],
                "at_risk": row["at_risk"],
                "no_data": row["no_data"],
                "share": round(100 * troubled / row["kpis"]),
                "last_reported": row["last_reported"],
            }
        )
    at_risk.sort(key=lambda r: (-r["share"], -r["off_track"], r["acronym"]))
    answered = (
        Review.objects.filter(state=Review.State.ANSWERED)
        .select_related("partnership", "kpi", "objective")
        .order_by("responded_at", "pk")
    )
    return {"at_risk": _cut(at_risk), "answered_reviews": _cut(answered)}
