"""Requirement: uploaded files are checked by type and size and never served from a guessable
public path.

Two places take files: the KPI evidence (stored, downloaded through the evidence view) and the
member import (read into rows, never stored). The API takes no files: the bulk member and
measurement endpoints take JSON rows.
"""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import Resolver404, resolve, reverse
from openpyxl import Workbook

from partnerships.models import MemberImport
from strategy.models import Measurement

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def xlsx(rows=(("name", "country"), ("Oak AG", "DE"))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def test_the_evidence_file_is_the_only_file_field():
    """A new upload point must come with its checks: this test names every one."""
    fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    # A correction's revision keeps the name of the file the value had (stored through the
    # measurement's upload, with its checks): nothing is ever uploaded into it.
    assert fields == {
        "strategy.Measurement.evidence_file",
        "strategy.MeasurementRevision.old_evidence_file",
    }


# --- KPI evidence --------------------------------------------------------------------------------


def report(client, kpi, upload, period="2025-06-30"):
    return client.post(
        reverse("strategy:kpi_report", args=[kpi.pk]),
        {"period_end": period, "value": "4", "evidence_file": upload},
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", b"just some text, renamed", "PDF"),
        ("report.pdf", PNG, "PDF"),
        ("photo.png", PDF, "PNG"),
        ("photo.jpg", b"GIF89a....", "JPEG"),
        ("figures.xlsx", b"name,country\nOak,DE\n", "Excel (.xlsx)"),
        ("figures.xlsx", plain_zip(), "Excel (.xlsx)"),
        ("letter.docx", xlsx(), "Word (.docx)"),
        ("figures.csv", PDF, "CSV"),
        ("figures.csv", PNG, "CSV"),
        ("notes.txt", b"\x00\x01\x02binary", "text"),
        ("old.xls", b"name\tcountry\n", "Excel"),
    ],
)
def test_evidence_whose_content_is_not_its_type_is_refused(client, s, name, content, kind):
    client.force_login(s.world.manager_a)
    page = report(client, s.a.kpi, SimpleUploadedFile(name, content))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"The file&#x27;s content is not {kind}" in text, text[:2000]
    assert not Measurement.objects.filter(period_end="2025-06-30").exists()


def test_evidence_of_another_type_is_refused_by_its_extension(client, s):
    client.force_login(s.world.manager_a)
    page = report(client, s.a.kpi, SimpleUploadedFile("page.html", b"<script>alert(1)</script>"))
    assert "File extension" in page.content.decode()
    assert not Measurement.objects.filter(period_end="2025-06-30").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", PDF),
        ("figures.xlsx", xlsx()),
        ("figures.csv", "name;country\nÖl GmbH;DE\n".encode("cp1252")),
        ("notes.txt", "Zählung: 4 Firmen\n".encode()),
        ("photo.png", PNG),
    ],
)
def test_evidence_of_the_named_type_is_accepted(client, s, name, content):
    client.force_login(s.world.manager_a)
    assert report(client, s.a.kpi, SimpleUploadedFile(name, content)).status_code == 302
    stored = Measurement.objects.get(period_end="2025-06-30").evidence_file
    with stored.open("rb") as file:
        assert file.read() == content


def test_oversized_evidence_is_refused_with_a_message(client, s):
    client.force_login(s.world.manager_a)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    page = report(client, s.a.kpi, big)
    assert page.status_code == 200
    assert "The file is larger than 10 MB." in page.content.decode()
    assert not Measurement.objects.filter(period_end="2025-06-30").exists()


def test_evidence_is_stored_under_a_name_that_cannot_be_guessed(client, s):
    client.force_login(s.world.manager_a)
    report(client, s.a.kpi, SimpleUploadedFile("list.pdf", PDF), period="2025-06-30")
    report(client, s.a.kpi, SimpleUploadedFile("list.pdf", PDF), period="2025-09-30")
    names = [m.evidence_file.name for m in Measurement.objects.exclude(evidence_file="")]
    assert len(names) == 2
    pattern = re.compile(r"^evidence/\d{4}/[A-Za-z0-9_-]{22}/list\.pdf$")
    assert all(pattern.match(name) for name in names), names
    # A random folder of 16 bytes (128 bits) each time: not the upload's name, not a counter.
    folders = {name.rsplit("/", 2)[1] for name in names}
    assert len(folders) == 2


def test_evidence_is_not_served_from_a_public_url(client, s):
    client.force_login(s.world.manager_a)
    report(client, s.a.kpi, SimpleUploadedFile("list.pdf", PDF))
    name = Measurement.objects.get(period_end="2025-06-30").evidence_file.name
    public = settings.MEDIA_URL + name
    with pytest.raises(Resolver404):
        resolve(public)
    assert client.get(public).status_code == 404
    client.logout()
    assert client.get(public).status_code == 404
    # Media files are kept apart from the static files the site serves.
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        static = Path(static).resolve()
        assert not media.is_relative_to(static) and not static.is_relative_to(media)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager_a", 200),  # who reported it
        ("coord_a", 200),  # the partnership's coordinator
        ("coord_b", 404),  # another partnership's coordinator
        ("manager_x", 404),  # a cluster in neither partnership
    ],
)
def test_evidence_downloads_follow_the_access_policy(client, s, role, status):
    client.force_login(s.world.manager_a)
    report(client, s.a.kpi, SimpleUploadedFile("list.pdf", PDF))
    measurement = Measurement.objects.get(period_end="2025-06-30")
    client.force_login(getattr(s.world, role))
    response = client.get(reverse("strategy:evidence", args=[measurement.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="list.pdf"'
        assert response["Content-Type"] == "application/octet-stream"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_evidence_download_needs_a_login(client, s):
    client.force_login(s.world.manager_a)
    report(client, s.a.kpi, SimpleUploadedFile("list.pdf", PDF))
    measurement = Measurement.objects.get(period_end="2025-06-30")
    client.logout()
    response = client.get(reverse("strategy:evidence", args=[measurement.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- member import -------------------------------------------------------------------------------


def upload(client, world, name, content):
    return client.post(
        reverse("partnerships:member_import", args=[world.cluster_a.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("members.pdf", PDF, "Upload a CSV or Excel (.xlsx) file, named .csv or .xlsx."),
        ("members", b"name,country\nOak,DE\n", "Upload a CSV or Excel (.xlsx) file"),
        ("members.csv", PDF, "The file is named .csv but is not text"),
        ("members.csv", xlsx(), "The file is named .csv but is not text"),
        ("members.csv", PNG, "The file is named .csv but is not text"),
        ("members.xlsx", b"name,country\nOak,DE\n", "it is not an Excel workbook"),
        ("members.xlsx", plain_zip(), "it is not an Excel workbook"),
        ("members.csv", b"name,country\nO\x00ak,DE\n", "could not be read as CSV or Excel"),
    ],
)
def test_member_files_whose_content_is_not_their_type_are_refused(
    client, world, name, content, message
):
    client.force_login(world.manager_a)
    page = upload(client, world, name, content)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not MemberImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("members.csv", b"name,country\nOak AG,DE\n"), ("members.xlsx", xlsx())],
)
def test_member_files_of_their_type_are_read(client, world, name, content):
    client.force_login(world.manager_a)
    assert upload(client, world, name, content).status_code == 302
    assert MemberImport.objects.get().rows[0]["name"] == "Oak AG"


def test_oversized_member_files_are_refused_with_a_message(client, world, settings):
    settings.MEMBER_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(world.manager_a)
    content = b"name,country\n" + b"Oak AG,DE\n" * 120_000
    page = upload(client, world, "members.csv", content)
    assert page.status_code == 200
    assert "The file is larger than 1 MB; split it into several files." in page.content.decode()
    assert not MemberImport.objects.exists()


def test_member_files_are_not_stored(client, world):
    """The rows are read from the upload and kept with the import until it is applied; the file
    itself is never written anywhere, so no URL can serve it."""
    before = default_storage.listdir("")
    client.force_login(world.manager_a)
    assert upload(client, world, "members.csv", b"name,country\nOak AG,DE\n").status_code == 302
    assert default_storage.listdir("") == before
    fields = {f.name for f in MemberImport._meta.get_fields()}
    assert not any(isinstance(f, models.FileField) for f in MemberImport._meta.get_fields())
    assert "file_name" in fields  # only the name, for the record


def test_the_api_takes_no_files(client, s):
    """The measurement endpoint has no file field: a file sent with a value is not stored."""
    response = client.post(
        "/api/v1/measurements/",
        {
            "kpi": s.a.kpi.pk,
            "period_end": "2025-06-30",
            "value": "4",
            "evidence_file": SimpleUploadedFile("list.pdf", PDF),
        },
        HTTP_AUTHORIZATION=f"Token {s.tokens['manager_a']}",
    )
    assert response.status_code == 201, response.content
    assert "evidence_file" not in response.json()
    assert not Measurement.objects.get(period_end="2025-06-30").evidence_file
