"""Mission reminders: before a mission, before its registration deadline, and after it (to
record outcomes, which often come months later). Each (mission, recipient, kind) once."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from escp_portal.accounts.models import Role
from escp_portal.accounts.policy import people_with_role
from escp_portal.hostile import one_line
from escp_portal.jobs.once import claim_and_send

from .. import exports
from ..models import Mission, Participation, ReminderLog

Kind = ReminderLog.Kind
logger = logging.getLogger(__name__)


def due_kinds(mission: Mission, today: date) -> list[str]:
    """The reminder kinds whose window is open today. Windows (not single days) let a job that
    missed a day catch up, without reminding of events long past."""
    kinds = []
    before = (mission.start_date - today).days
    after = (today - mission.end_date).days
    if 1 < before <= 7:
        kinds.append(Kind.BEFORE_7)
    if 0 <= before <= 1:
        kinds.append(Kind.BEFORE_1)
    if mission.registration_deadline and 0 <= (mission.registration_deadline - today).days <= 3:
        kinds.append(Kind.DEADLINE)
    if 7 <= after < 90:
        kinds.append(Kind.AFTER_7)
    if 90 <= after < 365:
        kinds.append(Kind.AFTER_3M)
    if 365 <= after < 395:
        kinds.append(Kind.AFTER_12M)
    return kinds


def _managers(cluster_ids) -> dict[int, list]:
    return people_with_role(Role.CLUSTER_MANAGER, cluster_ids=cluster_ids) if cluster_ids else {}


def recipients(mission: Mission, kind: str) -> dict:
    """User -> the participations the reminder is about (empty for the organiser)."""
    participations = list(mission.participations.select_related("member", "cluster"))
    if kind == Kind.DEADLINE:
        relevant = [p for p in participations if p.status == Participation.Status.REGISTERED]
    else:
        relevant = [p for p in participations if p.status in Participation.HOLDS_A_PLACE]
    managers = _managers(
        {p.cluster_id for p in relevant}
        | ({mission.organiser.cluster_id} if mission.organiser else set())
    )
    result: dict = defaultdict(list)
    for participation in relevant:
        for user in managers.get(participation.cluster_id, []):
            result[user].append(participation)
    if kind != Kind.DEADLINE:
        organisers = (
            list(managers.get(mission.organiser.cluster_id, [])) if mission.organiser else []
        )
        organisers += people_with_role(
            Role.COORDINATOR, partnership_ids=[mission.partnership_id]
        ).get(mission.partnership_id, [])
        for user in organisers:
            result.setdefault(user, [])
    return {
        user: items for user, items in result.items() if kind not in (user.muted_reminders or [])
    }


def send_mission_reminders(today: date | None = None) -> int:
    today = today or timezone.localdate()
    soon = date.fromordinal(today.toordinal() + 8)
    missions = (
        Mission.objects.exclude(status=Mission.Status.CANCELLED)
        .filter(
            # starting within a week, closing registration within three days, or ended
            # within the last thirteen months (outcome reminders)
            Q(start_date__lte=soon, end_date__gte=date.fromordinal(today.toordinal() - 400))
            | Q(
                registration_deadline__gte=today,
                registration_deadline__lte=date.fromordinal(today.toordinal() + 3),
            )
        )
        .select_related("partnership", "organiser__cluster")
    )
    sent = 0
    for mission in missions:
        for kind in due_kinds(mission, today):
            for user, participations in recipients(mission, kind).items():
                try:
                    sent += _send_once(mission, user, kind, participations)
                except (OperationalError, InterfaceError):
                    raise  # the database is away: the whole job retries
                except Exception:
                    # One reminder that cannot go (nothing is claimed: the next run tries
                    # again) never stops the others.
                    logger.exception(
                        "mission reminder %s for mission %s to user %s failed",
                        kind,
                        mission.pk,
                        user.pk,
                    )
    return sent


def _send_once(mission, user, kind, participations) -> int:
    """Claim the (mission, recipient, kind) row and send in one transaction (see
    ``claim_and_send``): a crash before the commit leaves nothing claimed, so the next run
    sends; a second run, or a second worker, finds the row."""
    if ReminderLog.objects.filter(mission=mission, recipient=user, kind=kind).exists():
        return 0
    sent = claim_and_send(
        lambda: ReminderLog.objects.create(mission=mission, recipient=user, kind=kind),
        lambda: _send(mission, user, kind, participations),
    )
    return int(sent)


def _send(mission, user, kind, participations) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "mission": mission,
            "user": user,
            "kind": kind,
            "participations": participations,
            "site": settings.SITE_URL,
        }
        subject = one_line(render_to_string("missions/email/reminder_subject.txt", context))
        text = render_to_string("missions/email/reminder.txt", context)
        html = render_to_string("missions/email/reminder.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.attach(
        f"mission-{mission.pk}.ics", exports.calendar_for([mission], mission.title), "text/calendar"
    )
    message.send()
