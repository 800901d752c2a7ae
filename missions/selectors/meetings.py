"""Reads of a mission's B2B meetings: its page (participants with their offers and seeks, local
counterparts, the meetings the user sees, figures) and a participant's agenda. Through the
access policy and ``missions.rules``; nothing here writes."""

from django.db.models import Count, F, Prefetch, Q

from escp_portal.accounts.policy import with_insider
from escp_portal.rows import per_row

from ..models import LocalCounterpart, Meeting, MeetingProfile, Mission, Participation

PARTIES = (
    "requester__member",
    "requester__cluster",
    "recipient__member",
    "recipient__cluster",
    "requester_counterpart",
    "recipient_counterpart",
)
STATES = [state for state, _label in Meeting.State.choices]


def _figures():
    def count(meetings):
        return per_row(meetings, Count("pk"), by="mission")

    meetings = Meeting.objects.all()
    return {
        **{f"meetings_{state}": count(meetings.filter(state=state)) for state in STATES},
        "meetings_scheduled": count(meetings.filter(starts_at__isnull=False)),
        "meetings_held": count(meetings.filter(took_place=True)),
    }


def missions_with_meeting_figures(user):
    """The missions the user sees, with ``INSIDER`` and how many of their meetings are in each
    state, scheduled and held (the figures every reader of the B2B page gets)."""
    missions = Mission.objects.visible_to(user).select_related("partnership", "organiser__cluster")
    return with_insider(missions, user, "partnership_id").annotate(**_figures())


def figures_of(mission) -> dict:
    """The figures annotated by ``missions_with_meeting_figures``, by name."""
    names = [*STATES, "scheduled", "held"]
    return {name: getattr(mission, f"meetings_{name}", 0) for name in names}


def participants(mission) -> list[Participation]:
    """Who may meet at the mission (holding a place), with their offers and seeks; each row's
    ``mission`` is the one given, so that the rules asked of it read no more."""
    rows = list(
        mission.participations.filter(status__in=Participation.HOLDS_A_PLACE)
        .select_related("member", "cluster", "meeting_profile")
        .prefetch_related(
            Prefetch(
                "meeting_profile__competences",
                to_attr="competence_list",
            )
        )
        .order_by("member__name", "cluster__name", "pk")
    )
    for row in rows:
        row.mission = mission
    return rows


def profile_of(participation):
    try:
        return participation.meeting_profile
    except MeetingProfile.DoesNotExist:
        return None


def counterparts(mission) -> list[LocalCounterpart]:
    rows = list(mission.counterparts.order_by("name", "pk"))
    for row in rows:
        row.mission = mission
    return rows


def meetings_seen(user, mission) -> list[Meeting]:
    """The mission's meetings the user sees (all of them for the organiser's side, those of
    their own cluster's participants for a manager), in time order, unscheduled last."""
    rows = list(
        Meeting.objects.visible_to(user)
        .filter(mission=mission)
        .select_related(*PARTIES)
        .order_by(F("starts_at").asc(nulls_last=True), "table", "pk")
    )
    for row in rows:
        _attach(row, mission)
    return rows


def _attach(meeting, mission) -> None:
    meeting.mission = mission
    for party in meeting.parties():
        party.mission = mission


def agenda(participation) -> list[Meeting]:
    """A participant's accepted meetings, in time order (unscheduled ones last)."""
    mission = participation.mission
    rows = list(
        Meeting.objects.filter(
            Q(requester=participation) | Q(recipient=participation),
            state=Meeting.State.ACCEPTED,
        )
        .select_related(*PARTIES)
        .order_by(F("starts_at").asc(nulls_last=True), "table", "pk")
    )
    for row in rows:
        _attach(row, mission)
    return rows


def participation_for_agenda(user, pk):
    """A participation the user sees, with its mission, member and cluster (or None)."""
    return (
        Participation.objects.visible_to(user)
        .select_related("mission__partnership", "member", "cluster")
        .filter(pk=pk)
        .first()
    )


def meeting_for_page(user, pk):
    """A meeting the user sees, with its mission and parties (or None)."""
    meeting = (
        Meeting.objects.visible_to(user)
        .select_related("mission__partnership", *PARTIES)
        .filter(pk=pk)
        .first()
    )
    if meeting is not None:
        _attach(meeting, meeting.mission)
    return meeting
