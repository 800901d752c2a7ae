import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from partnerships.models import Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-demo-pass"


def test_the_scoreboard_and_the_statistics_draw_their_charts_and_tables(page, live_server):
    call_command("load_demo", "--password", PASSWORD, stdout=io.StringIO())
    adpack2 = Partnership.objects.get(acronym="AdPack2")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("officer@demo.escp.eu")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/partnerships/{adpack2.pk}/scoreboard/")
    expect(page.get_by_role("table", name="KPIs with their status")).to_be_visible()
    expect(page.get_by_role("table", name="KPIs per status, by day")).to_be_visible()
    chart = page.get_by_role("img", name="Number of KPIs per status over time")
    expect(chart).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector("
        "'canvas[data-chart]')) !== undefined"
    )
    statuses = page.locator("td[class^='status-']")
    assert statuses.count() == 5  # four KPIs of its strategy and "B2B meetings held"

    page.goto(f"{live_server.url}/statistics/?programme=ESCP-4i&generation=2")
    for name in ("Partnerships targeting each country", "Cluster organisations per country"):
        expect(page.get_by_role("table", name=name)).to_be_visible()
    page.wait_for_function(
        "() => document.querySelectorAll('canvas[data-chart]').length == 2 "
        "&& [...document.querySelectorAll('canvas[data-chart]')]"
        ".every(c => Chart.getChart(c))"
    )
    box = page.locator("canvas[data-chart]").first.bounding_box()
    assert box["width"] > 100 and box["height"] > 50
    # Countries by name (not by code), as row headers.
    expect(
        page.get_by_role("rowheader", name="United States of America", exact=True).first
    ).to_be_visible()
