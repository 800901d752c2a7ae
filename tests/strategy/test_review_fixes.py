"""Edge cases found by probing the strategy pages and API."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from strategy.models import KPI, Measurement, PeriodLock, Strategy
from strategy.services import send_reporting_reminders

pytestmark = pytest.mark.django_db


def bulk(client, body):
    return client.post("/api/v1/measurements/bulk/", body, content_type="application/json")


def test_bulk_refuses_malformed_bodies_and_rows_with_messages(client, world, plan):
    client.force_login(world.coord_a)
    kpi = plan["kpi"].pk
    for body in ('"abc"', "5", "null", "[]"):
        assert bulk(client, body).status_code == 400, body
    rows = [
        {"kpi": kpi, "period_end": "2025-02-30", "value": 1},
        {"kpi": kpi, "period_end": "2025-03-31", "value": 1, "partner": "abc"},
        {"kpi": True, "period_end": "2025-03-31", "value": 1},
        {"kpi": kpi, "period_end": "2025-06-30", "value": 1},
        {"kpi": kpi, "period_end": "2025-06-30", "value": 7},
    ]
    response = bulk(client, rows)
    assert response.status_code == 400
    fields = [(e["index"], e["field"]) for e in response.json()["errors"]["rows"]]
    assert fields == [(0, "period_end"), (1, "partner"), (2, "kpi"), (4, "period_end")]
    assert not Measurement.objects.exists()


def test_a_correction_reason_of_any_type_is_text(client, world, plan, approved):
    client.force_login(world.coord_a)
    approved(1)
    response = bulk(
        client, [{"kpi": plan["kpi"].pk, "period_end": "2025-03-31", "value": 2, "reason": 5}]
    )
    assert response.status_code == 201


def test_form_pages_work_without_a_referer_and_only_for_coordinators(client, world, plan):
    urls = [
        reverse("strategy:objective_edit", args=[plan["objective"].pk]),
        reverse("strategy:kpi_edit", args=[plan["kpi"].pk]),
        reverse("strategy:strategy_edit", args=[plan["strategy"].pk]),
        reverse("strategy:objective_add", args=[plan["strategy"].pk]),
    ]
    client.force_login(world.coord_a)
    for url in urls:
        assert client.get(url).status_code == 200, url
    for who in ("manager_a", "officer"):
        client.force_login(getattr(world, who))
        for url in urls:
            assert client.get(url).status_code == 403, (who, url)
    client.force_login(world.coord_a)
    odd = client.get(reverse("strategy:overview", args=[world.a.pk]) + "?version=%C2%B2")
    assert odd.status_code == 200


def test_strategy_versions_through_the_api(client, world, plan):
    client.force_login(world.coord_a)
    draft = client.post(
        "/api/v1/strategies/", {"partnership": world.a.pk}, content_type="application/json"
    )
    assert draft.status_code == 201 and draft.json()["version"] == 2
    second = client.post(
        "/api/v1/strategies/", {"partnership": world.a.pk}, content_type="application/json"
    )
    assert second.status_code == 400 and "draft version exists" in str(second.json())
    other = client.post(
        "/api/v1/strategies/", {"partnership": world.b.pk}, content_type="application/json"
    )
    assert other.status_code == 403


def test_starting_the_strategy_twice_says_why_instead_of_failing(client, world):
    client.force_login(world.coord_a)
    url = reverse("strategy:strategy_create", args=[world.a.pk])
    assert client.post(url).status_code == 302
    again = client.post(url, follow=True)  # a double click, or a second tab
    assert again.status_code == 200
    assert "A draft version exists already" in again.content.decode()
    assert Strategy.objects.filter(partnership=world.a).count() == 1


def test_frequency_cannot_strand_reported_values(client, world, plan, approved):
    approved(3)
    client.force_login(world.coord_a)
    response = client.patch(
        f"/api/v1/kpis/{plan['kpi'].pk}/", {"frequency": "annual"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "2025-03-31" in str(response.json())
    assert KPI.objects.get(pk=plan["kpi"].pk).frequency == "quarterly"


def test_values_reported_during_a_revision_are_kept_on_adoption(client, world, plan):
    client.force_login(world.coord_a)
    draft_id = client.post(f"/api/v1/strategies/{plan['strategy'].pk}/revise/").json()["id"]
    copy = KPI.objects.get(objective__strategy_id=draft_id)
    # Reports go to the adopted version while the draft is prepared…
    refused = client.post(
        "/api/v1/measurements/",
        {"kpi": copy.pk, "period_end": "2025-09-30", "value": 9},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "adopted version" in str(refused.json())
    reported = client.post(
        "/api/v1/measurements/",
        {"kpi": plan["kpi"].pk, "period_end": "2025-09-30", "value": 42},
        content_type="application/json",
    ).json()
    client.post(f"/api/v1/measurements/{reported['id']}/approve/")
    # …and come along when the draft is adopted.
    client.post(f"/api/v1/strategies/{draft_id}/adopt/")
    carried = Measurement.objects.get(kpi=copy)
    assert (carried.value, carried.status) == (42, "approved")
    assert client.post(f"/api/v1/measurements/{reported['id']}/approve/").status_code == 400
    assert client.delete(f"/api/v1/tasks/{plan['task'].pk}/").status_code == 400
    assert client.post(f"/api/v1/strategies/{plan['strategy'].pk}/revise/").status_code == 400


def test_reminders_are_not_doubled_by_a_revision(client, world, plan):
    assert send_reporting_reminders(date(2026, 11, 26)) == 2
    client.force_login(world.coord_a)
    client.post(f"/api/v1/strategies/{plan['strategy'].pk}/revise/")
    assert Strategy.objects.count() == 2
    assert send_reporting_reminders(date(2026, 11, 26)) == 0


def test_locks_take_ended_period_ends_and_reopen_from_the_latest(client, world, plan):
    client.force_login(world.coord_a)
    url = reverse("strategy:reporting", args=[world.a.pk])
    for bad in ("2025-08-15", "2027-12-31"):
        client.post(url, {"period_end": bad, "action": "lock"})
    assert not PeriodLock.objects.exists()
    client.post(url, {"period_end": "2025-06-30", "action": "lock"})
    client.post(url, {"period_end": "2025-09-30", "action": "lock"})
    response = client.post(url, {"period_end": "2025-06-30", "action": "unlock"}, follow=True)
    assert "A later period is locked" in response.content.decode()
    assert PeriodLock.objects.count() == 2


def test_the_indicator_table_never_runs_formulas(client, world, plan):
    plan["kpi"].name = '=HYPERLINK("http://evil.example","click")'
    plan["kpi"].save()
    client.force_login(world.coord_a)
    response = client.get(reverse("strategy:indicators", args=[world.a.pk]))
    cell = load_workbook(io.BytesIO(response.content)).worksheets[0].cell(3, 3)
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_evidence_is_a_download_for_insiders_only(client, world, plan):
    client.force_login(world.manager_a)
    client.post(
        reverse("strategy:kpi_report", args=[plan["kpi"].pk]),
        {
            "period_end": "2025-03-31",
            "value": "3",
            "evidence_file": SimpleUploadedFile("list.pdf", b"%PDF-1.4 list"),
        },
    )
    measurement = Measurement.objects.get()
    url = reverse("strategy:evidence", args=[measurement.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    page = client.post(
        reverse("strategy:kpi_report", args=[plan["kpi"].pk]),
        {
            "period_end": "2025-06-30",
            "value": "3",
            "evidence_file": SimpleUploadedFile("x.html", b"<script>alert(1)</script>"),
        },
    )
    assert "File extension" in page.content.decode()
    client.force_login(world.coord_b)
    assert client.get(url).status_code == 404
