"""The missions API, by subdomain: ``missions`` (missions, registrations with each participant's
B2B agenda, outcomes, export groups, the schedule run) and ``meetings`` (offers and seeks, local
counterparts, B2B meetings)."""

from .meetings import LocalCounterpartViewSet, MeetingProfileViewSet, MeetingViewSet
from .missions import (
    ExportGroupViewSet,
    MissionViewSet,
    OutcomeViewSet,
    ParticipationViewSet,
)

__all__ = [
    "ExportGroupViewSet",
    "LocalCounterpartViewSet",
    "MeetingProfileViewSet",
    "MeetingViewSet",
    "MissionViewSet",
    "OutcomeViewSet",
    "ParticipationViewSet",
]
