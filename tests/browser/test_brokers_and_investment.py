"""Brokers and investment in a browser, on the demo data.

Action 5: the demo cluster manager opens AdPack2's brokers from the partnership page, names a
broker, adds an opportunity to the pipeline, moves it to a meeting and records the agreement it
reached, which lands among the partnership's outcomes; the EC officer reads the pipeline's
figures, not its names. Actions 14 and 15: the demo coordinator adds an investor met at
MobiGoIn-Action's pitch session and a joint investment project (refused with one region, saved
with two); the officer reads the projects and only counts the investors."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from partnerships.models import Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-demo-pass"


def log_in(page, base, email):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("form[action$='/logout/'] button")).to_be_visible()


def _form(page, button):
    """The form whose submit button is ``button`` (the page has a filter form too)."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button))


def _open_section(page, base, partnership, link):
    page.goto(f"{base}/partnerships/{partnership.pk}/")
    page.get_by_role("link", name="Brokers and investment").click()
    page.get_by_role("navigation", name="Brokers and investment").get_by_role(
        "link", name=link
    ).click()


def test_brokers_and_an_opportunity_that_becomes_an_agreement(page, live_server):
    call_command("load_demo", "--password", PASSWORD, stdout=io.StringIO())
    adpack2 = Partnership.objects.get(acronym="AdPack2", generation=2)
    base = live_server.url

    log_in(page, base, "manager@demo.escp.eu")
    _open_section(page, base, adpack2, "Brokers")
    brokers = page.get_by_role("table", name="Brokers")
    expect(brokers).to_contain_text("Hanna Lindqvist (demo)")
    expect(brokers).to_contain_text("Maple Trade Bridge (demo)")
    add = _form(page, "Add the broker")
    add.get_by_label("Name", exact=True).fill("Petra Novak")
    add.get_by_label("Country", exact=True).fill("Czechia")
    add.get_by_label("Main role", exact=True).select_option(label="Managing and maintaining")
    add.get_by_role("button", name="Add the broker").click()
    expect(page.get_by_role("status")).to_contain_text("The broker was added.")
    expect(page.get_by_role("table", name="Brokers")).to_contain_text("Petra Novak")

    page.get_by_role("link", name="Opportunity pipeline").click()
    agreed = page.locator("section[data-stage='agreement']")
    expect(agreed).to_contain_text("Recyclable tray line for a Canadian retailer (demo)")
    for stage in ("lead", "contact", "meeting", "dropped"):
        expect(page.locator(f"section[data-stage='{stage}'] li")).not_to_have_count(0)
    page.get_by_role("link", name="Add an opportunity").click()
    page.get_by_label("Title").fill("Paper cups for a Prague café chain")
    page.get_by_label("Broker", exact=True).select_option(label="Petra Novak")
    page.get_by_label("Counterpart", exact=True).fill("Kavárny Praha")
    page.get_by_label("Counterpart's country").fill("Czechia")
    page.get_by_label("Next follow-up").fill("2027-01-15")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("added to the pipeline")
    lead = page.locator("section[data-stage='lead']")
    expect(lead).to_contain_text("Paper cups for a Prague café chain")

    lead.get_by_role("link", name="Paper cups for a Prague café chain").click()
    page.get_by_label("Stage").select_option(label="Meeting held")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("section[data-stage='meeting']")).to_contain_text("Paper cups")

    page.get_by_role("link", name="Paper cups for a Prague café chain").click()
    page.get_by_role("link", name="Record the agreement reached").click()
    page.get_by_label("Kind of agreement").select_option(label="MoU or formal agreement")
    page.get_by_label("Signed on").fill("2026-11-30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("recorded as an outcome")
    expect(page.get_by_role("table")).to_contain_text("Kavárny Praha")

    log_in(page, base, "officer@demo.escp.eu")
    page.goto(f"{base}/partnerships/{adpack2.pk}/opportunities/")
    figures = page.get_by_role("table", name="Opportunities by stage")
    expect(figures).to_be_visible()
    expect(figures.get_by_role("row", name="Agreement reached")).to_contain_text("2")
    expect(page.get_by_text("Paper cups")).to_have_count(0)
    page.goto(f"{base}/partnerships/{adpack2.pk}/brokers/")
    expect(page.get_by_text("Hanna Lindqvist")).to_have_count(0)
    expect(page.get_by_text("4 brokers.")).to_be_visible()


def test_an_investor_met_at_an_event_and_a_joint_investment_project(page, live_server):
    call_command("load_demo", "--password", PASSWORD, stdout=io.StringIO())
    mobigoin = Partnership.objects.get(acronym="MobiGoIn-Action", generation=2)
    base = live_server.url

    log_in(page, base, "coordinator@demo.escp.eu")
    _open_section(page, base, mobigoin, "Investor contacts")
    investors = page.get_by_role("table", name="Investor contacts")
    expect(investors).to_contain_text("Sofia Marques (demo)")
    expect(investors).to_contain_text("Smart city pitch session (demo)")
    add = _form(page, "Add the contact")
    add.get_by_label("Name", exact=True).fill("Aiko Tanaka")
    add.get_by_label("Organisation", exact=True).fill("Osaka Mobility Fund")
    add.get_by_label("Kind", exact=True).select_option(label="Investment fund or bank")
    add.get_by_label("Country", exact=True).fill("Japan")
    add.get_by_label("Met at").select_option(label="Smart city pitch session (demo)")
    add.get_by_role("button", name="Add the contact").click()
    expect(page.get_by_role("status")).to_contain_text("The investor contact was added.")
    expect(page.get_by_role("table", name="Investor contacts")).to_contain_text("Aiko Tanaka")

    page.get_by_role("link", name="Joint investment projects").click()
    projects = page.get_by_role("table", name="Joint investment projects")
    expect(projects).to_contain_text("Shared test track for automated shuttles (demo)")
    expect(page.get_by_text("EUR 2,600,000 mobilised")).to_be_visible()
    add = _form(page, "Add the project")
    add.get_by_label("Title").fill("Hydrogen refuelling corridor")
    add.get_by_label("S3 priority area").fill("Hydrogen mobility")
    add.get_by_label("Partner regions").fill("Bavaria")
    add.get_by_label("Investment sought (EUR)").fill("3000000")
    add.get_by_label("Technical assistance", exact=True).select_option(label="Applied for")
    add.get_by_role("button", name="Add the project").click()
    expect(page.get_by_role("alert")).to_contain_text("two regions or more")
    add = _form(page, "Add the project")
    add.get_by_label("Partner regions").fill("Bavaria, Tyrol")
    add.get_by_role("button", name="Add the project").click()
    expect(page.get_by_role("status")).to_contain_text("project was added")
    expect(page.get_by_role("table", name="Joint investment projects")).to_contain_text(
        "Bavaria, Tyrol"
    )

    log_in(page, base, "officer@demo.escp.eu")
    page.goto(f"{base}/partnerships/{mobigoin.pk}/investment-projects/")
    expect(page.get_by_role("table", name="Joint investment projects")).to_contain_text(
        "Hydrogen refuelling corridor"
    )
    page.goto(f"{base}/partnerships/{mobigoin.pk}/investors/")
    expect(page.get_by_text("Aiko Tanaka")).to_have_count(0)
    expect(page.get_by_role("row", name="Investment fund or bank")).to_contain_text("1")
