"""Partner and linked enterprises: a link added or taken away, and the figures each enterprise's
SME test adds from the others (``Member.group_*``), kept current whenever a member's figures,
kind or links change (``members_changed`` calls ``recompute_groups``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from escp_portal.accounts.policy import can_edit
from escp_portal.audit import set_actor
from escp_portal.services import require

from ..models import Member, MemberLink

CENT = Decimal("0.01")


def recompute_groups(member_ids) -> set[int]:
    """Write the figures added from partner and linked enterprises of the given members and of
    those related to them; returns every member whose figures were looked at (their SME status
    may have changed)."""
    ids = set(member_ids)
    if not ids:
        return ids
    links = list(
        MemberLink.objects.filter(Q(member_id__in=ids) | Q(other_id__in=ids)).select_related(
            "member", "other"
        )
    )
    affected = ids | {link.member_id for link in links} | {link.other_id for link in links}
    if len(affected) > len(ids):
        # The counterparts' own links count for their figures too.
        links = list(
            MemberLink.objects.filter(
                Q(member_id__in=affected) | Q(other_id__in=affected)
            ).select_related("member", "other")
        )
    added = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    for link in links:
        for this, that in ((link.member, link.other), (link.other, link.member)):
            if this.pk not in affected:
                continue
            figures = (that.employees, that.annual_turnover, that.balance_sheet_total)
            if that.kind != Member.Kind.ENTERPRISE or this.kind != Member.Kind.ENTERPRISE:
                figures = (None, None, None)
            for i, value in enumerate(figures):
                if value is not None:
                    added[this.pk][i] += Decimal(value) * link.weight
    current = Member.objects.filter(pk__in=affected).values_list(
        "pk", "group_employees", "group_turnover", "group_balance"
    )
    for pk, *before in current:
        after = [v.quantize(CENT) for v in added[pk]]
        if [Decimal(b) for b in before] != after:
            Member.objects.filter(pk=pk).update(
                group_employees=after[0],
                group_turnover=after[1],
                group_balance=after[2],
                updated_at=timezone.now(),  # its SME status may change: a sync hears of it
            )
    return affected


def related_enterprises(member_id: int) -> list[int]:
    """The partner and linked enterprises of a member (to compute again when it goes)."""
    pairs = MemberLink.objects.filter(Q(member_id=member_id) | Q(other_id=member_id))
    return sorted(
        {i for pair in pairs.values_list("member_id", "other_id") for i in pair} - {member_id}
    )


def link_add(*, actor, member: Member, other: Member, relation: str, share=None) -> MemberLink:
    """Record that two enterprises are partner or linked enterprises (both must be editable by
    the actor); both their SME statuses are computed again."""
    from .members import members_changed

    require(can_edit(actor, member) and can_edit(actor, other))
    link = MemberLink(member=member, other=other, relation=relation, share=share)
    with transaction.atomic(), set_actor(actor):
        link.full_clean()
        link.save()
        members_changed([member.pk, other.pk])
    return link


def link_remove(*, actor, link: MemberLink) -> None:
    from .members import members_changed

    require(can_edit(actor, link.member) and can_edit(actor, link.other))
    ids = [link.member_id, link.other_id]
    with transaction.atomic(), set_actor(actor):
        link.delete()
        members_changed(ids)
