"""With a strict Content-Security-Policy (no inline script or style), the pages that carry
scripts still work in a real browser and none of them is refused anything."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from partnerships.models import Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-demo-pass"


def test_script_pages_run_under_the_policy_without_a_violation(page, live_server):
    call_command("load_demo", "--password", PASSWORD, stdout=io.StringIO())
    adpack2 = Partnership.objects.get(acronym="AdPack2")
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("coordinator@demo.escp.eu")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/partnerships/{adpack2.pk}/scoreboard/")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))"
    )
    page.goto(f"{live_server.url}/partnerships/{adpack2.pk}/strategy/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/missions/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The API documentation loads its viewer from our own static files and the schema URL.
    page.goto(f"{live_server.url}/api/v1/docs/")
    # (From 100 operations on, Swagger UI draws the list virtually: only the tags and
    # operations in view are in the page, without the per-tag section wrappers.)
    expect(page.locator(".opblock-tag").first).to_be_visible()
    expect(page.get_by_text("/api/v1/auth/token/", exact=True).first).to_be_attached()

    assert refused == []
