"""KPI sources this app owns: the partner clusters' members and SMEs, and completed tasks."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, DateField, Q
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from .sources import register


def _partner_memberships(kpi, end: date | None = None):
    from partnerships.models import ClusterMembership, Partner

    partnership_id = kpi.objective.strategy.partnership_id
    partners = Partner.objects.filter(partnership_id=partnership_id)
    return ClusterMembership.objects.filter(cluster__in=partners.values("cluster")).annotate(
        since=Coalesce("joined_on", Cast("created_at", DateField()))
    )


def _members_series(kpi, periods, *, smes: bool):
    memberships = _partner_memberships(kpi)
    if smes:
        memberships = memberships.filter(member__is_sme=True)
    # One query: a distinct count per period end, as conditional aggregates.
    aggregates = {
        f"p{i}": Count("member", filter=Q(since__lte=end), distinct=True)
        for i, (_start, end) in enumerate(periods)
    }
    row = memberships.aggregate(**aggregates)
    return {end: Decimal(row[f"p{i}"] or 0) for i, (_start, end) in enumerate(periods)}


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


def _tasks_series(kpi, periods):
    aggregates = {
        f"p{i}": Count("pk", filter=Q(completed_on__gte=start, completed_on__lte=end))
        for i, (start, end) in enumerate(periods)
    }
    row = _tasks_done(kpi).aggregate(**aggregates)
    return {end: Decimal(row[f"p{i}"] or 0) for i, (_start, end) in enumerate(periods)}


register(
    "partner_members",
    label=_("Members of the partner clusters"),
    description=_("Companies and other bodies in the partner clusters at the end of the period."),
    series=lambda kpi, periods: _members_series(kpi, periods, smes=False),
    records=lambda kpi, start, end: _members_records(kpi, start, end),
    stock=True,
)
register(
    "partner_smes",
    label=_("SMEs in the partner clusters"),
    description=_("Members that are SMEs by the EU definition, at the end of the period."),
    series=lambda kpi, periods: _members_series(kpi, periods, smes=True),
    records=lambda kpi, start, end: _members_records(kpi, start, end, smes=True),
    stock=True,
)
register(
    "tasks_completed",
    label=_("Roadmap tasks completed"),
    description=_("Tasks of the partnership's roadmap completed within the period."),
    series=_tasks_series,
    records=lambda kpi, start, end: _tasks_done(kpi).filter(
        completed_on__gte=start, completed_on__lte=end
    ),
)
