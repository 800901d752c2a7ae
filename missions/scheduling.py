"""Where B2B meetings go: the slots of a mission's days, and a placement of meetings into slots
and tables that books no party twice at once and no table twice. A pure calculation (no
database), used by the scheduling service and the benchmark (``scripts/bench_b2b.py``).

- ``slot_grid``: the meeting slots of the days, from the day's start to its end in the
  mission's time zone, back to back.
- ``place``: meetings already placed stay where they are and block the slots they overlap (for
  both their parties and their table); the others go, most constrained first (the meetings of
  the busiest parties), into the earliest slot where both parties are free, at the lowest free
  table; then each meeting left over takes a slot where a single meeting placed now blocks it
  (by a party, or by the last table), if that one can move to another free slot. The same
  input always gives the same placement.
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


# Where the tz database lists another zone first, the zone most people of the country live in.
MAIN_ZONES = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}


@cache
def _country_zones() -> dict[str, list[str]]:
    """The time zones of each country, from the tz database's ``zone.tab``."""
    zones: dict[str, list[str]] = {}
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
            zones.setdefault(parts[0], []).append(parts[2])
    return zones


def zone_for(country: str, name: str = "", city: str = "") -> ZoneInfo:
    """The zone named ``name``; else the country's zone named after ``city`` (Chicago, Vancouver),
    else the country's main zone; else UTC."""
    country = str(country)
    zones = _country_zones().get(country, [])
    place = city.strip().replace(" ", "_").lower()
    by_city = [z for z in zones if place and z.lower().endswith(f"/{place}")]
    main = MAIN_ZONES.get(country) or (zones[0] if zones else "")
    for candidate in (name, *by_city, main):
        if candidate and candidate in _zone_names():
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return UTC


def mission_zone(mission) -> ZoneInfo:
    return zone_for(mission.country, mission.meeting_time_zone, mission.city)


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
    # Per slot: who is busy (party -> the key of its meeting placed now, None for one placed
    # before, which stays) and the free tables, sorted (the lowest free table is the first).
    busy: list[dict] = [{} for _slot in slots]
    used: list[set] = [set() for _slot in slots]
    for placed in taken:
        for i in _overlapping(slots, starts, placed.start, placed.end):
            busy[i].update(dict.fromkeys(placed.parties))
            used[i].add(placed.table)
    free = [[t for t in range(1, tables + 1) if t not in used[i]] for i in range(len(slots))]

    degree = Counter(party for request in requests for party in request.parties)
    order = sorted(
        enumerate(requests),
        key=lambda item: (
            -max(degree[p] for p in item[1].parties),
            -sum(degree[p] for p in item[1].parties),
            item[0],
        ),
    )
    at: dict = {}  # key -> (slot index, table, parties)

    def put(key, parties, i):
        table = free[i].pop(0)
        for party in parties:
            busy[i][party] = key
        at[key] = (i, table, parties)

    def lift(key):
        i, table, parties = at.pop(key)
        for party in parties:
            del busy[i][party]
        bisect.insort(free[i], table)
        return i

    def first_free(parties, skip=None):
        for i in range(len(slots)):
            if i != skip and free[i] and not any(p in busy[i] for p in parties):
                return i
        return None

    unplaced = []
    for _position, request in order:
        i = first_free(request.parties)
        if i is None:
            unplaced.append(request)
        else:
            put(request.key, request.parties, i)

    # One repair move: a meeting that found no slot takes one where a single meeting placed now
    # blocks it, if that meeting can move to another free slot.
    still = []
    for request in unplaced:
        if not _repair(request, slots, busy, free, at, put, lift, first_free):
            still.append(request)

    plan = Plan(placed={}, unplaced=[request.key for request in still])
    for key, (i, table, parties) in sorted(at.items(), key=lambda item: (item[1][0], item[1][1])):
        plan.placed[key] = Placed(parties, slots[i].start, slots[i].end, table)
    return plan


# A slot whose tables are all taken offers this many of its meetings to move elsewhere (a bound
# on the work of the repair at a large mission).
MOVES_PER_FULL_SLOT = 2


def _repair(request, slots, busy, free, at, put, lift, first_free) -> bool:
    for i in range(len(slots)):
        blockers = {busy[i][p] for p in request.parties if p in busy[i]}
        if None in blockers or len(blockers) > 1:
            continue  # a meeting placed before, or two meetings, stand in the way
        if blockers:
            candidates = list(blockers)
        elif free[i]:
            continue
        else:  # both parties are free but every table is taken: move one of its meetings
            movable = dict.fromkeys(k for k in busy[i].values() if k is not None)
            candidates = list(movable)[:MOVES_PER_FULL_SLOT]
        for blocker in candidates:
            parties = at[blocker][2]
            lift(blocker)  # its table in slot i is free now
            target = first_free(parties, skip=i)
            if target is not None:
                put(blocker, parties, target)
                put(request.key, request.parties, i)
                return True
            put(blocker, parties, i)  # back where it was
    return False


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
