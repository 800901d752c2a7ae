"""Issue #20 in a browser, on the demo data: the inclusive coordination (a partner endorses the
shared draft, the coordinator logs a meeting with a decision and adopts the version with the
endorsements on record), the balanced partnership (the named imbalance, a partner's expectation
reviewed) and the collective trademark (a project started in one click, a member licensed)."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from partnerships.models import Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-demo-pass"


@pytest.fixture
def adpack2(transactional_db):
    call_command("load_demo", "--password", PASSWORD, stdout=io.StringIO())
    return Partnership.objects.get(acronym="AdPack2")


def log_in(page, base, email):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("form[action$='/logout/'] button")).to_be_visible()


def test_a_partner_endorses_the_draft_and_the_coordinator_adopts_it(page, live_server, adpack2):
    base = live_server.url
    log_in(page, base, "manager@demo.escp.eu")
    page.goto(f"{base}/partnerships/{adpack2.pk}/strategy/?version=2")
    expect(page.get_by_text("2 of 6 partners endorsed it")).to_be_visible()
    expect(page.get_by_text("recyclable trays too")).to_be_visible()
    page.get_by_role("link", name="Comment or endorse").click()
    page.get_by_label("What you give").select_option(label="Endorsement")
    page.get_by_label("Your comment").fill("Our cluster agrees with the mark.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("your word is on record")
    expect(page.get_by_text("3 of 6 partners endorsed it")).to_be_visible()

    log_in(page, base, "coordinator@demo.escp.eu")
    page.goto(f"{base}/partnerships/{adpack2.pk}/strategy/")
    page.get_by_role("link", name="Meetings", exact=True).click()
    expect(page.get_by_text("Steering committee: the collective mark (demo)")).to_be_visible()
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Title").fill("Steering committee: version 2")
    page.get_by_label("Date").fill("2026-11-20")
    page.get_by_label("Secured Communication Solutions").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Steering committee: version 2")).to_be_visible()
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Decision").fill("Adopt version 2 of the strategy.")
    page.get_by_label("Objective").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("table", name="What the meeting decided").get_by_text(
            "Adopt version 2 of the strategy."
        )
    ).to_be_visible()

    page.goto(f"{base}/partnerships/{adpack2.pk}/strategy/?version=2")
    page.get_by_role("button", name="Adopt this version").click()
    expect(page.get_by_text("Endorsements when this version was adopted")).to_be_visible()
    expect(page.get_by_text("Secured Communication Solutions — endorsed")).to_be_visible()
    expect(page.get_by_text("did not endorse").first).to_be_visible()


def test_the_balance_names_an_imbalance_and_an_expectation_is_reviewed(page, live_server, adpack2):
    base = live_server.url
    log_in(page, base, "coordinator@demo.escp.eu")
    page.goto(f"{base}/partnerships/{adpack2.pk}/strategy/")
    page.get_by_role("link", name="Balance", exact=True).click()
    expect(page.get_by_role("table", name="Counts per partner")).to_be_visible()
    expect(page.locator("#imbalances")).to_contain_text(
        "Packaging Cluster has more than twice the average share of tasks owned"
    )
    page.get_by_role("link", name="Expectations and commitments of each partner").click()
    section = page.get_by_role("region", name="Secured Communication Solutions")
    expect(section.get_by_role("table")).to_be_visible()
    section.get_by_role("link", name="Review").first.click()
    page.get_by_label("Review", exact=True).select_option(label="Met")
    page.get_by_label("Review note").fill("Confirmed at the last steering committee.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Confirmed at the last steering committee.")).to_be_visible()


def test_a_collective_trademark_project_is_started_and_a_member_licensed(
    page, live_server, adpack2
):
    base = live_server.url
    log_in(page, base, "manager@demo.escp.eu")
    page.goto(f"{base}/partnerships/{adpack2.pk}/trademarks/")
    page.get_by_role("link", name="AdPack Smart Pack (demo)").click()
    licences = page.get_by_role("table", name="Register of licences")
    expect(licences.get_by_text("A member company (not shown to you)")).to_have_count(1)

    log_in(page, base, "coordinator@demo.escp.eu")
    page.goto(f"{base}/partnerships/{adpack2.pk}/strategy/")
    page.get_by_role("link", name="Collective mark").click()
    page.get_by_role("link", name="Start a collective trademark project").click()
    page.get_by_label("Name of the mark").fill("AdPack Green Tray")
    page.get_by_label("PLASTIWIN").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("its steps are on the roadmap")
    steps = page.get_by_role("table", name="Steps of the project")
    expect(steps.get_by_role("row")).to_have_count(8)  # the header and seven steps
    expect(steps.get_by_text("PLASTIWIN").first).to_be_visible()
    page.get_by_role("link", name="License a member").click()
    page.get_by_label("Member").select_option(index=1)
    page.get_by_label("Licensed on").fill("2026-11-30")
    page.get_by_label("Scope").fill("Recyclable trays")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("table", name="Register of licences").get_by_text("Recyclable trays")
    ).to_be_visible()
