"""Scheduling B2B meetings: every accepted meeting gets a time within the mission's days and
hours and a table; nobody (participant or counterpart) and no table is booked twice at once;
meetings placed before stay where they are; those that cannot fit are reported."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from missions import scheduling
from missions.models import Meeting
from missions.services.scheduling import schedule_meetings
from tests import factories

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")


def _placements(mission):
    return [
        scheduling.Placed(m.party_keys(), m.starts_at, m.ends_at, m.table)
        for m in Meeting.objects.filter(mission=mission, starts_at__isnull=False)
    ]


# --- the calculation ------------------------------------------------------------------------------


def test_the_grid_covers_each_day_from_start_to_end_in_local_time():
    slots = scheduling.slot_grid(
        date(2026, 3, 9), date(2026, 3, 10), time(9), time(10, 45), 30, TORONTO
    )
    local = [(s.start.astimezone(TORONTO), s.end.astimezone(TORONTO)) for s in slots]
    assert [(a.strftime("%d %H:%M"), b.strftime("%H:%M")) for a, b in local] == [
        ("09 09:00", "09:30"),
        ("09 09:30", "10:00"),
        ("09 10:00", "10:30"),  # 10:30-11:00 would end after 10:45
        ("10 09:00", "09:30"),
        ("10 09:30", "10:00"),
        ("10 10:00", "10:30"),
    ]


def test_the_placement_books_nobody_twice_and_reports_what_does_not_fit():
    slots = scheduling.slot_grid(date(2026, 5, 4), date(2026, 5, 4), time(9), time(10), 30, TORONTO)
    requests = [
        scheduling.Request("ab", ("a", "b")),
        scheduling.Request("ac", ("a", "c")),
        scheduling.Request("ad", ("a", "d")),  # a has two slots only
        scheduling.Request("bc", ("b", "c")),
        scheduling.Request("de", ("d", "e")),
    ]
    plan = scheduling.place(requests, slots, tables=2)
    assert scheduling.double_bookings(plan.placed.values()) == []
    assert sorted([*plan.placed, *plan.unplaced]) == ["ab", "ac", "ad", "bc", "de"]
    assert len(plan.placed) >= 3 and "ad" in plan.unplaced  # a has two slots for three
    assert {p.table for p in plan.placed.values()} <= {1, 2}
    # The same input, the same placement.
    assert scheduling.place(requests, slots, tables=2) == plan


def test_one_move_makes_room_for_a_meeting_left_over():
    slots = scheduling.slot_grid(date(2026, 5, 4), date(2026, 5, 4), time(9), time(10), 30, TORONTO)
    # One table is left in each slot. a and b are busy in the second slot; c-d takes the first
    # slot's table, then moves to the second to make room for a-b.
    taken = [
        scheduling.Placed(("e", "f"), slots[0].start, slots[0].end, 2),
        scheduling.Placed(("g", "h"), slots[0].start, slots[0].end, 3),
        scheduling.Placed(("a", "x"), slots[1].start, slots[1].end, 2),
        scheduling.Placed(("b", "y"), slots[1].start, slots[1].end, 3),
    ]
    requests = [scheduling.Request("cd", ("c", "d")), scheduling.Request("ab", ("a", "b"))]
    plan = scheduling.place(requests, slots, tables=3, taken=taken)
    assert plan.unplaced == []
    assert plan.placed["ab"].start == slots[0].start
    assert plan.placed["cd"].start == slots[1].start
    assert scheduling.double_bookings([*taken, *plan.placed.values()]) == []


@pytest.mark.parametrize("seed", range(20))
def test_random_requests_are_never_double_booked(seed):
    import random

    rng = random.Random(seed)
    slots = scheduling.slot_grid(
        date(2026, 5, 4), date(2026, 5, 5), time(9), time(11), rng.choice([20, 30]), TORONTO
    )
    people = [f"p{i}" for i in range(rng.randint(4, 15))]
    pairs = {tuple(rng.sample(people, 2)) for _ in range(rng.randint(5, 60))}
    requests = [scheduling.Request(i, pair) for i, pair in enumerate(sorted(pairs))]
    plan = scheduling.place(requests, slots, tables=rng.randint(1, 4))
    assert scheduling.double_bookings(plan.placed.values()) == []
    assert sorted([*plan.placed, *plan.unplaced]) == list(range(len(requests)))


def test_tables_run_out_before_people_do():
    slots = scheduling.slot_grid(
        date(2026, 5, 4), date(2026, 5, 4), time(9), time(9, 30), 30, TORONTO
    )
    requests = [scheduling.Request(i, (f"x{i}", f"y{i}")) for i in range(3)]
    plan = scheduling.place(requests, slots, tables=2)
    assert sorted(p.table for p in plan.placed.values()) == [1, 2]
    assert plan.unplaced == [2]


def test_a_meeting_placed_before_blocks_its_parties_and_table():
    slots = scheduling.slot_grid(date(2026, 5, 4), date(2026, 5, 4), time(9), time(10), 30, TORONTO)
    taken = [scheduling.Placed(("a", "z"), slots[0].start, slots[0].end, 1)]
    plan = scheduling.place(
        [scheduling.Request("ab", ("a", "b")), scheduling.Request("cd", ("c", "d"))],
        slots,
        tables=1,
        taken=taken,
    )
    assert plan.placed["ab"].start == slots[1].start  # a is busy in the first slot
    assert plan.unplaced == ["cd"]  # the only table is taken in the first slot, then by a-b
    assert scheduling.double_bookings([*taken, *plan.placed.values()]) == []


def test_a_time_zone_comes_from_the_country_unless_given():
    assert scheduling.zone_for("CA").key == "America/Toronto"
    assert scheduling.zone_for("US", "America/Chicago").key == "America/Chicago"
    assert scheduling.zone_for("US", city="Chicago").key == "America/Chicago"
    assert scheduling.zone_for("US", city="Detroit").key == "America/Detroit"
    assert scheduling.zone_for("CN", city="Shenzhen").key == "Asia/Shanghai"
    assert scheduling.zone_for("ZZ").key == "UTC"
    with pytest.raises(ValidationError):
        scheduling.validate_time_zone("Mars/Olympus")


# --- the service ----------------------------------------------------------------------------------


def test_accepted_meetings_are_placed_within_the_days_and_hours(world, b2b):
    accepted = [
        factories.meeting(b2b.alder, b2b.cedar, state="accepted"),
        factories.meeting(b2b.alder, b2b.maple, state="accepted"),
        factories.meeting(b2b.aspen, b2b.maple, state="accepted"),
        factories.meeting(b2b.aspen, b2b.cedar, state="accepted"),
    ]
    asked = factories.meeting(b2b.cedar, b2b.maple)  # not accepted: not placed
    report = schedule_meetings(actor=world.coord_a, mission=b2b.mission)
    assert {m.pk for m in report.placed} == {m.pk for m in accepted}
    assert report.unplaced == []
    placed = Meeting.objects.filter(starts_at__isnull=False)
    assert set(placed.values_list("pk", flat=True)) == {m.pk for m in accepted}
    for meeting in placed:
        local = meeting.starts_at.astimezone(TORONTO)
        assert b2b.mission.start_date <= local.date() <= b2b.mission.end_date
        assert time(9) <= local.time() and (meeting.ends_at.astimezone(TORONTO).time() <= time(12))
        assert meeting.ends_at - meeting.starts_at == timedelta(minutes=30)
        assert meeting.table in (1, 2)
    assert scheduling.double_bookings(_placements(b2b.mission)) == []
    asked.refresh_from_db()
    assert asked.starts_at is None


def test_running_again_keeps_the_placements_and_places_the_new_ones(world, b2b):
    first = factories.meeting(b2b.alder, b2b.cedar, state="accepted")
    schedule_meetings(actor=world.coord_a, mission=b2b.mission)
    first.refresh_from_db()
    kept = (first.starts_at, first.table)
    second = factories.meeting(b2b.alder, b2b.maple, state="accepted")
    report = schedule_meetings(actor=world.coord_a, mission=b2b.mission)
    assert report.kept == 1 and [m.pk for m in report.placed] == [second.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.starts_at, first.table) == kept
    assert second.starts_at != first.starts_at  # Alder cannot be at two tables at once
    assert schedule_meetings(actor=world.coord_a, mission=b2b.mission).placed == []


def test_meetings_that_do_not_fit_are_reported(client, world, b2b):
    # One day of one slot at one table: two meetings for one place.
    b2b.mission.end_date = b2b.mission.start_date
    b2b.mission.meeting_day_end = time(9, 30)
    b2b.mission.meeting_tables = 1
    b2b.mission.save()
    factories.meeting(b2b.alder, b2b.cedar, state="accepted")
    factories.meeting(b2b.aspen, b2b.maple, state="accepted")
    client.force_login(world.coord_a)
    response = client.post(
        reverse("missions:meetings_schedule", args=[b2b.mission.pk]), follow=True
    )
    text = response.content.decode()
    assert "1 meetings placed" in text
    assert "1 accepted meetings found no free time" in text
    api = client.post(f"/api/v1/missions/{b2b.mission.pk}/schedule-meetings/").json()
    assert api["placed"] == [] and len(api["unplaced"]) == 1 and api["kept"] == 1


def test_a_participant_that_no_longer_holds_a_place_is_not_scheduled(world, b2b):
    meeting = factories.meeting(b2b.alder, b2b.cedar, state="accepted")
    b2b.cedar.status = "cancelled"
    b2b.cedar.save()
    report = schedule_meetings(actor=world.coord_a, mission=b2b.mission)
    assert [m.pk for m in report.unplaced] == [meeting.pk]


def test_the_database_refuses_two_meetings_at_one_table_at_one_time(b2b):
    start = datetime(2026, 5, 4, 13, tzinfo=ZoneInfo("UTC"))
    factories.meeting(
        b2b.alder,
        b2b.cedar,
        state="accepted",
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        table=1,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.meeting(
            b2b.aspen,
            b2b.maple,
            state="accepted",
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            table=1,
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # only accepted meetings have a slot
        factories.meeting(
            b2b.aspen,
            b2b.cedar,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            table=2,
        )


def test_a_withdrawn_meeting_frees_its_slot(world, b2b):
    meeting = factories.meeting(b2b.alder, b2b.cedar, state="accepted")
    schedule_meetings(actor=world.coord_a, mission=b2b.mission)
    from missions.services.meetings import meeting_withdraw

    meeting.refresh_from_db()
    meeting_withdraw(actor=world.manager_a, meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.starts_at, meeting.table) == ("withdrawn", None, None)


def test_a_cancelled_mission_is_not_scheduled(world, b2b):
    b2b.mission.status = "cancelled"
    b2b.mission.save()
    with pytest.raises(ValidationError):
        schedule_meetings(actor=world.coord_a, mission=b2b.mission)


def test_the_schedule_is_in_the_audit_trail(world, b2b):
    from auditlog.models import LogEntry

    meeting = factories.meeting(b2b.alder, b2b.cedar, state="accepted")
    schedule_meetings(actor=world.coord_a, mission=b2b.mission)
    entry = LogEntry.objects.get_for_object(meeting).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == world.coord_a and "table" in entry.changes_dict
