from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from strategy import selectors
from strategy.models import KPI, Measurement, MeasurementRevision, PeriodLock

pytestmark = pytest.mark.django_db
Q1, Q2 = "2025-03-31", "2025-06-30"


def report(client, kpi, period=Q1, value="5", **extra):
    return client.post(
        "/api/v1/measurements/",
        {"kpi": kpi.pk, "period_end": period, "value": value, **extra},
        content_type="application/json",
    )


def current(kpi):
    return selectors.kpi_values([kpi])[kpi.pk].current


def test_values_count_only_once_approved(client, world, plan):
    kpi = plan["kpi"]
    client.force_login(world.manager_a)
    response = report(client, kpi, value="7")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"
    assert current(kpi) is None
    measurement_id = response.json()["id"]
    # The manager reports; the coordinator approves.
    assert client.post(f"/api/v1/measurements/{measurement_id}/approve/").status_code == 403
    client.force_login(world.coord_a)
    returned = client.post(
        f"/api/v1/measurements/{measurement_id}/return/",
        {"comment": ""},
        content_type="application/json",
    )
    assert returned.status_code == 400  # returning needs a comment
    client.post(
        f"/api/v1/measurements/{measurement_id}/return/",
        {"comment": "Attach the list of SMEs."},
        content_type="application/json",
    )
    assert Measurement.objects.get().status == "returned"
    client.force_login(world.manager_a)
    report(client, kpi, value="8", evidence_url="https://example.org/list.pdf")
    client.force_login(world.coord_a)
    assert client.post(f"/api/v1/measurements/{measurement_id}/approve/").status_code == 200
    assert current(kpi) == 8


def test_a_correction_keeps_the_old_value_and_its_reason(client, world, plan):
    kpi = plan["kpi"]
    client.force_login(world.coord_a)
    measurement_id = report(client, kpi, value="5").json()["id"]
    client.post(f"/api/v1/measurements/{measurement_id}/approve/")
    refused = report(client, kpi, value="6")
    assert refused.status_code == 400
    assert "say why it is corrected" in str(refused.json()["errors"])
    corrected = report(client, kpi, value="6", reason="Two SMEs were counted twice.")
    assert corrected.status_code == 201
    assert corrected.json()["status"] == "submitted"
    revision = MeasurementRevision.objects.get()
    assert (revision.old_value, revision.new_value) == (5, 6)
    assert revision.reason == "Two SMEs were counted twice."
    assert current(kpi) is None  # the corrected value waits for approval again


def test_a_locked_period_refuses_api_and_page_writes(client, world, plan):
    kpi = plan["kpi"]
    client.force_login(world.coord_a)
    measurement_id = report(client, kpi, Q1).json()["id"]
    client.post(
        reverse("strategy:reporting", args=[world.a.pk]), {"period_end": Q2, "action": "lock"}
    )
    assert PeriodLock.objects.filter(period_end=date(2025, 6, 30)).exists()
    message = "The period ending 2025-03-31 is locked"
    response = report(client, kpi, Q1, value="9")
    assert response.status_code == 400 and message in str(response.json())
    approve = client.post(f"/api/v1/measurements/{measurement_id}/approve/")
    assert approve.status_code == 400
    page = client.post(
        reverse("strategy:kpi_report", args=[kpi.pk]), {"period_end": Q1, "value": "9"}
    )
    assert message in page.content.decode()
    assert Measurement.objects.get().value == 5
    # A later period is still open.
    assert report(client, kpi, "2025-09-30", value="3").status_code == 201


def test_a_manager_reports_only_the_kpis_their_cluster_is_responsible_for(client, world, plan):
    kpi = plan["kpi"]
    kpi.responsible = plan["coordinator_partner"]
    kpi.save()
    client.force_login(world.manager_a)
    assert report(client, kpi).status_code == 403
    client.force_login(world.manager_x)  # not even in the partnership: the KPI is not there
    response = report(client, kpi)
    assert response.status_code == 400 and "kpi" in response.json()["errors"]
    assert not Measurement.objects.exists()


def test_periods_must_be_real_and_over(client, world, plan):
    client.force_login(world.coord_a)
    assert "Not a reporting period" in str(report(client, plan["kpi"], "2025-04-15").json())
    assert "not ended yet" in str(report(client, plan["kpi"], "2027-03-31").json())


def test_bulk_measurements_with_one_bad_row_write_nothing(client, world, plan):
    kpi = plan["kpi"]
    client.force_login(world.coord_a)
    rows = [
        {"kpi": kpi.pk, "period_end": p, "value": "2"}
        for p in ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]
    ]
    rows[2]["value"] = "lots"
    response = client.post("/api/v1/measurements/bulk/", rows, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["rows"] == [
        {"index": 2, "field": "value", "message": "Enter a number."}
    ]
    assert not Measurement.objects.exists()
    rows[2]["value"] = "3"
    response = client.post("/api/v1/measurements/bulk/", rows, content_type="application/json")
    assert response.status_code == 201
    assert Measurement.objects.count() == 4


def test_completeness_shows_who_reported_and_who_is_late(client, world, plan):
    client.force_login(world.manager_a)
    report(client, plan["kpi"], "2026-06-30")
    client.force_login(world.coord_a)
    page = client.get(reverse("strategy:reporting", args=[world.a.pk]))
    table = {row["period"]: row for row in page.context["table"]}
    assert table[date(2026, 6, 30)]["reported"] == 1
    assert table[date(2026, 3, 31)]["late"] == ["Alpha Cluster"]
    assert "Late:" in page.content.decode()


def test_strategy_pages_and_api_are_for_insiders(client, world, plan):
    urls = [
        reverse("strategy:overview", args=[world.a.pk]),
        reverse("strategy:kpi_detail", args=[plan["kpi"].pk]),
        reverse("strategy:reporting", args=[world.a.pk]),
        reverse("strategy:indicators", args=[world.a.pk]),
    ]
    for who, status in [
        ("coord_b", 404),
        ("manager_x", 404),
        ("manager_a", 200),
        ("officer", 200),
        ("coord_a", 200),
    ]:
        client.force_login(getattr(world, who))
        for url in urls:
            assert client.get(url).status_code == status, (who, url)
        api = client.get(f"/api/v1/kpis/{plan['kpi'].pk}/")
        assert api.status_code == status, who
    client.force_login(world.officer)
    assert (
        client.patch(
            f"/api/v1/kpis/{plan['kpi'].pk}/", {"name": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    client.logout()
    assert client.get("/api/v1/kpis/").status_code == 401
    assert client.get(urls[0]).status_code == 302


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


def test_frequency_cannot_strand_reported_values(client, world, plan, approved):
    approved(3)
    client.force_login(world.coord_a)
    response = client.patch(
        f"/api/v1/kpis/{plan['kpi'].pk}/", {"frequency": "annual"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "2025-03-31" in str(response.json())
    assert KPI.objects.get(pk=plan["kpi"].pk).frequency == "quarterly"


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
