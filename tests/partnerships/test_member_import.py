"""Member files imported: checked first (a preview naming each bad cell by its line), written
only when confirmed, every row or none; large files by the worker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import Member, MemberImport
from tests.partnerships.member_files import csv_file, good_rows, raw_upload, upload

pytestmark = pytest.mark.django_db


def test_import_with_one_bad_row_in_1000_writes_nothing_and_names_it(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.manager_a)
    rows = good_rows(1000)
    rows[736]["country"] = "XQ"
    with django_capture_on_commit_callbacks(execute=True):  # a file this size goes to the worker
        response = upload(client, world.cluster_a, csv_file(rows))
    member_import = MemberImport.objects.get()
    assert response.url == member_import.get_absolute_url()
    assert member_import.status == "invalid"
    assert member_import.errors == [
        {"row": 738, "field": "country", "message": "XQ is not an ISO country code."}
    ]
    page = client.get(response.url).content.decode()
    assert "738" in page and "XQ is not an ISO country code." in page
    assert "Confirm the import" not in page
    assert Member.objects.count() == 0
    # Confirming an invalid import is refused too.
    client.post(response.url, {"action": "confirm"})
    assert Member.objects.count() == 0


def test_import_previews_then_writes_everything_on_confirm(client, world, members):
    client.force_login(world.manager_a)
    rows = good_rows(30) + [
        {
            "id": members["acme"].pk,
            "name": "Acme Robotics",
            "country": "DE",
            "employees": 41,
            "annual_turnover": "5000000",
            "nace_code": "2899",
            "competences": "Robotics",
            "export_markets": "US; CN",
            "contact_email": "ada@acme.example",
        },
        {"name": "bigco", "country": "DE", "employees": 950, "nace_code": "62.01"},
    ]
    response = upload(client, world.cluster_a, csv_file(rows))
    preview = client.get(response.url)
    assert preview.context["counts"] == {"create": 30, "update": 2, "unchanged": 0}
    assert Member.objects.count() == 3  # nothing written yet
    client.post(response.url, {"action": "confirm"})
    assert MemberImport.objects.get().status == "done"
    assert Member.objects.filter(memberships__cluster=world.cluster_a).count() == 32
    members["acme"].refresh_from_db()
    members["big"].refresh_from_db()
    assert members["acme"].employees == 41 and members["big"].employees == 950
    firm = Member.objects.get(name="Firm 0007")
    assert sorted(c.name for c in firm.competences.all()) == ["AI", "Robotics"]
    assert firm.is_sme is True and [c.code for c in firm.export_markets] == ["CA", "US"]


def test_duplicates_in_the_file_are_named(client, world):
    client.force_login(world.manager_a)
    rows = good_rows(3) + [{"name": "FIRM 0001", "country": "FR"}]
    upload(client, world.cluster_a, csv_file(rows))
    assert MemberImport.objects.get().errors == [
        {"row": 5, "field": "name", "message": "Duplicate of row 3 (same name and country)."}
    ]


@pytest.mark.parametrize(
    ("cell", "field", "message"),
    [
        ({"nace_code": "99.99"}, "nace_code", "99.99 is not a NACE Rev. 2 code (e.g. 62.01)."),
        ({"employees": "many"}, "employees", "Enter a whole number."),
        (
            {"annual_turnover": "1,5"},
            "annual_turnover",
            "Use digits and a dot for decimals, without thousands separators.",
        ),
        ({"employees": "-3"}, "employees", "Ensure this value is greater than or equal to 0."),
        ({"id": "999999"}, "id", "No member with id 999999 in this cluster."),
        ({"name": ""}, "name", "This field cannot be blank."),
    ],
)
def test_each_bad_cell_gets_a_message(client, world, cell, field, message):
    client.force_login(world.manager_a)
    row = {**good_rows(1)[0], **cell}
    upload(client, world.cluster_a, csv_file([row]))
    errors = MemberImport.objects.get().errors
    assert {"row": 2, "field": field, "message": message} in errors


def test_unreadable_files_are_refused_with_a_message(client, world):
    client.force_login(world.manager_a)
    bad = SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not really a workbook")
    page = upload(client, world.cluster_a, bad)
    assert page.status_code == 200
    assert "could not be read as CSV or Excel" in page.content.decode()
    wrong = SimpleUploadedFile("x.csv", b"firm,land\nA,DE\n")
    assert "Unknown columns: firm, land" in upload(client, world.cluster_a, wrong).content.decode()
    assert not MemberImport.objects.exists()


def test_large_files_are_checked_and_written_by_the_task(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.MEMBER_IMPORT_ASYNC_ROWS = 10
    client.force_login(world.manager_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, world.cluster_a, csv_file(good_rows(25)))
    assert len(callbacks) == 1
    status = client.get(
        reverse("partnerships:member_import_status", args=[MemberImport.objects.get().pk])
    )
    assert status.json()["status"] == "ready"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(response.url, {"action": "confirm"})
    assert len(callbacks) == 1
    assert status.json() and MemberImport.objects.get().status == "done"
    assert Member.objects.count() == 25


def test_stale_uploads_are_purged_but_done_imports_kept(world):
    from datetime import timedelta

    from django.utils import timezone

    from partnerships.services.member_uploads import import_purge

    old = timezone.now() - timedelta(days=40)
    for status in ("ready", "invalid", "done"):
        MemberImport.objects.create(cluster=world.cluster_a, file_name=status, status=status)
    MemberImport.objects.update(created_at=old)
    MemberImport.objects.create(cluster=world.cluster_a, file_name="fresh", status="ready")
    assert import_purge() == 2
    assert set(MemberImport.objects.values_list("file_name", flat=True)) == {"done", "fresh"}


def test_file_problems_get_messages_not_errors(client, world):
    client.force_login(world.manager_a)
    cases = {
        b"name,country,city\nH,FR," + b"B" * 200_000 + b"\n": "could not be read as CSV",
        b"name,country,name\nFirst,FR,Second\n": "Columns appear twice: name.",
        b"name,country\n": "a header but no rows",
        b"name,country\nA,FR,stray\n": "Line 2 has a value in a column without a header.",
    }
    for content, message in cases.items():
        page = raw_upload(client, world.cluster_a, content)
        assert page.status_code == 200
        assert message in page.content.decode(), message
    assert not MemberImport.objects.exists()


def test_errors_name_the_line_of_the_file_even_after_blank_lines(client, world):
    client.force_login(world.manager_a)
    raw_upload(client, world.cluster_a, b"name,country\n\n\nGood,FR\n\nBad,XX\n")
    assert MemberImport.objects.get().errors == [
        {"row": 6, "field": "country", "message": "XX is not an ISO country code."}
    ]


def test_control_characters_are_refused_everywhere(client, world, members):
    client.force_login(world.manager_a)
    raw_upload(client, world.cluster_a, b"name,country\nCtrl\x01Char,FR\n")
    assert MemberImport.objects.get().errors[0]["field"] == "name"
    response = client.post(
        "/api/v1/members/",
        {"name": "Nul\u0000Co", "country": "FR", "cluster": world.cluster_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert (
        client.post(
            "/api/v1/members/bulk/",
            {"cluster": world.cluster_a.pk, "rows": [{"name": "Nul\u0000Co", "country": "FR"}]},
            content_type="application/json",
        ).status_code
        == 400
    )


def test_a_done_import_cannot_be_discarded(client, world):
    client.force_login(world.manager_a)
    response = upload(client, world.cluster_a, csv_file(good_rows(2)))
    client.post(response.url, {"action": "confirm"})
    client.post(response.url, {"action": "discard"})
    assert MemberImport.objects.get().status == "done"
