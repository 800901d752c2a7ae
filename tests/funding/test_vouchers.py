"""Voucher schemes and their ledger: the budget is never over-committed, no company passes the
cap, vouchers go to members of the partner clusters only, the share for SMEs is shown with a
warning, and EC officers read the figures without the companies' names."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from openpyxl import load_workbook

from funding.models import Voucher
from funding.services.vouchers import (
    scheme_save,
    voucher_grant,
    voucher_set_status,
    vouchers_grant_bulk,
)
from tests import factories

pytestmark = pytest.mark.django_db


def grant(fund, member, amount, **data):
    return voucher_grant(
        actor=fund.world.coord_a,
        scheme=fund.scheme,
        member=member,
        amount=Decimal(amount),
        purpose="Prototype",
        **data,
    )


def test_a_grant_within_budget_and_cap_is_written_with_its_cluster_and_sme_flag(fund):
    voucher = grant(fund, fund.sme_a, "4000")
    assert voucher.cluster == fund.world.cluster_a
    assert voucher.to_sme is True
    assert voucher.status == Voucher.Status.GRANTED
    assert grant(fund, fund.large, "1000").to_sme is False


def test_no_company_passes_the_cap_across_vouchers(fund):
    grant(fund, fund.sme_a, "3000")
    with pytest.raises(ValidationError) as error:
        grant(fund, fund.sme_a, "1500")
    assert "amount" in error.value.message_dict
    grant(fund, fund.sme_a, "1000")  # exactly the cap


def test_the_budget_is_never_over_committed_and_a_cancelled_voucher_frees_its_amount(fund):
    others = [factories.member(fund.world.cluster_a, f"SME {i}", employees=5) for i in range(3)]
    for member in others:
        grant(fund, member, "3000")
    with pytest.raises(ValidationError, match=r"1000\.00 EUR of the budget is left"):
        grant(fund, fund.sme_a, "1500")
    voucher = Voucher.objects.filter(member=others[0]).get()
    voucher_set_status(actor=fund.world.coord_a, voucher=voucher, status="cancelled")
    grant(fund, fund.sme_a, "1500")


def test_vouchers_go_to_current_members_of_partner_clusters_only(fund):
    with pytest.raises(ValidationError, match="partner clusters"):
        grant(fund, fund.outsider, "100")
    # A partner cluster that ended its sharing is no longer a way in.
    fund.world.a.partners.filter(cluster=fund.world.cluster_a).update(
        sharing_ended_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        grant(fund, fund.sme_a, "100")
    grant(fund, fund.sme_a2, "100")


def test_only_the_partnership_coordinators_grant(fund):
    for user in (fund.world.manager_a, fund.world.coord_b, fund.world.officer):
        with pytest.raises(PermissionDenied):
            voucher_grant(
                actor=user, scheme=fund.scheme, member=fund.sme_a, amount=Decimal("1"), purpose="x"
            )


def test_a_grant_outside_the_scheme_period_is_refused(fund):
    with pytest.raises(ValidationError, match="open from"):
        grant(fund, fund.sme_a, "100", granted_on=fund.scheme.closes_on + timedelta(days=1))


def test_status_goes_from_granted_to_paid_or_cancelled_only(fund):
    voucher = grant(fund, fund.sme_a, "100")
    paid = voucher_set_status(actor=fund.world.coord_a, voucher=voucher, status="paid")
    assert paid.status == "paid"
    with pytest.raises(ValidationError):
        voucher_set_status(actor=fund.world.coord_a, voucher=paid, status="cancelled")


def test_the_budget_cannot_shrink_below_what_is_granted(fund):
    grant(fund, fund.sme_a, "4000")
    with pytest.raises(ValidationError):
        scheme_save(
            actor=fund.world.coord_a, partnership=fund.world.a, scheme=fund.scheme, budget=3000
        )


def test_bulk_grants_are_all_or_nothing_with_the_errors_of_each_row(fund):
    from escp_portal.services import RowErrors

    rows = [
        {"member": fund.sme_a, "amount": Decimal("2000"), "purpose": "A"},
        {"member": fund.outsider, "amount": Decimal("100"), "purpose": "B"},
        {"member": fund.sme_a, "amount": Decimal("2500"), "purpose": "C"},  # over the cap
    ]
    with pytest.raises(RowErrors) as error:
        vouchers_grant_bulk(actor=fund.world.coord_a, scheme=fund.scheme, rows=rows)
    assert {e["index"] for e in error.value.row_errors} == {1, 2}
    assert not Voucher.objects.exists()
    vouchers_grant_bulk(actor=fund.world.coord_a, scheme=fund.scheme, rows=rows[:1])
    assert Voucher.objects.count() == 1


def test_the_page_warns_when_the_share_for_smes_is_below_the_minimum(client, fund):
    grant(fund, fund.large, "2000")
    grant(fund, fund.sme_a, "1000")
    client.force_login(fund.world.coord_a)
    page = client.get(fund.scheme.get_absolute_url()).content.decode()
    assert "Below the minimum share for SMEs" in page
    assert "33.3% of what is granted" in page
    assert "Giant AG" in page and "Alder GmbH" in page
    # Enough to SMEs: no warning.
    grant(fund, fund.sme_a2, "3000")
    grant(fund, fund.sme_a, "3000")
    page = client.get(fund.scheme.get_absolute_url()).content.decode()
    assert "Below the minimum share" not in page


def test_the_page_says_when_the_minimum_can_no_longer_be_met(client, fund):
    big = [factories.member(fund.world.cluster_a, f"Big {i}", employees=800) for i in range(2)]
    grant(fund, fund.large, "2000")
    grant(fund, big[0], "1000")  # 3,000 to others: more than the 2,500 the budget leaves them
    client.force_login(fund.world.coord_a)
    page = client.get(fund.scheme.get_absolute_url()).content.decode()
    assert "The minimum for SMEs can no longer be met" in page


def test_the_grant_form_grants_and_refuses_with_a_message(client, fund):
    client.force_login(fund.world.coord_a)
    url = fund.scheme.get_absolute_url()
    response = client.post(
        url,
        {"member": fund.sme_a.pk, "amount": "5000", "granted_on": "", "purpose": "Trial"},
    )
    assert response.status_code == 200
    assert "the most per company is 4000.00 EUR" in response.content.decode()
    response = client.post(
        url,
        {
            "member": fund.sme_a.pk,
            "amount": "3000",
            "granted_on": timezone.localdate().isoformat(),
            "purpose": "Trial",
        },
    )
    assert response.status_code == 302
    assert Voucher.objects.get().amount == Decimal("3000")


def test_officers_read_figures_and_managers_their_own_clusters_vouchers(client, fund):
    grant(fund, fund.sme_a, "1000")
    grant(fund, fund.sme_a2, "2000")
    url = fund.scheme.get_absolute_url()
    client.force_login(fund.world.officer)
    page = client.get(url).content.decode()
    assert "3000.00 EUR" in page
    assert "Alder GmbH" not in page and "Cedar AB" not in page
    client.force_login(fund.world.manager_a)
    page = client.get(url).content.decode()
    assert "Alder GmbH" in page and "Cedar AB" not in page
    assert client.post(url, {"member": fund.sme_a.pk, "amount": "1"}).status_code == 403
    client.force_login(fund.world.coord_b)
    assert client.get(url).status_code == 404


def test_the_ledger_export_is_formula_safe_and_names_nobody_to_officers(client, fund):
    grant(fund, fund.sme_a, "1000")
    Voucher.objects.update(purpose="=HYPERLINK(1)")
    client.force_login(fund.world.coord_a)
    response = client.get(reverse("funding:ledger_export", args=[fund.scheme.pk, "xlsx"]))
    cells = [
        c.value for row in load_workbook(BytesIO(response.content)).active.iter_rows() for c in row
    ]
    assert "Alder GmbH" in cells and "'=HYPERLINK(1)" in cells
    csv = client.get(reverse("funding:ledger_export", args=[fund.scheme.pk, "csv"]))
    assert "'=HYPERLINK(1)" in csv.content.decode("utf-8-sig")
    client.force_login(fund.world.officer)
    body = client.get(reverse("funding:ledger_export", args=[fund.scheme.pk, "csv"]))
    assert "Alder GmbH" not in body.content.decode("utf-8-sig")
    assert "1000" in body.content.decode("utf-8-sig")


# --- the API -----------------------------------------------------------------------------------


def _api(client, user):
    token = AuthToken.objects.create(user=user)[1]
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def test_api_grant_cap_and_status_with_etag(client, fund):
    headers = _api(client, fund.world.coord_a)
    body = {"scheme": fund.scheme.pk, "member": fund.sme_a.pk, "amount": "3000", "purpose": "P"}
    created = client.post("/api/v1/vouchers/", body, content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    assert created["ETag"]
    over = client.post("/api/v1/vouchers/", body, content_type="application/json", **headers)
    assert over.status_code == 400
    assert set(over.json()) >= {"status", "code", "detail", "errors"}
    url = f"/api/v1/vouchers/{created.json()['id']}/status/"
    stale = client.post(
        url,
        {"status": "paid"},
        content_type="application/json",
        HTTP_IF_MATCH='"stale"',
        **headers,
    )
    assert stale.status_code == 412
    etag = client.get(f"/api/v1/vouchers/{created.json()['id']}/", **headers)["ETag"]
    paid = client.post(
        url, {"status": "paid"}, content_type="application/json", HTTP_IF_MATCH=etag, **headers
    )
    assert paid.status_code == 200 and paid.json()["status"] == "paid"


def test_api_scheme_figures_and_names_hidden_from_officers(client, fund):
    grant(fund, fund.sme_a, "1000")
    grant(fund, fund.large, "2000")
    headers = _api(client, fund.world.officer)
    scheme = client.get(f"/api/v1/voucher-schemes/{fund.scheme.pk}/", **headers).json()
    assert scheme["figures"]["committed"] == "3000.00"
    assert scheme["figures"]["below_minimum"] is True
    rows = client.get("/api/v1/vouchers/", **headers).json()["results"]
    assert len(rows) == 2
    assert all(r["member"] is None and r["names_hidden"] for r in rows)
    named = client.get("/api/v1/vouchers/", **_api(client, fund.world.coord_a)).json()["results"]
    assert {r["member"] for r in named} == {fund.sme_a.pk, fund.large.pk}


def test_api_bulk_is_atomic_with_row_errors(client, fund):
    headers = _api(client, fund.world.coord_a)
    body = {
        "scheme": fund.scheme.pk,
        "rows": [
            {"member": fund.sme_a.pk, "amount": "1000", "purpose": "A"},
            {"member": fund.outsider.pk, "amount": "100", "purpose": "B"},
            {"member": fund.sme_a2.pk, "amount": "not a number", "purpose": "C"},
        ],
    }
    response = client.post(
        "/api/v1/vouchers/bulk/", body, content_type="application/json", **headers
    )
    assert response.status_code == 400
    rows = response.json()["errors"]["rows"]
    assert {r["index"] for r in rows} == {1, 2}
    assert not Voucher.objects.exists()
    body["rows"] = body["rows"][:1]
    response = client.post(
        "/api/v1/vouchers/bulk/", body, content_type="application/json", **headers
    )
    assert response.status_code == 201
    assert Voucher.objects.count() == 1


def test_api_bulk_refuses_hostile_bodies_with_400(client, fund):
    headers = _api(client, fund.world.coord_a)
    for body in ({}, {"scheme": "x", "rows": [{}]}, {"scheme": 10**30, "rows": [{}]}, []):
        response = client.post(
            "/api/v1/vouchers/bulk/", body, content_type="application/json", **headers
        )
        assert response.status_code in (400, 404), (body, response.status_code)
