"""Reads of the inclusive coordination: the feedback on a shared draft, each partner's
endorsement, and the partnership's meeting log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from escp_portal.accounts.policy import partner_clusters_of

from ..models import Decision, PartnershipMeeting, Strategy, StrategyFeedback
from ..rules import partners_spoken_for


@dataclass
class EndorsementRow:
    partner: object
    endorsed: object  # the endorsement (StrategyFeedback) or None
    comments: int


def current_partners(partnership_id: int):
    from partnerships.models import Partner

    return (
        Partner.objects.filter(
            partnership_id=partnership_id,
            cluster_id__in=partner_clusters_of([partnership_id]),
        )
        .select_related("cluster")
        .order_by("cluster__name")
    )


def draft_feedback(strategy: Strategy, user) -> dict:
    """The feedback on a version, for its page: every comment and endorsement (oldest first),
    each current partner with its endorsement, and the partners the user speaks for. Three
    queries, whatever the number of partners."""
    feedback = list(
        StrategyFeedback.objects.visible_to(user)
        .filter(strategy=strategy)
        .select_related("partner__cluster", "author")
    )
    partners = list(current_partners(strategy.partnership_id))
    endorsements = {
        f.partner_id: f for f in feedback if f.feedback_kind == StrategyFeedback.Kind.ENDORSEMENT
    }
    comments: dict[int, int] = {}
    for f in feedback:
        if f.feedback_kind == StrategyFeedback.Kind.COMMENT:
            comments[f.partner_id] = comments.get(f.partner_id, 0) + 1
    rows = [EndorsementRow(p, endorsements.get(p.pk), comments.get(p.pk, 0)) for p in partners]
    return {
        "feedback": feedback,
        "endorsement_rows": rows,
        "endorsed_count": sum(1 for r in rows if r.endorsed),
        "speaks_for": partners_spoken_for(user, partners),
    }


def meetings_of(partnership, user):
    """The partnership's meeting log, newest first, with attendees and decisions (three
    queries)."""
    from partnerships.models import Partner

    decisions = Decision.objects.select_related("objective", "task").order_by("pk")
    return (
        PartnershipMeeting.objects.visible_to(user)
        .filter(partnership=partnership)
        .prefetch_related(
            Prefetch("attendees", queryset=Partner.objects.select_related("cluster")),
            Prefetch("decisions", queryset=decisions),
        )
    )
