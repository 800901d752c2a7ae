"""Reads of missions: calendars and the overlaps between partnerships."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from .models import Mission, Participation

OVERLAP_DAYS = 21


def month_grid(year: int, month: int, missions) -> list[list[tuple[date, list]]]:
    """Weeks (Monday first) of (day, missions on that day) covering the month."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    missions = [m for m in missions if m.start_date <= last and m.end_date >= first]
    return [
        [(day, [m for m in missions if m.start_date <= day <= m.end_date]) for day in week]
        for week in weeks
    ]


@dataclass
class Overlap:
    first: Mission
    second: Mission

    @property
    def days_apart(self) -> int:
        if self.first.end_date >= self.second.start_date and (
            self.second.end_date >= self.first.start_date
        ):
            return 0
        return min(
            abs((self.second.start_date - self.first.end_date).days),
            abs((self.first.start_date - self.second.end_date).days),
        )


def overlaps(missions_qs, *, days: int = OVERLAP_DAYS) -> list[Overlap]:
    """Pairs of missions of different partnerships to the same country whose dates lie within
    ``days`` of each other: candidates to travel together."""
    window = timedelta(days=days)
    missions = missions_qs.exclude(status=Mission.Status.CANCELLED)
    # One query, ordered by country and date; pairs are found in a single pass per country.
    rows = list(missions.select_related("partnership").order_by("country", "start_date"))
    result = []
    by_country: dict[str, list[Mission]] = {}
    for mission in rows:
        by_country.setdefault(str(mission.country), []).append(mission)
    for group in by_country.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if second.start_date - first.end_date > window:
                    break
                if second.partnership_id != first.partnership_id:
                    result.append(Overlap(first, second))
    return result


def places(missions):
    """Missions annotated with the places taken and the waiting list."""
    return missions.annotate(
        taken=Count(
            "participations", filter=Q(participations__status__in=Participation.HOLDS_A_PLACE)
        ),
        waiting=Count(
            "participations", filter=Q(participations__status=Participation.Status.WAITING)
        ),
    )
