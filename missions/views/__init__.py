"""Pages of missions, by subdomain: ``missions`` (the calendar, a mission with its
registrations, outcomes, export groups, calendar feeds), ``meetings`` (a mission's B2B
meetings and the forms around them) and ``agenda`` (actions on a meeting, each participant's
agenda)."""

from .agenda import (
    AgendaIcsView,
    AgendaPdfView,
    AgendaView,
    MeetingActionView,
    MeetingOutcomeView,
)
from .meetings import (
    CounterpartView,
    FollowUpView,
    MeetingProfileView,
    MeetingScheduleView,
    MeetingSettingsView,
    MeetingsView,
)
from .missions import (
    ExportGroupListView,
    FeedView,
    MissionCalendarView,
    MissionDetailView,
    MissionFormView,
    MissionIcsView,
    OutcomeListView,
    OverlapView,
    ParticipationActionView,
)

__all__ = [
    "AgendaIcsView",
    "AgendaPdfView",
    "AgendaView",
    "CounterpartView",
    "ExportGroupListView",
    "FeedView",
    "FollowUpView",
    "MeetingActionView",
    "MeetingOutcomeView",
    "MeetingProfileView",
    "MeetingScheduleView",
    "MeetingSettingsView",
    "MeetingsView",
    "MissionCalendarView",
    "MissionDetailView",
    "MissionFormView",
    "MissionIcsView",
    "OutcomeListView",
    "OverlapView",
    "ParticipationActionView",
]
