"""Vouchers and EU funding in a browser, on the demo data: the coordinator finds the calls that
fit on the home page and on AdPack2's tab, with the reasons; opens AdPack2's voucher scheme,
reads the budget and the share for SMEs, grants a voucher and marks one paid; the EC officer
records a new call and reads the scheme's figures without the companies' names."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from funding.demo import SCHEME_NAME
from funding.models import FundingCall, Voucher, VoucherScheme
from partnerships.models import Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-browser-pass"


def log_in(page, base, email):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("form[action$='/logout/'] button")).to_be_visible()


def test_calls_that_fit_and_the_voucher_ledger_on_the_demo(page, live_server):
    call_command("load_demo", "--password", PASSWORD, stdout=io.StringIO())
    base = live_server.url
    adpack2 = Partnership.objects.get(acronym="AdPack2")
    scheme = VoucherScheme.objects.get(name=SCHEME_NAME)

    # The coordinator: the calls that fit, on the home page and on the partnership's tab.
    log_in(page, base, "coordinator@demo.escp.eu")
    panel = page.get_by_role("region", name="Funding calls that fit your partnerships")
    expect(panel).to_contain_text("(demo)")
    expect(panel).not_to_contain_text("closed")
    page.goto(f"{base}/partnerships/{adpack2.pk}/vouchers/")
    page.get_by_role("link", name="Funding calls", exact=True).last.click()
    first = page.get_by_role("article").first
    expect(first).to_contain_text("Why:")
    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("(demo)")
    expect(page.get_by_text("Deadline")).not_to_have_count(0)

    # The voucher scheme: figures, the ledger, a grant, a payment.
    page.goto(f"{base}/partnerships/{adpack2.pk}/vouchers/")
    page.get_by_role("link", name=SCHEME_NAME).click()
    figures = page.get_by_role("region", name="Budget and share for SMEs")
    expect(figures).to_contain_text("120000.00 EUR")
    expect(figures).to_contain_text("at least 75% required")
    ledger = page.get_by_role("table", name="Vouchers granted")
    before = Voucher.objects.filter(scheme=scheme).count()
    expect(ledger.locator("tbody tr")).to_have_count(before)
    options = page.locator("#id_member option").all_inner_texts()
    sme = [o for o in options if o.endswith("(SME)")][-1]
    page.get_by_label("Member").select_option(label=sme)
    page.get_by_label("Amount (EUR)", exact=True).fill("2500")
    page.get_by_label("Purpose", exact=True).fill("Shelf test with a retailer")
    page.get_by_role("button", name="Grant").click()
    expect(page.get_by_role("status")).to_contain_text("The voucher was granted.")
    expect(ledger.locator("tbody tr")).to_have_count(before + 1)
    expect(ledger).to_contain_text("Shelf test with a retailer")
    row = ledger.locator("tbody tr").filter(has_text="Shelf test with a retailer")
    row.get_by_label("New status").select_option("paid")
    row.get_by_role("button", name="Change").click()
    expect(page.get_by_role("status")).to_contain_text("The voucher's status was changed.")
    assert Voucher.objects.get(purpose="Shelf test with a retailer").status == "paid"
    # Over the cap: refused with a message on the form, nothing written.
    page.get_by_label("Member").select_option(label=sme)
    page.get_by_label("Amount (EUR)", exact=True).fill("15000")
    page.get_by_label("Purpose", exact=True).fill("Too much")
    page.get_by_role("button", name="Grant").click()
    expect(page.get_by_text("the most per company is 15000.00 EUR").first).to_be_visible()
    assert not Voucher.objects.filter(purpose="Too much").exists()

    # The EC officer records a call and reads the scheme's figures, without names.
    log_in(page, base, "officer@demo.escp.eu")
    page.get_by_role("link", name="Funding calls").first.click()
    page.get_by_role("link", name="Record a funding call").click()
    page.get_by_label("Programme", exact=True).fill("Single Market Programme")
    page.get_by_label("Title", exact=True).fill("Packaging pilots across regions")
    page.get_by_label("Deadline", exact=True).fill(
        (timezone.localdate() + timedelta(days=40)).isoformat()
    )
    page.get_by_label("Topics", exact=True).fill("sustainable packaging")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The funding call was saved.")
    assert FundingCall.objects.filter(title="Packaging pilots across regions").exists()
    page.goto(f"{base}{scheme.get_absolute_url()}")
    expect(page.get_by_text("the companies are not named")).to_be_visible()
    member = Voucher.objects.filter(scheme=scheme, member__isnull=False).first().member
    expect(page.get_by_text(member.name)).to_have_count(0)
