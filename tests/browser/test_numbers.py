"""Numbers that mean what they say (issue #20), walked in Chromium on the demo data: the SME
status of a university, a correction's history with the approved note, the sources of an earlier
period of a derived KPI, the ESCP-S3 partnerships without recent activity, one record per
cluster, and the demo's market studies, export groups and milestones."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from escp_portal.accounts.models import User
from partnerships.models import ClusterMembership, ClusterOrganisation, Member, Partnership
from strategy.models import KPI, Measurement
from strategy.selectors import locked_until
from strategy.services.reporting import measurement_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-demo-pass"


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_numbers_mean_what_they_say_on_the_demo(page, live_server):
    call_command("load_demo", "--password", PASSWORD, stdout=io.StringIO())
    adpack2 = Partnership.objects.get(acronym="AdPack2", generation=2)

    # SME: a 120-staff university is not an SME, whatever its figures.
    cluster = ClusterOrganisation.objects.get(name="Secured Communication Solutions")
    university = Member.objects.create(
        name="Université de démonstration (demo)", kind="university", country="FR", employees=120
    )
    ClusterMembership.objects.create(member=university, cluster=cluster)
    log_in(page, live_server, "manager@demo.escp.eu")
    page.goto(f"{live_server.url}{university.get_absolute_url()}")
    expect(page.get_by_text("Only an enterprise can be an SME")).to_be_visible()
    expect(page.locator("dd", has_text="No").first).to_be_visible()
    expect(page.get_by_text("Medium", exact=True)).to_have_count(0)

    # A correction of an approved value keeps the approved note in the KPI page's history.
    # (The latest approved value of a period still open, in a partnership the coordinator runs.)
    approved = next(
        m
        for m in Measurement.objects.filter(status="approved")
        .select_related("kpi__objective__strategy", "partner")
        .order_by("-period_end")
        if (lock := locked_until(m.kpi.objective.strategy.partnership_id)) is None
        or m.period_end > lock
    )
    Measurement.objects.filter(pk=approved.pk).update(note="Counted from the signed list (demo)")
    coordinator = User.objects.get(email="coordinator@demo.escp.eu")
    measurement_report(
        actor=coordinator,
        kpi=approved.kpi,
        period_end=approved.period_end,
        partner=approved.partner,
        value=approved.value + 1,
        note="One more found later (demo)",
        reason="A participant was missing from the list.",
    )
    log_in(page, live_server, "coordinator@demo.escp.eu")
    page.goto(f"{live_server.url}/kpis/{approved.kpi.pk}/")
    expect(page.get_by_text("Before the correction:")).to_be_visible()
    expect(page.get_by_text("Counted from the signed list (demo)")).to_be_visible()

    # Where the value comes from: an earlier period of a derived KPI, chosen without script.
    derived = KPI.objects.get(objective__strategy__partnership=adpack2, source="partner_smes")
    page.goto(f"{live_server.url}/kpis/{derived.pk}/")
    chooser = page.get_by_label("Period")
    options = chooser.locator("option")
    assert options.count() >= 2
    first = options.first.get_attribute("value")
    chooser.select_option(first)
    page.get_by_role("button", name="Show its sources").click()
    assert f"period={first}" in page.url
    expect(page.locator("#source")).to_contain_text("Where the value of the period ending")
    expect(page.locator("#trace-period option:checked")).to_have_attribute("value", first)

    # The demo's market studies, export groups and milestones.
    page.goto(f"{live_server.url}/partnerships/{adpack2.pk}/markets/")
    page.get_by_role("link", name="Canada").first.click()
    expect(page.get_by_role("heading", name="Market study")).to_be_visible()
    page.goto(f"{live_server.url}/partnerships/{adpack2.pk}/export-groups/")
    expect(page.get_by_text("Joint offer for North American retail (demo)")).to_be_visible()

    # Published data: the ESCP-S3 partnerships without recorded activity are not active.
    log_in(page, live_server, "officer@demo.escp.eu")
    page.goto(f"{live_server.url}/partnerships/?programme=ESCP-S3")
    expect(page.get_by_role("cell", name="No recent activity").first).to_be_visible()
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("rowheader", name="CYBER SECURE LIGHT")).to_be_visible()
    expect(page.get_by_role("rowheader", name="TRACK")).to_have_count(0)
    track = Partnership.objects.get(acronym="TRACK")
    assert track.start_date.isoformat() == "2018-10-25" and track.end_date is None
    page.goto(f"{live_server.url}/partnerships/{track.pk}/")
    expect(page.locator("[data-activity]")).to_have_text("No recent activity")
    # One record per cluster organisation: the four spellings of one French cluster are one.
    assert ClusterOrganisation.objects.filter(name__icontains="Secured Commun").count() == 1
