"""Reads of brokers, opportunities, investor contacts and investment projects for the pages,
the API and the emails (no writes)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from escp_portal.accounts.models import Role
from escp_portal.accounts.policy import partner_clusters_of
from escp_portal.rows import per_row

from .models import Broker, InvestmentProject, InvestorContact, Opportunity


def brokers_of(partnership, user):
    return (
        Broker.objects.visible_to(user)
        .filter(partnership=partnership)
        .select_related("target_market", "named_by__cluster")
        .annotate(
            open_opportunities=per_row(
                Opportunity.objects.filter(_open()), Count("pk"), by="broker"
            )
        )
    )


def _open(prefix=""):
    return Q(**{f"{prefix}stage__in": Opportunity.OPEN_STAGES})


def opportunities_of(partnership, user):
    return (
        Opportunity.objects.visible_to(user)
        .filter(partnership=partnership)
        .select_related("broker", "partner__cluster", "owner", "outcome")
    )


def pipeline(opportunities) -> list[tuple[str, str, list]]:
    """The opportunities by stage, in the pipeline's order: (code, label, rows)."""
    rows: dict[str, list] = {code: [] for code, _label in Opportunity.Stage.choices}
    for opportunity in opportunities:
        rows[opportunity.stage].append(opportunity)
    return [(code, label, rows[code]) for code, label in Opportunity.Stage.choices]


def pipeline_figures(partnership_id: int) -> dict:
    """How many opportunities at each stage, how many follow-ups overdue and how many brokers
    and investor contacts: what an EC officer reads, without a name (one query each)."""
    today = timezone.localdate()
    counts = dict(
        Opportunity.objects.filter(partnership_id=partnership_id)
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    overdue = Opportunity.objects.filter(
        _open(), partnership_id=partnership_id, next_follow_up__lt=today
    ).count()
    return {
        "stages": [(label, counts.get(code, 0)) for code, label in Opportunity.Stage.choices],
        "overdue": overdue,
        "brokers": Broker.objects.filter(partnership_id=partnership_id).count(),
    }


def investor_contacts_of(partnership, user):
    return (
        InvestorContact.objects.visible_to(user)
        .filter(partnership=partnership)
        .select_related("event")
    )


def investor_figures(partnership_id: int) -> list[tuple[str, int]]:
    counts = dict(
        InvestorContact.objects.filter(partnership_id=partnership_id)
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return [(label, counts.get(code, 0)) for code, label in InvestorContact.Kind.choices]


def investment_projects_of(partnership, user):
    return (
        InvestmentProject.objects.visible_to(user)
        .filter(partnership=partnership)
        .select_related("lead_partner__cluster")
    )


def investment_totals(projects) -> dict:
    totals = projects.aggregate(
        sought=Sum("investment_sought"), mobilised=Sum("investment_mobilised"), count=Count("pk")
    )
    return {
        "sought": totals["sought"] or Decimal(0),
        "mobilised": totals["mobilised"] or Decimal(0),
        "count": totals["count"],
    }


def people_of(partnership) -> list:
    """Who can follow an opportunity: the partnership's coordinators and the managers of its
    current partner clusters, active, in one query."""
    from escp_portal.accounts.models import RoleAssignment, User

    holders = RoleAssignment.objects.filter(
        Q(role=Role.COORDINATOR, partnership_id=partnership.pk)
        | Q(role=Role.CLUSTER_MANAGER, cluster_id__in=partner_clusters_of([partnership.pk]))
    )
    return list(
        User.objects.filter(is_active=True, pk__in=holders.values("user_id")).order_by("email")
    )


def overdue_follow_ups(today=None):
    """Open opportunities whose follow-up date has passed and whose follower was not reminded
    of it yet (the daily job's work)."""
    today = today or timezone.localdate()
    return (
        Opportunity.objects.filter(
            _open(),
            next_follow_up__lt=today,
            follow_up_notified_at__isnull=True,
            owner__isnull=False,
            owner__is_active=True,
        )
        .select_related("owner", "partnership", "broker")
        .order_by("pk")
    )
