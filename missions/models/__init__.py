"""What partnerships do together, by subdomain: ``missions`` (missions and events, who takes
part, what came of them, export groups, reminders sent) and ``meetings`` (B2B meetings at a
mission: offers and seeks, local counterparts, requests, slots and follow-up)."""

from .meetings import (
    LocalCounterpart,
    Meeting,
    MeetingNotice,
    MeetingProfile,
    pair_of,
    party_key,
    party_name,
)
from .missions import (
    MEETING_MINUTES,
    MEETING_TABLES_MAX,
    ExportGroup,
    Mission,
    Outcome,
    Participation,
    ReminderLog,
)

__all__ = [
    "MEETING_MINUTES",
    "MEETING_TABLES_MAX",
    "ExportGroup",
    "LocalCounterpart",
    "Meeting",
    "MeetingNotice",
    "MeetingProfile",
    "Mission",
    "Outcome",
    "Participation",
    "ReminderLog",
    "pair_of",
    "party_key",
    "party_name",
]
