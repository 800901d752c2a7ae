"""Correcting an approved value keeps the note and evidence it was approved with, shown in the
KPI page's history (issue #20, "Numbers that mean what they say")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from strategy.models import Measurement, MeasurementRevision

pytestmark = pytest.mark.django_db


def report_page(client, kpi, **data):
    return client.post(
        reverse("strategy:kpi_report", args=[kpi.pk]), {"period_end": "2025-03-31", **data}
    )


def test_a_correction_keeps_the_approved_note_and_evidence(client, world, plan):
    kpi = plan["kpi"]
    client.force_login(world.manager_a)
    report_page(
        client,
        kpi,
        value="5",
        note="Counted from the signed attendance list.",
        evidence_url="https://example.org/attendance",
        evidence_file=SimpleUploadedFile("attendance.pdf", b"%PDF-1.4 first list"),
    )
    measurement = Measurement.objects.get()
    client.force_login(world.coord_a)
    assert client.post(f"/api/v1/measurements/{measurement.pk}/approve/").status_code == 200
    client.force_login(world.manager_a)
    report_page(
        client,
        kpi,
        value="6",
        note="One more SME found in the second list.",
        evidence_url="https://example.org/second",
        evidence_file=SimpleUploadedFile("second.pdf", b"%PDF-1.4 second list"),
        reason="A participant was missing.",
    )
    revision = MeasurementRevision.objects.get()
    assert revision.old_note == "Counted from the signed attendance list."
    assert revision.old_evidence_url == "https://example.org/attendance"
    assert revision.old_evidence_file.name.endswith("attendance.pdf")
    measurement.refresh_from_db()
    assert measurement.note.startswith("One more SME")
    assert measurement.evidence_file.name.endswith("second.pdf")

    page = client.get(reverse("strategy:kpi_detail", args=[kpi.pk])).content.decode()
    assert "Counted from the signed attendance list." in page
    assert "https://example.org/attendance" in page
    earlier = reverse("strategy:evidence", args=[measurement.pk]) + f"?revision={revision.pk}"
    assert earlier in page
    download = client.get(earlier)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 first list"
    current = client.get(reverse("strategy:evidence", args=[measurement.pk]))
    assert b"".join(current.streaming_content) == b"%PDF-1.4 second list"
    # Another's id, a malformed one, or no such correction: not found.
    for bad in ("999999", "x", "1" * 40):
        assert client.get(earlier.split("?")[0] + f"?revision={bad}").status_code == 404
    history = client.get(f"/api/v1/measurements/{measurement.pk}/").json()["revisions"]
    assert history[0]["old_note"] == "Counted from the signed attendance list."
    assert history[0]["has_old_evidence_file"] is True


def test_earlier_evidence_is_for_insiders_only(client, world, plan):
    kpi = plan["kpi"]
    client.force_login(world.manager_a)
    report_page(
        client,
        kpi,
        value="5",
        evidence_file=SimpleUploadedFile("attendance.pdf", b"%PDF-1.4 first list"),
    )
    measurement = Measurement.objects.get()
    client.force_login(world.coord_a)
    client.post(f"/api/v1/measurements/{measurement.pk}/approve/")
    report_page(client, kpi, value="7", reason="Typo.")
    revision = MeasurementRevision.objects.get()
    url = reverse("strategy:evidence", args=[measurement.pk]) + f"?revision={revision.pk}"
    assert client.get(url).status_code == 200
    client.force_login(world.coord_b)
    assert client.get(url).status_code == 404
