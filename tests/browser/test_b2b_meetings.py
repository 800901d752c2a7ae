"""B2B meetings in a browser: a cluster manager asks for a meeting for their participant, the
other participant's manager accepts it, the organiser schedules the accepted meetings, and the
first participant's agenda shows the meeting with its time and table."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from escp_portal.accounts.models import Role
from missions.models import Meeting
from tests import factories
from tests.browser.test_partner_consent import log_in
from tests.factories import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_requested_meeting_is_accepted_scheduled_and_on_the_agenda(page, live_server):
    world = make_world()
    factories.user("manager-a2@example.org", role=Role.CLUSTER_MANAGER, scope=world.cluster_a2)
    start = timezone.localdate() + timedelta(days=40)
    mission = factories.mission(
        world.a,
        "Packaging buyers in Toronto",
        start=start,
        days=1,
        city="Toronto",
        meeting_day_start=time(9),
        meeting_day_end=time(12),
        meeting_minutes=30,
        meeting_tables=4,
    )
    factories.participation(
        mission, factories.member(world.cluster_a, "Alder Sensors", employees=20)
    )
    factories.participation(
        mission, factories.member(world.cluster_a2, "Cedar Trays", employees=40, country="FR")
    )
    base = live_server.url
    meetings_page = f"{base}/missions/{mission.pk}/meetings/"

    # Alpha Cluster's manager asks for a meeting for Alder Sensors.
    log_in(page, base, world.manager_a.email)
    page.goto(f"{base}/missions/{mission.pk}/")
    page.get_by_role("link", name="B2B meetings").click()
    page.get_by_label("For", exact=True).select_option(label="Alder Sensors")
    page.get_by_label("Meet", exact=True).select_option(label="Cedar Trays")
    page.get_by_label("Message", exact=True).fill("Sensors inside your trays?")
    page.get_by_role("button", name="Request the meeting").click()
    expect(page.get_by_role("status").first).to_contain_text("The meeting is requested")
    expect(page.get_by_role("cell", name="Sensors inside your trays?")).to_be_visible()

    # Alpha Two's manager accepts it for Cedar Trays.
    log_in(page, base, "manager-a2@example.org")
    page.goto(meetings_page)
    page.get_by_role("button", name="Accept Alder Sensors meets Cedar Trays").click()
    expect(page.get_by_role("status").first).to_contain_text("The meeting is accepted")

    # The organiser (A's coordinator) schedules the accepted meetings.
    log_in(page, base, world.coord_a.email)
    page.goto(meetings_page)
    page.get_by_role("button", name="Schedule the accepted meetings").click()
    expect(page.get_by_role("status").first).to_contain_text("1 meetings placed")

    meeting = Meeting.objects.get()
    local = meeting.starts_at.astimezone(ZoneInfo("America/Toronto"))
    assert meeting.state == "accepted" and meeting.table == 1

    # Alder Sensors' agenda shows the meeting, its local time and its table.
    log_in(page, base, world.manager_a.email)
    page.goto(meetings_page)
    page.get_by_role("link", name="Agenda Alder Sensors").click()
    expect(page.get_by_role("heading", name="B2B agenda of Alder Sensors")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Cedar Trays")
    expect(row).to_contain_text(f"{local:%H:%M}")
    expect(row).to_contain_text("Table 1")
    expect(row).to_contain_text("Sensors inside your trays?")
    expect(row.get_by_role("cell", name="Cedar Trays", exact=True)).to_be_visible()
