"""Placing a mission's accepted B2B meetings at a time and a table (``schedule_meetings``).

The mission's row is locked for the run, so that two runs (or a run and a withdrawal) cannot
place two meetings of one party at once: the check that no party and no table is booked twice
is made here, on every meeting of the mission, under that lock. The database refuses two
meetings at one table at the same start (``meeting_table_once_per_slot``) in any case."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal import audit
from escp_portal.audit import set_actor
from escp_portal.jobs.outbox import enqueue
from escp_portal.services import require

from .. import scheduling
from ..models import Meeting, Mission, Participation
from ..rules import organises_meetings
from ..tasks import notify_meetings_scheduled


@dataclass
class ScheduleReport:
    placed: list[Meeting] = field(default_factory=list)
    unplaced: list[Meeting] = field(default_factory=list)
    kept: int = 0


def _taking_part(meeting: Meeting) -> bool:
    return all(
        not isinstance(party, Participation) or party.status in Participation.HOLDS_A_PLACE
        for party in meeting.parties()
    )


def schedule_meetings(*, actor, mission: Mission) -> ScheduleReport:
    """Give every accepted meeting without a slot a time within the mission's days and hours and
    a table, none of its two parties (nor the table) booked twice at once. Meetings placed
    before keep their time and table. The report lists those placed now and those that found
    no free time (their parties' days are full, or a participant no longer holds a place)."""
    require(organises_meetings(actor, mission))
    if mission.status == Mission.Status.CANCELLED:
        raise ValidationError(_("This mission is cancelled: it has no B2B meetings."))
    report = ScheduleReport()
    with transaction.atomic(), set_actor(actor):
        locked = Mission.objects.select_for_update().get(pk=mission.pk)
        accepted = list(
            locked.meetings.filter(state=Meeting.State.ACCEPTED)
            .select_related(
                "requester__member",
                "requester__cluster",
                "recipient__member",
                "recipient__cluster",
                "requester_counterpart",
                "recipient_counterpart",
            )
            .order_by("answered_at", "pk")
        )
        kept = [m for m in accepted if m.starts_at is not None]
        waiting = [m for m in accepted if m.starts_at is None]
        report.kept = len(kept)
        placeable = [m for m in waiting if _taking_part(m)]
        plan = scheduling.place(
            [scheduling.Request(m.pk, m.party_keys()) for m in placeable],
            scheduling.mission_slots(locked),
            locked.meeting_tables,
            [scheduling.Placed(m.party_keys(), m.starts_at, m.ends_at, m.table) for m in kept],
        )
        now = timezone.now()
        pairs = []
        for meeting in waiting:
            spot = plan.placed.get(meeting.pk)
            if spot is None:
                report.unplaced.append(meeting)
                continue
            before = copy.copy(meeting)
            meeting.starts_at, meeting.ends_at, meeting.table = spot.start, spot.end, spot.table
            meeting.updated_at = now
            report.placed.append(meeting)
            pairs.append((before, meeting))
        if report.placed:
            Meeting.objects.bulk_update(
                report.placed, ["starts_at", "ends_at", "table", "updated_at"], batch_size=500
            )
            audit.log_updated(pairs)
            enqueue(notify_meetings_scheduled, args=[locked.pk])
    return report
