"""A searchable field in a browser (issue #19): on a cluster's member list, the manager types a
few letters of an export market, hears how many suggestions there are, picks one with the
keyboard and applies the filter; the URL keeps the country's code. The page passes axe-core
with the suggestions open."""

import re

import pytest
from playwright.sync_api import expect

from escp_portal.accounts.models import Role
from tests import factories
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import axe_violations, describe
from tests.browser.test_partner_consent import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def members(transactional_db):
    home = factories.cluster("Alpha Cluster", "DE")
    factories.partnership("ALPHA", coordinator=home)
    factories.member(home, "Alder GmbH", export_markets=["CA"], employees=10)
    factories.member(home, "Birch GmbH", export_markets=["US"], employees=10)
    factories.user("manager-a@example.org", role=Role.CLUSTER_MANAGER, scope=home)
    return home


def test_pick_an_export_market_by_keyboard_and_filter(page, live_server, members):
    base = live_server.url
    log_in(page, base, "manager-a@example.org")
    page.goto(f"{base}/clusters/{members.pk}/members/")
    field = page.get_by_role("combobox", name="Exports to")
    expect(field).to_have_attribute("aria-expanded", "false")
    listbox_id = field.get_attribute("aria-controls")

    field.press_sequentially("cana", delay=30)
    listbox = page.locator(f"#{listbox_id}")
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option", name="Canada (CA)")).to_be_visible()
    expect(page.locator("[data-choices-announcements]")).to_have_text("1 suggestion")
    # Every option is in the list the combobox controls; none is chosen yet.
    assert page.evaluate("id => document.getElementById(id).getAttribute('role')", listbox_id)
    assert field.get_attribute("aria-activedescendant") is None

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "searchable-field-open.png"), full_page=True)
    violations = axe_violations(page)  # with the suggestions open
    assert not violations, describe(violations)

    field.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    expect(page.locator(f"#{active}")).to_have_text("Canada (CA)")
    expect(page.locator(f"#{active}")).to_have_attribute("aria-selected", "true")
    field.press("Enter")  # picks; the form is not sent yet
    expect(field).to_have_value("Canada (CA)")
    expect(field).to_have_attribute("aria-expanded", "false")

    field.press("Escape")  # closed: Escape would clear; type again and leave with Escape
    expect(field).to_have_value("")
    field.press_sequentially("cana", delay=30)
    expect(field).to_have_attribute("aria-expanded", "true")
    field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value("Canada (CA)")

    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]export_market=CA(&|$)"))
    table = page.get_by_role("table")
    expect(table).to_contain_text("Alder GmbH")
    expect(table).not_to_contain_text("Birch GmbH")
    # The code in the URL is shown back by its name.
    expect(page.get_by_role("combobox", name="Exports to")).to_have_value("Canada (CA)")

    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_pick_several_nace_codes_of_a_funding_call(page, live_server, transactional_db):
    """Several NACE codes in one field: one picked from the suggestions with the keyboard, the
    next typed after the semicolon the pick leaves and clicked; the call keeps the codes."""
    from funding.models import FundingCall

    factories.user("officer@example.org", role=Role.EC_OFFICER)
    base = live_server.url
    log_in(page, base, "officer@example.org")
    page.goto(f"{base}/funding-calls/add/")
    page.get_by_label("Programme").fill("Horizon Europe")
    page.get_by_label("Title").fill("Software for food plants")
    page.get_by_label("Deadline").fill("2099-01-31")
    page.get_by_label("Topics").fill("robots")
    field = page.get_by_role("combobox", name="NACE codes")
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")

    field.press_sequentially("62.01", delay=30)
    expect(listbox.get_by_role("option", name=re.compile("^62.01 "))).to_be_visible()
    field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value(re.compile(r"^62\.01 Computer programming activities; $"))
    field.press_sequentially("manufacturing", delay=30)
    listbox.get_by_role("option", name="C Manufacturing").click()
    expect(field).to_have_value(re.compile(r"; C Manufacturing; $"))

    page.get_by_role("button", name=re.compile("Save|Record")).click()
    expect(page.get_by_role("heading", name="Software for food plants")).to_be_visible()
    assert FundingCall.objects.get().nace_codes == "62.01, C"
