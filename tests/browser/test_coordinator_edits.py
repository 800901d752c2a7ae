import io
import json
import urllib.request

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from playwright.sync_api import expect

from partnerships.models import Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-demo-pass"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--password", PASSWORD, stdout=io.StringIO())


def log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Partnerships you coordinate")).to_be_visible()


def test_coordinator_edits_partnership_and_it_shows_in_api_and_audit_trail(page, live_server, demo):
    adpack2 = Partnership.objects.get(acronym="AdPack2")
    log_in(page, live_server.url, "coordinator@demo.escp.eu")

    page.get_by_role("link", name="AdPack2", exact=True).click()
    page.get_by_role("link", name="Edit partnership").click()
    page.get_by_label("Website").fill("https://adpack2.example.eu")
    page.get_by_label("Objectives").fill("Bring smart packaging SMEs to North American buyers.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("The partnership was saved.")
    expect(page.get_by_text("Bring smart packaging SMEs to North American buyers.")).to_be_visible()

    with urllib.request.urlopen(f"{live_server.url}/api/v1/partnerships/{adpack2.pk}/") as reply:
        data = json.load(reply)
    assert data["website"] == "https://adpack2.example.eu"
    assert data["objectives"] == "Bring smart packaging SMEs to North American buyers."

    entry = LogEntry.objects.get_for_object(adpack2).latest("timestamp")
    assert entry.actor.email == "coordinator@demo.escp.eu"
    assert entry.changes_dict["website"][1] == "https://adpack2.example.eu"

    page.get_by_role("link", name="History of changes").click()
    history = page.get_by_role("table")
    expect(history).to_contain_text("https://adpack2.example.eu")
    expect(history).to_contain_text("Demo Coordinator")


def test_bad_dates_are_explained_next_to_the_form_and_nothing_is_saved(page, live_server, demo):
    adpack2 = Partnership.objects.get(acronym="AdPack2")
    log_in(page, live_server.url, "coordinator@demo.escp.eu")
    page.goto(f"{live_server.url}/partnerships/{adpack2.pk}/edit/")
    page.get_by_label("Start date").fill("2019-12-01")
    page.get_by_label("End date").fill("2018-01-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The end date cannot be before the start date."
    )
    adpack2.refresh_from_db()
    assert adpack2.start_date.isoformat() == "2018-01-01"


def test_skip_link_reaches_the_main_content_by_keyboard(page, live_server, demo):
    page.goto(live_server.url + "/partnerships/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
