"""Inclusive coordination [Action 2]: share a draft with every partner, take their comments
and endorsements, tell them by email; keep the log of the partnership's meetings."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from escp_portal.accounts.models import Role
from escp_portal.accounts.policy import (
    can_create,
    can_edit,
    partner_clusters_of,
    people_with_role,
)
from escp_portal.audit import set_actor
from escp_portal.hostile import one_line
from escp_portal.jobs.once import claim_and_send
from escp_portal.jobs.outbox import enqueue
from escp_portal.services import apply_fields, delete_audited, require, save_audited

from ..models import Decision, PartnershipMeeting, Strategy, StrategyFeedback, StrategyNotice
from ..rules import can_give_feedback
from .common import ensure_partner_of


def _notify(strategy: Strategy, event: str) -> None:
    from ..tasks import notify_strategy_partners

    enqueue(notify_strategy_partners, args=[strategy.pk, event])


def strategy_share(*, actor, strategy: Strategy) -> Strategy:
    """Put a draft before every partner: from now on they comment on it and endorse it."""
    require(can_edit(actor, strategy))
    if strategy.status != Strategy.Status.DRAFT:
        raise ValidationError(_("Only a draft is shared for endorsement."))
    if strategy.shared_at is not None:
        raise ValidationError(_("This draft is already shared with the partners."))
    with transaction.atomic(), set_actor(actor):
        strategy.shared_at = timezone.now()
        strategy.save(update_fields=["shared_at", "updated_at"])
        _notify(strategy, StrategyNotice.Event.SHARED)
    return strategy


def feedback_give(
    *, actor, strategy: Strategy, partner, feedback_kind: str, text: str = ""
) -> StrategyFeedback:
    """A partner comments on the shared draft, or endorses it (once per version)."""
    require(can_give_feedback(actor, strategy, partner))
    feedback = StrategyFeedback(
        strategy=strategy, partner=partner, feedback_kind=feedback_kind, text=text, author=actor
    )
    return save_audited(actor, feedback)


def endorsement_record(strategy: Strategy) -> list[dict]:
    """Each current partner, and whether it endorsed this version: two queries."""
    endorsed = set(
        strategy.feedback.filter(feedback_kind=StrategyFeedback.Kind.ENDORSEMENT).values_list(
            "partner_id", flat=True
        )
    )
    partners = strategy.partnership.partners.filter(
        cluster_id__in=partner_clusters_of([strategy.partnership_id])
    ).select_related("cluster")
    return [
        {"partner": p.pk, "name": p.cluster.name, "endorsed": p.pk in endorsed}
        for p in partners.order_by("cluster__name")
    ]


def adoption_recorded(strategy: Strategy) -> None:
    """At adoption (``strategy_adopt``, in its transaction): write down who endorsed and who did
    not, and tell the partners."""
    strategy.adoption_record = endorsement_record(strategy)
    _notify(strategy, StrategyNotice.Event.ADOPTED)


# --- the emails --------------------------------------------------------------------------------


def strategy_notify(strategy_id: int, event: str) -> int:
    """Email the partnership's coordinators and the managers of its current partner clusters,
    each in their language, once per version and event (the ``StrategyNotice`` row is the
    claim). Returns how many were emailed."""
    strategy = Strategy.objects.select_related("partnership").filter(pk=strategy_id).first()
    if strategy is None or event not in StrategyNotice.Event.values:
        return 0
    if StrategyNotice.objects.filter(strategy=strategy, event=event).exists():
        return 0
    clusters = list(
        partner_clusters_of([strategy.partnership_id]).values_list("cluster_id", flat=True)
    )
    people = {}
    for users in people_with_role(Role.CLUSTER_MANAGER, cluster_ids=clusters).values():
        people.update({u.pk: u for u in users})
    coordinators = people_with_role(Role.COORDINATOR, partnership_ids=[strategy.partnership_id])
    for users in coordinators.values():
        people.update({u.pk: u for u in users})
    recipients = sorted(people.values(), key=lambda u: u.email)
    messages = [_email(strategy, event, user) for user in recipients]

    def claim():
        StrategyNotice.objects.create(strategy=strategy, event=event, recipients=len(messages))

    def send():
        if messages:
            get_connection().send_messages(messages)

    return len(messages) if claim_and_send(claim, send) else 0


def _email(strategy: Strategy, event: str, user) -> EmailMessage:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "strategy": strategy,
            "partnership": strategy.partnership,
            "event": event,
            "user": user,
            "link": settings.SITE_URL.rstrip("/")
            + reverse("strategy:overview", args=[strategy.partnership_id])
            + f"?version={strategy.version}",
        }
        subject = one_line(render_to_string("strategy/email/strategy_subject.txt", context))
        body = render_to_string("strategy/email/strategy.txt", context)
    return EmailMessage(subject, body, None, [user.email])


# --- the meeting log -----------------------------------------------------------------------------

MEETING_FIELDS = ("title", "held_on", "meeting_format", "people", "notes")


def _attendees(partnership_id: int, attendees) -> None:
    for partner in attendees:
        ensure_partner_of(partnership_id, partner, "attendees")


def meeting_create(*, actor, partnership, attendees=(), **data) -> PartnershipMeeting:
    require(can_create(actor, PartnershipMeeting, partnership))
    meeting = PartnershipMeeting(partnership=partnership)
    apply_fields(meeting, data, MEETING_FIELDS)
    _attendees(partnership.pk, attendees)
    return save_audited(actor, meeting, then=lambda m: m.attendees.set(attendees))


def meeting_update(
    *, actor, meeting: PartnershipMeeting, attendees=None, **data
) -> PartnershipMeeting:
    require(can_edit(actor, meeting))
    apply_fields(meeting, data, MEETING_FIELDS)
    if attendees is not None:
        _attendees(meeting.partnership_id, attendees)
    return save_audited(
        actor, meeting, then=lambda m: attendees is not None and m.attendees.set(attendees)
    )


def meeting_delete(*, actor, meeting: PartnershipMeeting) -> None:
    require(can_edit(actor, meeting))
    delete_audited(actor, meeting)


DECISION_FIELDS = ("text", "objective", "task")


def _check_links(decision: Decision, linked=(None, None)) -> None:
    """An objective or a task of the meeting's partnership. A new link (``linked``: the ids the
    decision had) goes to the adopted version or its draft, as the form offers: a revised
    version's objectives and tasks are history. A link made before its version was revised
    stays when the decision's text changes."""
    partnership_id = decision.meeting.partnership_id
    objective, task = decision.objective, decision.task
    if objective and objective.strategy.partnership_id != partnership_id:
        raise ValidationError({"objective": _("Choose an objective of this partnership.")})
    if task and task.objective.strategy.partnership_id != partnership_id:
        raise ValidationError({"task": _("Choose a task of this partnership.")})
    revised = Strategy.Status.REVISED
    if objective and objective.pk != linked[0] and objective.strategy.status == revised:
        raise ValidationError(
            {"objective": _("This objective belongs to a revised version of the strategy.")}
        )
    if task and task.pk != linked[1] and task.objective.strategy.status == revised:
        raise ValidationError(
            {"task": _("This task belongs to a revised version of the strategy.")}
        )


def decision_create(*, actor, meeting: PartnershipMeeting, **data) -> Decision:
    require(can_create(actor, Decision, meeting))
    decision = Decision(meeting=meeting)
    apply_fields(decision, data, DECISION_FIELDS)
    _check_links(decision)
    return save_audited(actor, decision)


def decision_update(*, actor, decision: Decision, **data) -> Decision:
    require(can_edit(actor, decision))
    linked = (decision.objective_id, decision.task_id)
    apply_fields(decision, data, DECISION_FIELDS)
    _check_links(decision, linked)
    return save_audited(actor, decision)


def decision_delete(*, actor, decision: Decision) -> None:
    require(can_edit(actor, decision))
    delete_audited(actor, decision)
