"""A participant's agenda after scheduling: the page, the PDF and the .ics show each meeting with
its local time and table and the other side; the JSON of the API too; the participants' managers
are told by email, each in their language, once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from missions.models import MeetingNotice
from missions.services.meeting_emails import notify_meetings_scheduled
from missions.services.scheduling import schedule_meetings
from tests import factories

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def scheduled(world, b2b, django_capture_on_commit_callbacks):
    with_cedar = factories.meeting(b2b.alder, b2b.cedar, state="accepted", message="Trays?")
    with_maple = factories.meeting(b2b.maple, b2b.alder, state="accepted")
    factories.meeting(b2b.aspen, b2b.cedar, state="accepted")
    factories.meeting(b2b.alder, b2b.aspen, state="declined")  # not on the agenda
    b2b.mission.meeting_venue = "Hall Ł, Metro Centre"
    b2b.mission.save()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_meetings(actor=world.coord_a, mission=b2b.mission)
    with_cedar.refresh_from_db()
    with_maple.refresh_from_db()
    return with_cedar, with_maple


def _local(meeting):
    return meeting.starts_at.astimezone(TORONTO)


def test_the_agenda_page_shows_each_meeting_with_its_time_and_table(client, world, b2b, scheduled):
    with_cedar, with_maple = scheduled
    client.force_login(world.manager_a)
    body = client.get(reverse("missions:agenda", args=[b2b.alder.pk])).content.decode()
    for meeting, other in ((with_cedar, "Cedar SAS"), (with_maple, "Maple Foods")):
        assert f"{_local(meeting):%H:%M}" in body
        assert f"Table {meeting.table}" in body
        assert other in body
    assert "Trays?" in body and "America/Toronto" in body
    assert "→" not in body  # the other side by its name, not as a registration
    assert "Aspen KG" not in body  # declined: not on the agenda
    assert "Company, Canada" in body  # what the counterpart is


def test_the_agenda_pdf_holds_the_meetings_in_dejavu_sans(client, world, b2b, scheduled):
    from missions import exports, selectors

    with_cedar, with_maple = scheduled
    client.force_login(world.coord_a)
    response = client.get(reverse("missions:agenda_pdf", args=[b2b.alder.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf and b"Helvetica" not in pdf
    meetings = selectors.agenda(b2b.alder)
    for meeting in meetings:
        meeting.other = meeting.other_party(b2b.alder)
    rows = {row[3]: row for row in exports.agenda_rows(b2b.alder, meetings)}
    cedar = rows["Cedar SAS"]
    assert cedar[1].startswith(f"{_local(with_cedar):%H:%M}") and cedar[2] == str(with_cedar.table)
    assert cedar[4] == "Trays?"
    assert rows["Maple Foods (Company, Canada)"][2] == str(with_maple.table)


def test_the_agenda_ics_has_one_event_per_scheduled_meeting(client, world, b2b, scheduled):
    with_cedar, with_maple = scheduled
    client.force_login(world.manager_a)
    response = client.get(reverse("missions:agenda_ics", args=[b2b.alder.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    starts = {event.decoded("dtstart"): str(event["summary"]) for event in events}
    assert starts == {
        with_cedar.starts_at: f"B2B meeting with Cedar SAS (table {with_cedar.table})",
        with_maple.starts_at: f"B2B meeting with Maple Foods (table {with_maple.table})",
    }
    for event in events:
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=30)
        assert "Hall Ł" in str(event["location"])


def test_the_agenda_api_gives_local_and_universal_times(client, world, b2b, scheduled):
    with_cedar, _with_maple = scheduled
    client.force_login(world.manager_a)
    body = client.get(f"/api/v1/participations/{b2b.alder.pk}/agenda/").json()
    assert body["time_zone"] == "America/Toronto"
    first = next(row for row in body["meetings"] if row["id"] == with_cedar.pk)
    assert first["with_name"] == "Cedar SAS" and first["with_participation"] == b2b.cedar.pk
    assert first["table"] == with_cedar.table
    assert datetime.fromisoformat(first["local_start"]) == with_cedar.starts_at
    assert first["local_start"].endswith(("-04:00", "-05:00"))


def test_the_managers_are_told_once_each_in_their_language(world, b2b, scheduled):
    # manager_a (Alder, Aspen) and manager_a2 (Cedar) each got one email listing their meetings.
    scheduled_mail = [m for m in mail.outbox if "scheduled" in m.subject]
    assert sorted(m.to[0] for m in scheduled_mail) == [
        "manager-a2@example.org",
        "manager-a@example.org",
    ]
    alder_side = next(m for m in scheduled_mail if m.to == ["manager-a@example.org"])
    assert "Alder GmbH" in alder_side.body and "Aspen KG" in alder_side.body
    assert f"/participations/{b2b.alder.pk}/agenda/" in alder_side.body
    assert notify_meetings_scheduled(b2b.mission.pk) == 0  # nothing twice
    assert MeetingNotice.objects.filter(kind="scheduled").count() == 5  # 3 meetings, 5 sides

    # A meeting placed later is told on its own, in the recipient's language.
    b2b.manager_a2.language = "fr"
    b2b.manager_a2.save()
    late = factories.meeting(b2b.cedar, b2b.maple, state="accepted")
    schedule_meetings(actor=world.coord_a, mission=b2b.mission)
    mail.outbox.clear()
    assert notify_meetings_scheduled(b2b.mission.pk) == 1
    (message,) = mail.outbox
    assert message.to == ["manager-a2@example.org"]
    assert "Maple Foods" in message.body and "Alder" not in message.body
    assert "planifiés" in message.subject, message.subject
    late.refresh_from_db()
    assert late.starts_at is not None
