import pytest
from playwright.sync_api import expect

from missions.models import Participation
from tests import factories
from tests.factories import PASSWORD, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_registers_a_member_and_sees_the_mission_in_the_calendar(page, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from missions.models import Mission

    world = make_world()
    member = factories.member(world.cluster_a, "Nordlicht Sensors", employees=20)
    start = timezone.localdate() + timedelta(days=40)
    mission = Mission.objects.create(
        partnership=world.a,
        title="Sensors to Montreal",
        country="CA",
        city="Montreal",
        start_date=start,
        end_date=start + timedelta(days=3),
        capacity=10,
        registration_deadline=start - timedelta(days=5),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(world.manager_a.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/missions/{mission.pk}/")
    page.get_by_label("Member").select_option(label="Nordlicht Sensors")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Nordlicht Sensors is registered.")
    expect(page.get_by_role("cell", name="Nordlicht Sensors", exact=True)).to_be_visible()
    assert Participation.objects.get().member == member

    page.get_by_role("link", name="Missions", exact=True).first.click()
    for _ in range(3):  # page forward to the mission's month
        if page.get_by_role("heading", name=f"{start:%B %Y}").count():
            break
        page.locator("a[rel=next]").click()
    expect(page.get_by_role("heading", name=f"{start:%B %Y}")).to_be_visible()
    calendar = page.get_by_role("table").first
    expect(calendar.get_by_role("link", name="CA · Sensors to Montreal").first).to_be_visible()
