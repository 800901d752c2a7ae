"""What each role needs to know first when they sign in.

Coordinators: what is late (reports, values to review, tasks, outcomes to record, reviews to
answer) and what comes next (missions). Cluster managers: how fresh their member data is, which
reports their cluster owes and which missions are open for registration. EC officers: the
current partnerships that are silent (no strategy, no KPIs, nothing reported) and those whose
KPIs are at risk or off track, from the oversight (``evaluation.selectors.oversight``).

Coordinators' and managers' lists keep the items of partnerships that ended (completed, or past
their end date: ``partnerships.selectors.ended_q``) apart, under ``ended``: current items first.

Every list is read with a fixed number of queries whatever the number of partnerships, and only
from what the user may see (their own partnerships and clusters; officers read everything).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import RowNumber
from django.utils import timezone

from escp_portal.accounts.policy import clusters_managed_by, partnerships_of_clusters_managed_by
from escp_portal.rows import per_row

# Member records not touched for this long are "not updated for a year".
STALE_AFTER = timedelta(days=365)
# Missions that ended within this time and have no outcome recorded yet.
OUTCOME_WINDOW = timedelta(days=365)
# Missions starting within this time are "next".
NEXT_WINDOW = timedelta(days=120)
LIMIT = 8
# A list of up to this many rows is read whole and split here (one plain query, the usual case:
# one user's own partnerships); a longer one is cut by the database (``_split``).
READ_WHOLE_UP_TO = 200


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


def _ordering(rows: QuerySet) -> list:
    """The query set's order as expressions, for a window's ``order_by``."""
    result = []
    for item in rows.query.order_by:
        if isinstance(item, OrderBy):
            result.append(item)
        elif item.startswith("-"):
            result.append(F(item[1:]).desc())
        else:
            result.append(F(item).asc())
    return result


def _split(rows, today: date, path: str = "", ended=None) -> tuple[Items, Items]:
    """``_cut`` of the current partnerships' rows and of the ended ones' (``ended_q``, the
    partnership at ``path``), each in its own order. A query set is read in one query: whole
    when it has at most READ_WHOLE_UP_TO rows, else with a row number and a count per group (the
    first LIMIT of each kept); a list is split by ``ended(row)``."""
    from partnerships.selectors import ended_q

    if not isinstance(rows, QuerySet):
        rows = list(rows)
        return _cut(r for r in rows if not ended(r)), _cut(r for r in rows if ended(r))
    relation = path.removesuffix("__")
    if relation:
        rows = rows.select_related(relation)
    whole = list(rows[: READ_WHOLE_UP_TO + 1])
    if len(whole) <= READ_WHOLE_UP_TO:
        # Few rows: read in one plain query with their partnership, split by ``has_ended``
        # (the rule of ``ended_q``) here; a window query costs more to build than they do.
        def partnership_ended(row) -> bool:
            for name in relation.split("__") if relation else ():
                row = getattr(row, name)
            return _has_ended(row, today)

        return _split(whole, today, ended=partnership_ended)
    group = Case(When(ended_q(today, path), then=Value(True)), default=Value(False))
    read = list(
        rows.annotate(is_ended=ExpressionWrapper(group, output_field=BooleanField()))
        .annotate(
            place=Window(RowNumber(), partition_by=[F("is_ended")], order_by=_ordering(rows)),
            total_rows=Window(Count("pk"), partition_by=[F("is_ended")]),
        )
        .filter(place__lte=LIMIT)
    )
    current = [row for row in read if not row.is_ended]
    past = [row for row in read if row.is_ended]
    return (
        Items(current, current[0].total_rows if current else 0),
        Items(past, past[0].total_rows if past else 0),
    )


def _has_ended(partnership, today: date) -> bool:
    from partnerships.selectors import has_ended

    return has_ended(status=partnership.status, end_date=partnership.end_date, today=today)


def _live_strategy_ids(partnership_ids) -> list[int]:
    """The live version of each partnership (``strategy.selectors.live_strategies``: adopted,
    else the draft), read once: the lists that use it compile a list of ids, not the rule's
    subquery each."""
    from strategy.selectors import live_strategies

    return list(live_strategies(partnership_ids).values_list("pk", flat=True))


def late_reports(strategy_ids, today: date, responsible_clusters=None) -> tuple[Items, Items]:
    """Overdue reports of the live strategies (``strategy.selectors.overdue_reports``: the rule
    the reminders follow too), optionally only those the given clusters are responsible for:
    those of current partnerships, and those of partnerships that ended."""
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
    return _split(rows, today, ended=lambda row: _has_ended(row.kpi.strategy.partnership, today))


def coordinator(partnership_ids, today: date) -> dict:
    from evaluation.models import Review
    from missions.models import Mission
    from missions.selectors import places
    from partnerships.selectors import has_ended
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
    partnership = "kpi__objective__strategy__partnership__"
    review_counts = list(
        to_review.values(
            "kpi_id",
            "kpi__name",
            f"{partnership}acronym",
            f"{partnership}status",
            f"{partnership}end_date",
        )
        .annotate(n=Count("pk"))
        .order_by(f"{partnership}acronym", "kpi_id")
    )

    def review_ended(row):
        return has_ended(
            status=row[f"{partnership}status"], end_date=row[f"{partnership}end_date"], today=today
        )

    lists = {
        "late_reports": late_reports(strategy_ids, today),
        "to_review": _split(review_counts, today, ended=review_ended),
        "overdue_tasks": _split(overdue_tasks, today, "objective__strategy__partnership__"),
        "without_outcomes": _split(without_outcomes, today, "partnership__"),
        "open_reviews": _split(open_reviews, today, "partnership__"),
        "upcoming": _split(upcoming, today, "partnership__"),
    }
    current = {name: pair[0] for name, pair in lists.items()}
    ended = {name: pair[1] for name, pair in lists.items()}
    current["values_to_review"] = sum(r["n"] for r in review_counts if not review_ended(r))
    ended["values_to_review"] = sum(r["n"] for r in review_counts if review_ended(r))
    ended["total"] = sum(items.total for name, items in ended.items() if name in lists)
    return {**current, "ended": ended}


def cluster_manager(user, today: date) -> dict:
    """The manager's clusters and what they owe or may join in the partnerships those clusters
    currently partner (not drafts: those are their coordinators' alone)."""
    from missions.models import Mission, Participation
    from missions.selectors import places
    from partnerships.models import ClusterMembership, ClusterOrganisation, MemberImport

    cluster_ids = clusters_managed_by(user)
    stale_before = timezone.now() - STALE_AFTER
    memberships = ClusterMembership.objects.all()

    def count(condition=None):
        members = memberships.filter(condition or Q())
        return per_row(members, Count("member", distinct=True), by="cluster")

    clusters = (
        ClusterOrganisation.objects.filter(pk__in=cluster_ids)
        .annotate(
            member_total=count(),
            stale=count(Q(member__updated_at__lt=stale_before)),
            incomplete=count(Q(member__nace_code="") | Q(member__employees__isnull=True)),
            last_update=per_row(memberships, Max("member__updated_at"), by="cluster", default=None),
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
            mine=per_row(
                Participation.objects.filter(cluster_id__in=cluster_ids).exclude(
                    status=Participation.Status.CANCELLED
                ),
                Count("pk"),
                by="mission",
            )
        )
        .select_related("partnership")
        .order_by(F("registration_deadline").asc(nulls_last=True), "start_date", "pk")
    )
    from partnerships.selectors import ended_q

    to_confirm = Participation.objects.filter(
        cluster_id__in=cluster_ids,
        mission__partnership_id__in=partnership_ids,
        status=Participation.Status.REGISTERED,
        mission__start_date__gte=today,
    ).aggregate(all=Count("pk"), ended=Count("pk", filter=ended_q(today, "mission__partnership__")))
    late = late_reports(
        _live_strategy_ids(partnership_ids), today, responsible_clusters=cluster_ids
    )
    missions = _split(open_missions, today, "partnership__")
    ended = {
        "late_reports": late[1],
        "open_missions": missions[1],
        "to_confirm": to_confirm["ended"],
        "total": late[1].total + missions[1].total,
    }
    return {
        "clusters": list(clusters),
        "late_reports": late[0],
        "open_missions": missions[0],
        "to_confirm": to_confirm["all"] - to_confirm["ended"],
        "ended": ended,
    }


def officer(today: date) -> dict:
    """The current partnerships (active, not past their end date) that need a look, from the
    oversight: the silent ones first (no strategy, no KPIs, nothing reported of what was due),
    then those with KPIs at risk or off track; and the reviews the coordinators answered."""
    from evaluation.models import Review
    from evaluation.selectors import oversight
    from partnerships.models import Partnership
    from partnerships.selectors import running_q

    # Shown as active (partnerships.selectors): not ended, and with recent activity when it has
    # no end date; the quiet ones are counted apart.
    current = Partnership.objects.filter(running_q(today))
    rows = [row for row in oversight(current, today=today) if row.silent or row.troubled]
    answered = (
        Review.objects.filter(state=Review.State.ANSWERED)
        .select_related("partnership", "kpi", "objective")
        .order_by("responded_at", "pk")
    )
    return {
        "at_risk": _cut(rows),
        "silent": sum(1 for row in rows if row.silent),
        "answered_reviews": _cut(answered),
    }
