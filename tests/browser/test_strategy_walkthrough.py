import pytest
from playwright.sync_api import expect

from strategy.models import KPI, Measurement, Strategy
from tests.factories import PASSWORD, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_goes_from_a_new_objective_to_an_approved_value(page, live_server):
    world = make_world()
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(world.coord_a.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{base}/partnerships/{world.a.pk}/strategy/")
    page.get_by_role("button", name="Start the strategy").click()
    page.get_by_role("link", name="Add an objective").click()
    page.get_by_label("Objective", exact=True).fill(
        "Bring 30 SMEs of the partner clusters into talks with buyers in Japan by 2027."
    )
    page.get_by_label("Owner (partner)").select_option(label="Alpha Two")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Add a KPI.")).to_be_visible()  # the SMART check speaks

    page.get_by_role("link", name="Add a KPI").click()
    page.get_by_label("Name").fill("SMEs in talks in Japan")
    page.get_by_label("Unit").fill("SMEs")
    page.get_by_label("Target", exact=True).fill("30")
    page.get_by_label("Baseline date").fill("2024-01-01")
    page.get_by_label("Responsible partner").select_option(label="Alpha Two")
    page.get_by_role("button", name="Save").click()

    page.get_by_label("Period").select_option("2025-06-30")
    page.get_by_label("Value", exact=True).fill("4")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("status").first).to_contain_text("submitted for approval")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status").first).to_contain_text("The value was approved.")

    kpi = KPI.objects.get(name="SMEs in talks in Japan")
    assert Measurement.objects.get(kpi=kpi).status == "approved"
    assert Strategy.objects.get(partnership=world.a).status == "draft"
    current = page.locator("dt", has_text="Current value").locator("xpath=following-sibling::dd[1]")
    expect(current).to_have_text("4")
