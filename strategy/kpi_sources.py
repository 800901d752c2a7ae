"""KPI sources this app owns: the partner clusters' members and SMEs, and completed tasks."""

from django.db.models import Count, DateField, Q
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from .sources import per_partnership, register

SINCE = Coalesce("joined_on", Cast("created_at", DateField()))


def _partner_memberships(kpi):
    from partnerships.models import ClusterMembership, Partner

    partnership_id = kpi.objective.strategy.partnership_id
    partners = Partner.objects.filter(partnership_id=partnership_id)
    return ClusterMembership.objects.filter(cluster__in=partners.values("cluster")).annotate(
        since=SINCE
    )


def _members_series(partnership_ids, periods, *, smes: bool):
    from partnerships.models import ClusterMembership

    # The memberships of each partnership's partner clusters (a membership once per
    # partnership its cluster is a partner of).
    memberships = ClusterMembership.objects.alias(since=SINCE)
    if smes:
        memberships = memberships.filter(member__is_sme=True)
    # One query: a distinct count per partnership and period end, as conditional aggregates.
    return per_partnership(
        memberships,
        "cluster__partnerships_joined__partnership_id",
        partnership_ids,
        periods,
        lambda _start, end: Count("member", filter=Q(since__lte=end), distinct=True),
    )


def _members_records(kpi, start, end, *, smes=False):
    from partnerships.models import Member

    memberships = _partner_memberships(kpi).filter(since__lte=end)
    members = Member.objects.filter(pk__in=memberships.values("member"))
    return members.filter(is_sme=True) if smes else members


def _tasks_done(kpi):
    from .models import Task

    return Task.objects.filter(
        objective__strategy__partnership_id=kpi.objective.strategy.partnership_id,
        status=Task.Status.DONE,
    )


def _tasks_series(partnership_ids, periods):
    from .models import Task

    return per_partnership(
        Task.objects.filter(status=Task.Status.DONE),
        "objective__strategy__partnership_id",
        partnership_ids,
        periods,
        lambda start, end: Count("pk", filter=Q(completed_on__gte=start, completed_on__lte=end)),
    )


register(
    "partner_members",
    label=_("Members of the partner clusters"),
    description=_("Companies and other bodies in the partner clusters at the end of the period."),
    series_many=lambda ids, periods: _members_series(ids, periods, smes=False),
    records=lambda kpi, start, end: _members_records(kpi, start, end),
    stock=True,
)
register(
    "partner_smes",
    label=_("SMEs in the partner clusters"),
    description=_("Members that are SMEs by the EU definition, at the end of the period."),
    series_many=lambda ids, periods: _members_series(ids, periods, smes=True),
    records=lambda kpi, start, end: _members_records(kpi, start, end, smes=True),
    stock=True,
)
register(
    "tasks_completed",
    label=_("Roadmap tasks completed"),
    description=_("Tasks of the partnership's roadmap completed within the period."),
    series_many=_tasks_series,
    records=lambda kpi, start, end: _tasks_done(kpi).filter(
        completed_on__gte=start, completed_on__lte=end
    ),
)
