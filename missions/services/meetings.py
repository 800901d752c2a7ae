"""Every write of a mission's B2B meetings but their placement (``scheduling``): offers and
seeks, local counterparts, meeting requests and their answers, the follow-up and the outcome
it becomes. Keyword-only, with the actor, checked against ``missions.rules`` and audited; the
other side hears of a request, and the requester of the answer, by email from a job."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.audit import set_actor
from escp_portal.jobs.outbox import enqueue
from escp_portal.services import apply_fields, require, save_audited, saved_at_the_same_time

from ..models import (
    LocalCounterpart,
    Meeting,
    MeetingProfile,
    Mission,
    Outcome,
    Participation,
    pair_of,
    party_name,
)
from ..rules import (
    acts_for,
    can_answer_meeting,
    can_change_participation,
    can_follow_up_meeting,
    can_turn_into_outcome,
    can_withdraw_meeting,
    organises_meetings,
    sees_meetings_of,
)
from ..tasks import notify_meeting
from .missions import outcome_save

PROFILE_FIELDS = ("offers", "seeks")
COUNTERPART_FIELDS = (
    "name",
    "country",
    "kind",
    "offers",
    "seeks",
    "contact_name",
    "contact_email",
    "contact_phone",
)
FOLLOW_UP_FIELDS = ("took_place", "follow_up", "follow_up_note")


def _not_cancelled(mission: Mission) -> None:
    if mission.status == Mission.Status.CANCELLED:
        raise ValidationError(_("This mission is cancelled: it has no B2B meetings."))


def takes_part(participation: Participation) -> bool:
    """A participant meets others while it holds a place (not waiting, not cancelled)."""
    return participation.status in Participation.HOLDS_A_PLACE


# --- offers and seeks ---------------------------------------------------------------------------


def meeting_profile_save(
    *, actor, participation: Participation, competences=None, **data
) -> MeetingProfile:
    """Say what a participant offers and seeks (its side: ``can_change_participation``)."""
    require(sees_meetings_of(actor, participation.mission))
    require(can_change_participation(actor, participation))
    _not_cancelled(participation.mission)
    if participation.status == Participation.Status.CANCELLED:
        raise ValidationError(_("This registration is cancelled."))
    profile = MeetingProfile.objects.filter(participation=participation).first()
    profile = profile or MeetingProfile(participation=participation)
    apply_fields(profile, data, PROFILE_FIELDS)

    def then(saved):
        if competences is not None:
            saved.competences.set(competences)

    return save_audited(actor, profile, then=then)


# --- local counterparts -------------------------------------------------------------------------


def counterpart_save(
    *, actor, mission: Mission, counterpart: LocalCounterpart | None = None, **data
) -> LocalCounterpart:
    """The organiser's side enters (or corrects) a company met in the target country."""
    require(organises_meetings(actor, mission))
    _not_cancelled(mission)
    if counterpart is None:
        counterpart = LocalCounterpart(mission=mission, created_by=actor)
        data.setdefault("country", mission.country)
    apply_fields(counterpart, data, COUNTERPART_FIELDS)
    return save_audited(actor, counterpart)


# --- requests and answers -----------------------------------------------------------------------


def _party_of(mission: Mission, party):
    if party is None or party.mission_id != mission.pk:
        raise ValidationError(_("Choose a participant or a local counterpart of this mission."))
    if isinstance(party, Participation) and not takes_part(party):
        raise ValidationError(
            _("%(p)s does not hold a place on this mission.") % {"p": party_name(party)}
        )
    return party


def _sides(field: str, party) -> dict:
    counterpart = f"{field}_counterpart"
    if isinstance(party, Participation):
        return {field: party, counterpart: None}
    return {field: None, counterpart: party}


def meeting_request(*, actor, mission: Mission, requester, recipient, message: str = "") -> Meeting:
    """Ask for a meeting, for a party the user speaks for (``acts_for``), with another party of
    the same mission; the same two meet once (a withdrawn request may be made again)."""
    require(sees_meetings_of(actor, mission))
    _party_of(mission, requester)
    require(acts_for(actor, requester))
    _party_of(mission, recipient)
    _not_cancelled(mission)
    if timezone.localdate() > mission.end_date:
        raise ValidationError(_("The mission is over: no more meeting requests."))
    pair = pair_of(requester, recipient)
    if pair.split("|")[0] == pair.split("|")[1]:
        raise ValidationError(_("Nobody meets themselves: choose another participant."))
    if Meeting.objects.filter(mission=mission, pair=pair).exclude(state="withdrawn").exists():
        raise ValidationError(_("A meeting between these two was asked already."))
    meeting = Meeting(
        mission=mission,
        pair=pair,
        message=message,
        requested_by=actor,
        **_sides("requester", requester),
        **_sides("recipient", recipient),
    )
    try:
        with transaction.atomic(), set_actor(actor):
            meeting.full_clean()
            meeting.save()
            enqueue(notify_meeting, args=[meeting.pk, "requested"])
    except IntegrityError as exc:
        raise ValidationError(_("A meeting between these two was asked already.")) from exc
    return meeting


def _locked(meeting: Meeting, states) -> Meeting:
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.state not in states:
        raise ValidationError(
            _("This meeting request is %(state)s already.")
            % {"state": current.get_state_display().lower()}
        )
    return current


def _answer(actor, meeting: Meeting, state: str) -> Meeting:
    require(can_answer_meeting(actor, meeting))
    _not_cancelled(meeting.mission)
    with transaction.atomic(), set_actor(actor):
        current = _locked(meeting, [Meeting.State.REQUESTED])
        if state == Meeting.State.ACCEPTED:
            for party in current.parties():
                _party_of(meeting.mission, party)
        current.state, current.answered_by = state, actor
        current.answered_at = timezone.now()
        current.save(update_fields=["state", "answered_by", "answered_at", "updated_at"])
        enqueue(notify_meeting, args=[current.pk, state])
    return current


def meeting_accept(*, actor, meeting: Meeting) -> Meeting:
    """The other side (``can_answer_meeting``) accepts: the meeting waits for its slot."""
    return _answer(actor, meeting, Meeting.State.ACCEPTED)


def meeting_decline(*, actor, meeting: Meeting) -> Meeting:
    return _answer(actor, meeting, Meeting.State.DECLINED)


def meeting_withdraw(*, actor, meeting: Meeting) -> Meeting:
    """The side that asked withdraws its request, or an accepted meeting (its slot is freed)."""
    require(can_withdraw_meeting(actor, meeting))
    with transaction.atomic(), set_actor(actor):
        current = _locked(meeting, Meeting.LIVE)
        if current.took_place is not None:
            raise ValidationError(_("This meeting has its follow-up recorded: it stays."))
        current.state = Meeting.State.WITHDRAWN
        current.starts_at = current.ends_at = current.table = None
        current.save(update_fields=["state", "starts_at", "ends_at", "table", "updated_at"])
    return current


# --- after the meeting ----------------------------------------------------------------------------


def meeting_follow_up(*, actor, meeting: Meeting, **data) -> Meeting:
    """Either side records whether an accepted meeting took place and what came of it, once it
    is due (its slot has begun, or, unscheduled, the mission has)."""
    require(can_follow_up_meeting(actor, meeting))
    if meeting.state != Meeting.State.ACCEPTED:
        raise ValidationError(_("Only an accepted meeting can have taken place."))
    now = timezone.now()
    due = (
        meeting.starts_at <= now
        if meeting.starts_at
        else (meeting.mission.start_date <= timezone.localdate())
    )
    if not due:
        raise ValidationError(_("This meeting is still ahead: record how it went afterwards."))
    before_kind = meeting.follow_up
    apply_fields(meeting, data, FOLLOW_UP_FIELDS)
    if meeting.took_place is not True and (
        meeting.follow_up != Meeting.FollowUp.NONE or meeting.follow_up_note
    ):
        raise ValidationError(
            {"follow_up": _("A meeting that did not take place has no follow-up.")}
        )
    if meeting.follow_up != before_kind and Outcome.objects.filter(meeting=meeting).exists():
        raise ValidationError(
            {
                "follow_up": _(
                    "This follow-up is an outcome of the mission already: change the outcome "
                    "instead."
                )
            }
        )
    return save_audited(actor, meeting)


def meeting_outcome(*, actor, meeting: Meeting) -> tuple[Outcome, bool]:
    """Turn a follow-up of kind MoU, contract or project into one of the partnership's outcomes,
    linked to the meeting; asked again, the same outcome (``created`` False)."""
    require(can_turn_into_outcome(actor, meeting))
    mission = meeting.mission
    with transaction.atomic(), set_actor(actor):
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        existing = Outcome.objects.filter(meeting=current).first()
        if existing is not None:
            return existing, False
        if not current.took_place or current.follow_up not in Meeting.OUTCOME_KINDS:
            raise ValidationError(
                _("Only a meeting followed by an MoU, a contract or a project becomes an outcome.")
            )
        parties = [meeting.first, meeting.second]
        members = [p.member for p in parties if isinstance(p, Participation) and p.member]
        others = [p for p in parties if isinstance(p, LocalCounterpart)] or [meeting.second]
        other = others[0]
        if isinstance(other, Participation):
            country = (other.member or other.cluster).country
        else:
            country = other.country
        try:
            outcome = outcome_save(
                actor=actor,
                partnership=mission.partnership,
                meeting=current,
                members=members,
                mission=mission,
                kind=current.follow_up,
                counterpart=party_name(other)[:200],
                counterpart_country=country,
                date=timezone.localdate(),
                description=current.follow_up_note
                or _("Followed up from a B2B meeting at %(m)s.") % {"m": mission.title},
            )
        except ValidationError:
            again = Outcome.objects.filter(meeting=current).first()
            if again is None:
                raise
            return again, False
        except IntegrityError as exc:  # the same meeting, at the same moment
            raise ValidationError(saved_at_the_same_time()) from exc
    return outcome, True
