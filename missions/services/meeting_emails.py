"""Emails about B2B meetings, sent from jobs: the other side of a new request, the requester of
the answer, the participants' managers when meetings are placed in their agenda. Each
(meeting, recipient, kind) once (``MeetingNotice``, claimed with the sending), in each
recipient's language."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from escp_portal.accounts.models import Role
from escp_portal.accounts.policy import people_with_role
from escp_portal.hostile import one_line
from escp_portal.jobs.once import claim_and_send

from .. import scheduling
from ..models import Meeting, MeetingNotice, Mission, Participation, party_name

PARTIES = (
    "mission__partnership",
    "requester__member",
    "requester__cluster",
    "recipient__member",
    "recipient__cluster",
    "requester_counterpart",
    "recipient_counterpart",
)


def side_of(party, mission: Mission) -> list:
    """Who hears for a party: a participant's cluster managers (its partnership's coordinators
    when the cluster has none); for a local counterpart, the organiser's side (the
    coordinators)."""
    if isinstance(party, Participation):
        managers = people_with_role(Role.CLUSTER_MANAGER, cluster_ids=[party.cluster_id])
        if managers.get(party.cluster_id):
            return managers[party.cluster_id]
    coordinators = people_with_role(Role.COORDINATOR, partnership_ids=[mission.partnership_id])
    return coordinators.get(mission.partnership_id, [])


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notify_meeting(meeting_id: int, kind: str) -> int:
    """A new request to the other side; an answer to the requester's. Nothing when the meeting
    has moved on meanwhile (a request answered before its email went)."""
    meeting = Meeting.objects.select_related(*PARTIES).filter(pk=meeting_id).first()
    if meeting is None or kind not in MeetingNotice.Kind.values or meeting.state != kind:
        return 0
    party = meeting.second if kind == MeetingNotice.Kind.REQUESTED else meeting.first
    sent = 0
    for user in side_of(party, meeting.mission):
        if MeetingNotice.objects.filter(meeting=meeting, recipient=user, kind=kind).exists():
            continue
        message = _meeting_email(meeting, user, kind)

        def claim(user=user):
            MeetingNotice.objects.create(meeting=meeting, recipient=user, kind=kind)

        sent += int(claim_and_send(claim, message.send))
    return sent


def _meeting_email(meeting: Meeting, user, kind: str) -> EmailMessage:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "meeting": meeting,
            "mission": meeting.mission,
            "kind": kind,
            "user": user,
            "first": party_name(meeting.first),
            "second": party_name(meeting.second),
            "link": _link(reverse("missions:meetings", args=[meeting.mission_id])),
        }
        subject = one_line(render_to_string("missions/email/meeting_subject.txt", context))
        body = render_to_string("missions/email/meeting.txt", context)
    return EmailMessage(subject, body, None, [user.email])


def notify_meetings_scheduled(mission_id: int) -> int:
    """Each participant's managers, once per meeting, of the meetings placed in its agenda: one
    email per person, listing the new ones. Returns how many emails went."""
    mission = Mission.objects.select_related("partnership").filter(pk=mission_id).first()
    if mission is None:
        return 0
    meetings = list(
        mission.meetings.filter(state=Meeting.State.ACCEPTED, starts_at__isnull=False)
        .select_related(*PARTIES)
        .order_by("starts_at", "table")
    )
    by_cluster: dict[int, list] = defaultdict(list)
    for meeting in meetings:
        for party in meeting.parties():
            if isinstance(party, Participation):
                by_cluster[party.cluster_id].append((party, meeting))
    managers = people_with_role(Role.CLUSTER_MANAGER, cluster_ids=list(by_cluster))
    coordinators = None
    by_user: dict = defaultdict(list)
    for cluster_id, items in by_cluster.items():
        people = managers.get(cluster_id)
        if not people:
            if coordinators is None:
                coordinators = people_with_role(
                    Role.COORDINATOR, partnership_ids=[mission.partnership_id]
                ).get(mission.partnership_id, [])
            people = coordinators
        for user in people:
            by_user[user].extend(items)
    told = set(
        MeetingNotice.objects.filter(
            meeting__mission=mission, kind=MeetingNotice.Kind.SCHEDULED
        ).values_list("recipient_id", "meeting_id")
    )
    sent = 0
    for user, items in by_user.items():
        new = [(party, m) for party, m in items if (user.pk, m.pk) not in told]
        if not new:
            continue
        message = _scheduled_email(mission, user, new)
        meeting_ids = sorted({m.pk for _party, m in new})

        def claim(user=user, meeting_ids=meeting_ids):
            MeetingNotice.objects.bulk_create(
                [
                    MeetingNotice(meeting_id=pk, recipient=user, kind=MeetingNotice.Kind.SCHEDULED)
                    for pk in meeting_ids
                ]
            )

        try:
            sent += int(claim_and_send(claim, message.send))
        except IntegrityError:  # claimed by another run meanwhile
            continue
    return sent


def _scheduled_email(mission: Mission, user, items) -> EmailMessage:
    zone = scheduling.mission_zone(mission)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        rows = [
            {
                "party": party_name(party),
                "other": party_name(meeting.other_party(party)),
                "meeting": meeting,
                "agenda": _link(reverse("missions:agenda", args=[party.pk])),
            }
            for party, meeting in items
        ]
        context = {"mission": mission, "user": user, "rows": rows, "zone": zone}
        subject = one_line(
            render_to_string("missions/email/meetings_scheduled_subject.txt", context)
        )
        body = render_to_string("missions/email/meetings_scheduled.txt", context)
    return EmailMessage(subject, body, None, [user.email])
