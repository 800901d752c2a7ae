"""Requirement: every file the portal takes is refused by its size before it is read whole, a
member file by its rows while they are read, a workbook by how far it unpacks before it is
opened; and a member import never stays "checking" or "importing" when its work broke.

The upload points are found, not listed by hand: every form of the project with a file field,
and every API operation whose OpenAPI schema takes a file. Each must be in UPLOAD_POINTS (the
page answers) or API_FILE_FIELDS (none today: the API takes JSON rows), so a new one comes with
its caps and this sweep.
"""

import contextlib
import importlib
import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from partnerships.imports import FileError, read_table
from partnerships.models import MemberImport
from partnerships.services import member_uploads
from strategy.models import Measurement
from tests.partnerships.member_files import csv_file, good_rows

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


# --- a request body made as it is read ------------------------------------------------------


class CountingStream(io.RawIOBase):
    """A file-like body made of ``head``, then ``line`` repeated to ``size`` bytes, then
    ``tail``; made as it is read (never held whole), counting the bytes read."""

    def __init__(self, head: bytes, line: bytes, size: int, tail: bytes = b""):
        self.head, self.line, self.size, self.tail = head, line, size, tail
        self.length = len(head) + size + len(tail)
        self.position = 0
        self.block = line * max(1, (64 * 1024) // len(line))

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=0):
        self.position = offset if whence == 0 else self.length + offset
        return self.position

    def tell(self):
        return self.position

    def _byte_at(self, start: int, n: int) -> bytes:
        head, size = len(self.head), self.size
        if start < head:
            return self.head[start : start + n]
        if start < head + size:
            offset = (start - head) % len(self.block)
            return self.block[offset : offset + min(n, head + size - start)]
        return self.tail[start - head - size :][:n]

    def readinto(self, buffer):
        data = b""
        while len(data) < len(buffer) and self.position < self.length:
            piece = self._byte_at(self.position, len(buffer) - len(data))
            data += piece
            self.position += len(piece)
        buffer[: len(data)] = data
        return len(data)


BOUNDARY = "----capsweep"


def multipart(fields: dict, file_field: str, file_name: str, line: bytes, size: int, head=b""):
    """A multipart body with ``fields`` and one file of ``size`` bytes, as a CountingStream."""
    parts = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    parts += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    return CountingStream(parts + head, line, size - len(head), f"\r\n--{BOUNDARY}--\r\n".encode())


def post_stream(client, url, body: CountingStream, **extra):
    return client.generic(
        "POST",
        url,
        **{
            "wsgi.input": io.BufferedReader(body),
            "CONTENT_LENGTH": str(body.length),
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            **extra,
        },
    )


def measured(call):
    """(result, peak traced memory in bytes, seconds)."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1], time.monotonic() - started
    finally:
        tracemalloc.stop()


# --- the upload points ----------------------------------------------------------------------


@dataclass
class Point:
    url: Callable
    user: Callable
    fields: dict
    file_name: str
    message: str  # with the default caps
    stored: Callable  # what a refused upload must not have left


UPLOAD_POINTS = {
    "partnerships.forms.MemberImportForm.file": Point(
        url=lambda s: reverse("partnerships:member_import", args=[s.world.cluster_a.pk]),
        user=lambda s: s.world.manager_a,
        fields={},
        file_name="members.csv",
        message="The file is larger than 20 MB; split it into several files.",
        stored=lambda: MemberImport.objects.count(),
    ),
    "strategy.forms.ReportForm.evidence_file": Point(
        url=lambda s: reverse("strategy:kpi_report", args=[s.a.kpi.pk]),
        user=lambda s: s.world.manager_a,
        fields={"period_end": "2025-06-30", "value": "4"},
        file_name="figures.csv",
        message="The file is larger than 10 MB.",
        stored=lambda: Measurement.objects.filter(period_end="2025-06-30").count(),
    ),
}
# API operations whose request takes a file ("format: binary"): none, the API takes JSON.
API_FILE_FIELDS: set[str] = set()


def _project_forms():
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{config.name}.forms")

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    for form in set(walk(forms.BaseForm)):
        if Path(importlib.import_module(form.__module__).__file__).resolve().is_relative_to(ROOT):
            yield form


def test_every_form_with_a_file_field_is_swept():
    found = {
        f"{form.__module__}.{form.__qualname__}.{name}"
        for form in _project_forms()
        if ".venv" not in importlib.import_module(form.__module__).__file__
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    }
    assert found == set(UPLOAD_POINTS)


def _binary_fields(node, path=""):
    if isinstance(node, dict):
        if node.get("format") == "binary":
            yield path
        for key, value in node.items():
            yield from _binary_fields(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _binary_fields(value, f"{path}/{i}")


def test_every_api_operation_taking_a_file_is_swept(client, world):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert set(_binary_fields(schema.json())) == API_FILE_FIELDS


@pytest.mark.parametrize("point", sorted(UPLOAD_POINTS))
def test_an_oversized_file_is_refused_without_being_held(client, s, point):
    """25 MB, past every cap: refused with the form's message, in little memory and time."""
    spec = UPLOAD_POINTS[point]
    client.force_login(spec.user(s))
    before = spec.stored()
    body = multipart(
        spec.fields,
        point.rsplit(".", 1)[1],
        spec.file_name,
        b"Oak AG,DE\n",
        25 * MB,
        head=b"name,country\n",
    )
    page, peak, seconds = measured(lambda: post_stream(client, spec.url(s), body))
    assert page.status_code == 200
    assert spec.message in page.content.decode()
    assert spec.stored() == before
    assert peak < 10 * MB, peak
    assert seconds < 5, seconds


@pytest.mark.parametrize("point", sorted(UPLOAD_POINTS))
def test_a_file_under_the_upload_cap_but_over_its_own_is_refused(client, s, settings, point):
    settings.UPLOAD_MAX_BYTES = 20 * MB
    settings.MEMBER_IMPORT_MAX_BYTES = settings.EVIDENCE_MAX_BYTES = MB // 2
    spec = UPLOAD_POINTS[point]
    client.force_login(spec.user(s))
    before = spec.stored()
    body = multipart(
        spec.fields,
        point.rsplit(".", 1)[1],
        spec.file_name,
        b"Oak AG,DE\n",
        MB,
        head=b"name,country\n",
    )
    page = post_stream(client, spec.url(s), body)
    assert page.status_code == 200
    assert "The file is larger than 0.5 MB" in page.content.decode()
    assert spec.stored() == before


@pytest.mark.parametrize("endpoint", ["/api/v1/members/bulk/", "/api/v1/measurements/bulk/"])
def test_an_oversized_file_sent_to_the_api_gets_a_400_in_little_memory(client, s, endpoint):
    body = multipart({}, "file", "members.csv", b"Oak AG,DE\n", 25 * MB, head=b"name,country\n")
    auth = {"HTTP_AUTHORIZATION": f"Token {s.tokens['manager_a']}"}
    response, peak, seconds = measured(lambda: post_stream(client, endpoint, body, **auth))
    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert peak < 10 * MB, peak
    assert seconds < 5, seconds


def test_the_import_page_shows_its_caps(client, world, settings):
    settings.MEMBER_IMPORT_MAX_ROWS = 1234
    client.force_login(world.manager_a)
    page = client.get(reverse("partnerships:member_import", args=[world.cluster_a.pk]))
    assert "at most 20 MB and 1,234 rows" in page.content.decode()


# --- rows --------------------------------------------------------------------------------------


def upload(client, world, file):
    return client.post(
        reverse("partnerships:member_import", args=[world.cluster_a.pk]), {"file": file}
    )


def workbook(rows: int, blank_first: int = 0) -> bytes:
    book = Workbook()
    book.active.append(["name", "country"])
    for _ in range(blank_first):
        book.active.append([None, None])
    for i in range(rows):
        book.active.append([f"Firm {i}", "FR"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_row_cap_takes_the_cap_and_refuses_one_more(client, world, settings, kind):
    settings.MEMBER_IMPORT_MAX_ROWS = 100
    client.force_login(world.manager_a)

    def file(n):
        if kind == "csv":
            return csv_file(good_rows(n))
        return SimpleUploadedFile("members.xlsx", workbook(n))

    page = upload(client, world, file(101))
    assert page.status_code == 200
    assert "At most 100 rows per file." in page.content.decode()
    assert not MemberImport.objects.exists()
    assert upload(client, world, file(100)).status_code == 302
    assert MemberImport.objects.get().total_rows == 100


def test_reading_stops_at_the_row_cap(settings):
    """A 12 MB file of a million rows, with a cap of 100: refused after a few kilobytes."""
    settings.MEMBER_IMPORT_MAX_ROWS = 100
    body = CountingStream(b"name,country\n", b"Oak AG,DE\n", 12 * MB)
    upload = UploadedFile(io.BufferedReader(body, 1024), "members.csv", size=body.length)
    with pytest.raises(FileError, match=r"At most 100 rows per file\."):
        read_table(upload)
    assert body.position < 256 * 1024, body.position


def test_blank_lines_count_towards_the_cap(settings):
    settings.MEMBER_IMPORT_MAX_ROWS = 100
    body = CountingStream(b"name,country\n", b",\n", 10 * MB)
    upload = UploadedFile(io.BufferedReader(body, 1024), "members.csv", size=body.length)
    with pytest.raises(FileError, match=r"At most 100 rows per file\."):
        read_table(upload)
    assert body.position < 256 * 1024, body.position


def test_a_workbook_with_rows_far_below_its_header_is_read_quickly(settings):
    """Rows are streamed; empty rows in between count towards the cap, not padded in memory."""
    settings.MEMBER_IMPORT_MAX_ROWS = 100
    content = workbook(1, blank_first=500)
    started = time.monotonic()
    with pytest.raises(FileError, match=r"At most 100 rows per file\."):
        read_table(SimpleUploadedFile("members.xlsx", content))
    assert time.monotonic() - started < 2


# --- workbooks that unpack too far -------------------------------------------------------------


def bomb(unpacked: int) -> bytes:
    """A valid-looking workbook whose sheet is ``unpacked`` bytes of blanks (packs ~1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b" " * MB
            for _ in range(unpacked // MB):
                sheet.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize("unpacked", [200 * MB, 5 * MB], ids=["too-large", "too-tightly-packed"])
def test_a_zip_bomb_workbook_is_refused_before_it_is_opened(client, world, unpacked):
    content = bomb(unpacked)
    assert len(content) < MB
    client.force_login(world.manager_a)
    page, peak, seconds = measured(
        lambda: upload(client, world, SimpleUploadedFile("members.xlsx", content))
    )
    assert page.status_code == 200
    assert "The workbook unpacks to too much data to be read safely" in page.content.decode()
    assert not MemberImport.objects.exists()
    assert peak < 10 * MB, peak
    assert seconds < 2, seconds


def test_an_ordinary_large_workbook_is_not_taken_for_a_bomb(settings):
    settings.MEMBER_IMPORT_MAX_ROWS = 20_000
    rows = read_table(SimpleUploadedFile("members.xlsx", workbook(20_000)))
    assert len(rows) == 20_000


# --- imports never stuck -----------------------------------------------------------------------


def _boom(*args, **kwargs):
    raise RuntimeError("a bug")


CRASHED = "an unexpected error stopped the work. Nothing was written."
STALLED = "The work on this file stopped before it finished"


@pytest.mark.parametrize("by_worker", [False, True], ids=["at-once", "by-the-worker"])
def test_an_import_whose_check_crashes_ends_failed_with_its_message(
    client, world, settings, monkeypatch, django_capture_on_commit_callbacks, by_worker
):
    settings.MEMBER_IMPORT_ASYNC_ROWS = 1 if by_worker else 1000
    monkeypatch.setattr(member_uploads, "plan_import", _boom)
    client.force_login(world.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world, csv_file(good_rows(5)))
    assert response.status_code == 302
    member_import = MemberImport.objects.get()
    assert member_import.status == "failed"
    page = client.get(response.url).content.decode()
    assert "Import failed" in page and CRASHED in page
    status = client.get(reverse("partnerships:member_import_status", args=[member_import.pk]))
    assert status.json()["finished"] is True
    assert client.post(response.url, {"action": "discard"}).status_code == 302
    assert not MemberImport.objects.exists()


def test_an_import_whose_write_crashes_ends_failed_and_writes_nothing(client, world, monkeypatch):
    from partnerships.models import Member

    client.force_login(world.manager_a)
    response = upload(client, world, csv_file(good_rows(5)))
    monkeypatch.setattr(member_uploads, "apply_plan", _boom)
    client.post(response.url, {"action": "confirm"})
    assert MemberImport.objects.get().status == "failed"
    assert CRASHED in client.get(response.url).content.decode()
    assert not Member.objects.filter(name__startswith="Firm ").exists()


@pytest.mark.parametrize("stage", ["validating", "importing"])
def test_a_stalled_import_shows_failed_can_be_discarded_and_is_marked_by_the_purge(
    client, world, stage
):
    long_ago = timezone.now() - timedelta(hours=2)
    stalled = MemberImport.objects.create(
        cluster=world.cluster_a, file_name="stuck.csv", status=stage, stage_started_at=long_ago
    )
    fresh = MemberImport.objects.create(cluster=world.cluster_a, file_name="new.csv", status=stage)
    client.force_login(world.manager_a)
    page = client.get(stalled.get_absolute_url()).content.decode()
    assert "Import failed" in page and STALLED in page
    status = client.get(reverse("partnerships:member_import_status", args=[stalled.pk])).json()
    assert (status["status"], status["finished"]) == ("failed", True)
    assert client.get(fresh.get_absolute_url()).content.decode().count(STALLED) == 0
    stalled.refresh_from_db()
    assert stalled.status == stage  # the page wrote nothing

    assert member_uploads.import_purge() == 0
    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert stalled.status == "failed" and STALLED in stalled.errors[0]["message"]
    assert fresh.status == stage
    assert client.post(stalled.get_absolute_url(), {"action": "discard"}).status_code == 302
    assert not MemberImport.objects.filter(pk=stalled.pk).exists()
    client.post(fresh.get_absolute_url(), {"action": "discard"})
    assert MemberImport.objects.filter(pk=fresh.pk).exists()  # still at work: kept


def test_a_check_given_up_meanwhile_keeps_its_failed_state(world, monkeypatch):
    """The purge marked it failed while the check ran: the late result does not undo that."""
    member_import = MemberImport.objects.create(
        cluster=world.cluster_a, file_name="slow.csv", rows=[{"name": "A", "country": "FR"}]
    )
    real = member_uploads.plan_import

    def slow_plan(cluster, rows):
        MemberImport.objects.filter(pk=member_import.pk).update(status="failed")
        return real(cluster, rows)

    monkeypatch.setattr(member_uploads, "plan_import", slow_plan)
    assert member_uploads.import_validate(member_import.pk).status == "failed"


def test_an_import_confirmed_long_after_its_check_is_not_stalled(world):
    member_import = MemberImport.objects.create(
        cluster=world.cluster_a,
        file_name="later.csv",
        status="ready",
        uploaded_by=world.manager_a,
        stage_started_at=timezone.now() - timedelta(days=2),
    )
    confirmed = member_uploads.import_confirm(actor=world.manager_a, member_import=member_import)
    assert confirmed.status == "importing" and not confirmed.stalled


def test_a_file_past_the_upload_cap_is_not_kept(rf, settings):
    """The first upload handler stops keeping a file past UPLOAD_MAX_BYTES: the form gets its
    name and size only, and the fields after it still arrive."""
    from escp_portal.uploads import OversizedUpload

    settings.UPLOAD_MAX_BYTES = MB
    body = multipart({"before": "1"}, "file", "big.csv", b"Oak AG,DE\n", 3 * MB)
    body.tail = f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="after"\r\n\r\n2\r\n'
    body.tail = (body.tail + f"--{BOUNDARY}--\r\n").encode()
    body.length = len(body.head) + body.size + len(body.tail)
    request = rf.generic(
        "POST",
        "/",
        **{
            "wsgi.input": io.BufferedReader(body),
            "CONTENT_LENGTH": str(body.length),
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        },
    )
    file = request.FILES["file"]
    assert isinstance(file, OversizedUpload)
    assert file.size == 3 * MB and file.read() == b""
    assert (request.POST["before"], request.POST["after"]) == ("1", "2")
