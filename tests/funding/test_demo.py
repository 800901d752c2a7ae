"""The demo shows vouchers and EU funding: AdPack2's voucher scheme with vouchers granted to
members of its partner clusters, and open funding calls that fit both demo partnerships (a
closed one is never listed as open); loaded twice, nothing changes."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from escp_portal.accounts.models import User
from funding.demo import SCHEME_NAME
from funding.models import FundingCall, Voucher, VoucherScheme
from funding.selectors import partnership_calls
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_voucher_scheme_with_vouchers_and_matching_open_calls():
    call_command("load_demo", stdout=io.StringIO())
    counts = [VoucherScheme.objects.count(), Voucher.objects.count(), FundingCall.objects.count()]
    call_command("load_demo", stdout=io.StringIO())
    assert [
        VoucherScheme.objects.count(),
        Voucher.objects.count(),
        FundingCall.objects.count(),
    ] == counts

    scheme = VoucherScheme.objects.get(name=SCHEME_NAME)
    assert scheme.partnership.acronym == "AdPack2"
    vouchers = list(scheme.vouchers.all())
    assert len(vouchers) >= 5
    assert {v.status for v in vouchers} >= {"granted", "paid"}
    assert any(v.to_sme for v in vouchers)

    today = timezone.localdate()
    for acronym in ("AdPack2", "MobiGoIn-Action"):
        matches = partnership_calls(Partnership.objects.get(acronym=acronym), today)
        assert matches, acronym
        assert all(m.call.deadline >= today and m.reasons for m in matches)

    client = Client()
    client.force_login(User.objects.get(email="coordinator@demo.escp.eu"))
    home = client.get("/").content.decode()
    assert "Funding calls that fit your partnerships" in home
    assert "(demo, closed)" not in home
    page = client.get(scheme.get_absolute_url()).content.decode()
    assert "Vouchers granted" in page and vouchers[0].member.name in page
    calls = client.get(reverse("funding:calls")).content.decode()
    assert "(demo, closed)" not in calls
