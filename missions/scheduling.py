"""Where B2B meetings go: the slots of a mission's days, and a placement of meetings into slots
and tables that books no party twice at once and no table twice. A pure calculation (no
database), used by the scheduling service and the benchmark (``scripts/bench_b2b.py``).

- ``slot_grid``: the meeting slots of the days, from the day's start to its end in the
  mission's time zone, back to back.
- ``place``: meetings already placed stay where they are and block the slots they overlap (for
  both their parties and their table); the others go, most constrained first (the meetings of
  the busiest parties), into the earliest slot where both parties are free, at the lowest free
  table. The same input always gives the same placement.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UTC = ZoneInfo("UTC")


# --- time zones -----------------------------------------------------------------------------------


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_time_zone(value: str) -> None:
    if value and value not in _zone_names():
        raise ValidationError(
            _("Enter a time zone name such as Europe/Brussels or America/Toronto."),
            code="time_zone",
        )


@cache
def _country_zones() -> dict[str, str]:
    """The first (main) time zone of each country, from the tz database's ``zone.tab``."""
    zones: dict[str, str] = {}
    try:
        from importlib.resources import files

        text = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return zones
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            zones.setdefault(parts[0], parts[2])
    return zones


def zone_for(country: str, name: str = "") -> ZoneInfo:
    """The zone named ``name``, or else the main zone of ``country`` (else UTC)."""
    for candidate in (name, _country_zones().get(str(country), "")):
        if candidate and candidate in _zone_names():
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return UTC


def mission_zone(mission) -> ZoneInfo:
    return zone_for(mission.country, mission.meeting_time_zone)


# --- slots ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def slot_grid(
    first_day: date, last_day: date, day_start: time, day_end: time, minutes: int, zone
) -> list[Slot]:
    """The slots of every day from ``first_day`` to ``last_day``, in time order (aware
    datetimes in UTC)."""
    slots = []
    length = timedelta(minutes=minutes)
    day = first_day
    while day <= last_day:
        start = datetime.combine(day, day_start, tzinfo=zone)
        close = datetime.combine(day, day_end, tzinfo=zone)
        while start + length <= close:
            slots.append(Slot(start.astimezone(UTC), (start + length).astimezone(UTC)))
            start += length
        day += timedelta(days=1)
    return slots


def mission_slots(mission) -> list[Slot]:
    return slot_grid(
        mission.start_date,
        mission.end_date,
        mission.meeting_day_start,
        mission.meeting_day_end,
        mission.meeting_minutes,
        mission_zone(mission),
    )


# --- placement ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """A meeting to place: its key and its two parties (any hashable ids)."""

    key: Hashable
    parties: tuple[Hashable, Hashable]


@dataclass(frozen=True)
class Placed:
    """A meeting already placed (or placed now): its parties, time and table."""

    parties: tuple[Hashable, Hashable]
    start: datetime
    end: datetime
    table: int


@dataclass
class Plan:
    placed: dict  # key -> Placed
    unplaced: list  # keys, in the order they were tried


def _overlapping(slots: list[Slot], starts: list[datetime], start: datetime, end: datetime):
    """Indexes of the slots that overlap [start, end)."""
    i = max(bisect.bisect_right(starts, start) - 1, 0)
    while i < len(slots) and slots[i].start < end:
        if slots[i].end > start:
            yield i
        i += 1


def place(
    requests: Iterable[Request], slots: list[Slot], tables: int, taken: Iterable[Placed] = ()
) -> Plan:
    requests = list(requests)
    starts = [slot.start for slot in slots]
    busy: list[set] = [set() for _slot in slots]
    used: list[set] = [set() for _slot in slots]
    for placed in taken:
        for i in _overlapping(slots, starts, placed.start, placed.end):
            busy[i].update(placed.parties)
            used[i].add(placed.table)
    # Free tables per slot, as sorted lists: the lowest free table is the first.
    free = [[t for t in range(1, tables + 1) if t not in used[i]] for i in range(len(slots))]
    open_slots = [i for i in range(len(slots)) if free[i]]

    degree = Counter(party for request in requests for party in request.parties)
    order = sorted(
        enumerate(requests),
        key=lambda item: (
            -max(degree[p] for p in item[1].parties),
            -sum(degree[p] for p in item[1].parties),
            item[0],
        ),
    )
    plan = Plan(placed={}, unplaced=[])
    for _position, request in order:
        first, second = request.parties
        chosen = None
        for index, i in enumerate(open_slots):
            if first in busy[i] or second in busy[i]:
                continue
            chosen = i
            table = free[i].pop(0)
            if not free[i]:
                del open_slots[index]
            break
        if chosen is None:
            plan.unplaced.append(request.key)
            continue
        busy[chosen].update(request.parties)
        slot = slots[chosen]
        plan.placed[request.key] = Placed(request.parties, slot.start, slot.end, table)
    return plan


def double_bookings(placements: Iterable[Placed]) -> list[tuple[Placed, Placed]]:
    """Pairs of placements that overlap in time and share a party or a table (none, when the
    placement is right): a check for tests and the benchmark."""
    items = sorted(placements, key=lambda p: (p.start, p.end))
    clashes = []
    active: list[Placed] = []
    for item in items:
        active = [a for a in active if a.end > item.start]
        for other in active:
            if other.table == item.table or set(other.parties) & set(item.parties):
                clashes.append((other, item))
        active.append(item)
    return clashes
