"""Reads of the collective trademark projects and their registers of licensed members."""

from __future__ import annotations

from django.db.models import Count

from escp_portal.rows import per_row

from ..models import Task, Trademark, TrademarkLicence
from ..rules import member_named


def trademarks_of(partnership, user):
    return (
        Trademark.objects.visible_to(user)
        .filter(partnership=partnership)
        .annotate(
            licence_count=per_row(TrademarkLicence.objects.all(), Count("pk"), by="trademark")
        )
        .select_related("objective")
    )


def trademark_steps(trademark):
    """The project's steps: the tasks of its objective, with their responsible partners."""
    if trademark.objective_id is None:
        return Task.objects.none()
    return (
        Task.objects.filter(objective_id=trademark.objective_id)
        .prefetch_related("responsible__cluster")
        .order_by("due_date", "pk")
    )


def licences_of(trademark, user):
    """The register, each licence annotated ``named``: is its member named to the user (only
    to those who may see that member; others read that a member company holds a licence)."""
    return (
        TrademarkLicence.objects.visible_to(user)
        .filter(trademark=trademark)
        .annotate(named=member_named(user))
        .select_related("member")
    )
