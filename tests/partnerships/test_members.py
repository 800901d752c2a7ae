import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from partnerships.models import ClusterMembership, Member, MemberImport
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(world):
    """Two members of cluster_a (a partner of A), one of cluster_b (the coordinator of B)."""
    acme = factories.member(
        world.cluster_a,
        "Acme Robotics",
        "DE",
        employees=40,
        annual_turnover=Decimal("5000000"),
        nace_code="28.99",
        contact_name="Ada Muster",
        contact_email="ada@acme.example",
        export_markets=["US", "CN"],
    )
    acme.competences.add(factories_competence("Robotics"))
    big = factories.member(world.cluster_a, "Bigco", "DE", employees=900, nace_code="62.01")
    beta = factories.member(world.cluster_b, "Beta Foods", "IT", employees=12, nace_code="10.85")
    return {"acme": acme, "big": big, "beta": beta}


def factories_competence(name):
    from partnerships.models import Competence

    return Competence.objects.get_or_create(name=name, slug=name.lower())[0]


def member_pages(member, cluster):
    return [
        ("get", reverse("partnerships:member_list", args=[cluster.pk])),
        ("get", reverse("partnerships:member_export", args=[cluster.pk, "csv"])),
        ("get", reverse("partnerships:member_export", args=[cluster.pk, "xlsx"])),
        ("get", reverse("partnerships:member_detail", args=[member.pk])),
        ("get", reverse("partnerships:member_edit", args=[member.pk])),
        ("get", reverse("partnerships:member_erase", args=[member.pk])),
        ("post", reverse("partnerships:member_erase", args=[member.pk])),
        ("get", reverse("partnerships:member_personal_data", args=[member.pk])),
        ("post", reverse("partnerships:member_remove", args=[member.pk])),
    ]


@pytest.mark.parametrize("who", ["manager_x", "coord_b", "officer"])
def test_others_cannot_see_or_touch_a_clusters_members(client, world, members, who):
    client.force_login(getattr(world, who))
    acme = members["acme"]
    for method, url in member_pages(acme, world.cluster_a):
        response = getattr(client, method)(url, {"cluster": world.cluster_a.pk})
        assert response.status_code == 404, (method, url)
    api = f"/api/v1/members/{acme.pk}/"
    assert client.get(api).status_code == 404
    assert client.patch(api, {"name": "X"}, content_type="application/json").status_code == 404
    assert client.delete(api).status_code == 404
    assert client.post(api + "erase/").status_code == 404
    assert client.get(api + "personal-data/").status_code == 404
    listed = client.get("/api/v1/members/", {"cluster": world.cluster_a.pk}).json()
    assert listed["count"] == 0
    acme.refresh_from_db()
    assert acme.name == "Acme Robotics" and acme.erased_at is None


def test_anonymous_sees_no_member_data(client, world, members):
    assert client.get("/api/v1/members/").status_code == 401
    page = client.get(reverse("partnerships:member_list", args=[world.cluster_a.pk]))
    assert page.status_code == 302
    cluster_page = client.get(world.cluster_a.get_absolute_url()).content.decode()
    assert "Members in figures" not in cluster_page


def test_manager_sees_and_edits_own_members_only(client, world, members):
    client.force_login(world.manager_a)
    listed = client.get("/api/v1/members/").json()
    assert {m["name"] for m in listed["results"]} == {"Acme Robotics", "Bigco"}
    acme = next(m for m in listed["results"] if m["name"] == "Acme Robotics")
    assert acme["contact_email"] == "ada@acme.example"
    assert acme["is_sme"] is True and acme["size_class"] == "small"
    assert acme["competences"] == ["Robotics"] and acme["export_markets"] == ["CN", "US"]
    response = client.patch(
        f"/api/v1/members/{members['acme'].pk}/",
        {"employees": 300},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["is_sme"] is False  # derived, not typed in
    refused = client.patch(
        f"/api/v1/members/{members['acme'].pk}/", {"is_sme": True}, content_type="application/json"
    )
    assert refused.json()["is_sme"] is False


def test_coordinator_sees_partner_members_with_contacts_only_if_shared(client, world, members):
    client.force_login(world.coord_a)
    data = client.get(f"/api/v1/members/{members['acme'].pk}/").json()
    assert data["contact_email"] == "ada@acme.example"
    assert client.get(f"/api/v1/members/{members['beta'].pk}/").status_code == 404
    world.cluster_a.share_member_contacts = False
    world.cluster_a.save()
    data = client.get(f"/api/v1/members/{members['acme'].pk}/").json()
    assert data["contact_email"] is None and data["name"] == "Acme Robotics"
    page = client.get(reverse("partnerships:member_detail", args=[members["acme"].pk]))
    assert "ada@acme.example" not in page.content.decode()
    exported = client.get(reverse("partnerships:member_export", args=[world.cluster_a.pk, "csv"]))
    assert b"ada@acme.example" not in exported.content
    # Coordinators read; they do not edit.
    assert (
        client.patch(
            f"/api/v1/members/{members['acme'].pk}/", {"city": "X"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_officer_sees_figures_not_names(client, world, members):
    client.force_login(world.officer)
    page = client.get(world.cluster_a.get_absolute_url()).content.decode()
    assert "Members in figures" in page and "2 members" in page and "of which 1 SMEs" in page
    assert "Acme Robotics" not in page
    assert client.get("/api/v1/members/").json()["count"] == 0


def test_member_filters(client, world, members):
    client.force_login(world.manager_a)

    def names(query):
        response = client.get("/api/v1/members/?" + query)
        assert response.status_code == 200, response.content
        return {m["name"] for m in response.json()["results"]}

    assert names("sme=true") == {"Acme Robotics"}
    assert names("sme=false") == {"Bigco"}
    assert names("sector=C") == {"Acme Robotics"}
    assert names("sector=62") == {"Bigco"}
    assert names("competence=robotics") == {"Acme Robotics"}
    assert names("export_market=CN") == {"Acme Robotics"}
    assert names("q=robot") == {"Acme Robotics"}
    assert names(f"partnership={world.a.pk}") == {"Acme Robotics", "Bigco"}
    assert client.get("/api/v1/members/?sector=ZZ").status_code == 400
    page = client.get(
        reverse("partnerships:member_list", args=[world.cluster_a.pk]), {"sector": "ZZ"}
    )
    assert "Enter a NACE section letter" in page.content.decode()


def csv_file(rows, name="members.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [
        "id",
        "name",
        "kind",
        "country",
        "nace_code",
        "employees",
        "annual_turnover",
        "competences",
        "export_markets",
        "contact_email",
    ]
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def upload(client, cluster, file):
    return client.post(reverse("partnerships:member_import", args=[cluster.pk]), {"file": file})


def good_rows(n):
    return [
        {
            "name": f"Firm {i:04d}",
            "country": "FR",
            "nace_code": "62.01",
            "employees": i % 400,
            "annual_turnover": "1200000.50",
            "competences": "AI; Robotics",
            "export_markets": "US;CA",
        }
        for i in range(n)
    ]


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


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_export_changes_nothing(client, world, members, fmt):
    client.force_login(world.manager_a)
    ClusterMembership.objects.filter(member=members["acme"]).update(joined_on="2020-05-01")
    before = {m.pk: m.updated_at for m in Member.objects.all()}
    exported = client.get(reverse("partnerships:member_export", args=[world.cluster_a.pk, fmt]))
    assert exported.status_code == 200
    file = SimpleUploadedFile(f"export.{fmt}", exported.content)
    response = upload(client, world.cluster_a, file)
    member_import = MemberImport.objects.get()
    assert member_import.status == "ready", member_import.errors
    assert client.get(response.url).context["counts"] == {"create": 0, "update": 0, "unchanged": 2}
    client.post(response.url, {"action": "confirm"})
    assert {m.pk: m.updated_at for m in Member.objects.all()} == before
    assert Member.objects.count() == 3


def test_template_has_the_import_columns(client, world):
    client.force_login(world.manager_a)
    response = client.get(
        reverse("partnerships:member_template", args=[world.cluster_a.pk, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["id", "name", "kind", "country"] and "is_sme" in header
    client.force_login(world.coord_a)  # coordinators read members, they do not import
    assert (
        client.get(
            reverse("partnerships:member_template", args=[world.cluster_a.pk, "csv"])
        ).status_code
        == 404
    )


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


def test_bulk_api_is_atomic_with_row_errors(client, world, members):
    client.force_login(world.manager_a)
    rows = [{"name": f"Api firm {i}", "country": "ES", "employees": "5"} for i in range(50)]
    rows[17]["founded_year"] = "17"
    rows[30]["country"] = "Spain"
    response = client.post(
        "/api/v1/members/bulk/",
        {"cluster": world.cluster_a.pk, "rows": rows},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]["rows"]
    assert {(e["index"], e["field"]) for e in errors} == {(17, "founded_year"), (30, "country")}
    assert not Member.objects.filter(name__startswith="Api firm").exists()
    del rows[17]["founded_year"]
    rows[30]["country"] = "ES"
    response = client.post(
        "/api/v1/members/bulk/",
        {"cluster": world.cluster_a.pk, "rows": rows},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["create"] == 50
    again = client.post(
        "/api/v1/members/bulk/",
        {"cluster": world.cluster_a.pk, "rows": rows},
        content_type="application/json",
    )
    assert again.json()["unchanged"] == 50
    assert Member.objects.filter(name__startswith="Api firm").count() == 50


def test_bulk_api_refuses_other_clusters(client, world):
    client.force_login(world.manager_x)
    response = client.post(
        "/api/v1/members/bulk/",
        {"cluster": world.cluster_a.pk, "rows": [{"name": "X", "country": "DE"}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Member.objects.exists()


def test_erasure_keeps_the_counts_and_drops_the_person(client, world, members):
    client.force_login(world.manager_a)
    acme = members["acme"]
    exported = client.get(reverse("partnerships:member_personal_data", args=[acme.pk])).json()
    assert exported["contact_email"] == "ada@acme.example"
    assert exported["clusters"][0]["cluster"] == "Alpha Cluster"
    figures_before = client.get(world.cluster_a.get_absolute_url()).context["figures"]
    client.post(reverse("partnerships:member_erase", args=[acme.pk]))
    acme.refresh_from_db()
    assert acme.erased_at and acme.contact_email == "" and acme.name.startswith("Erased member")
    assert acme.is_sme is True and str(acme.country) == "DE"
    figures_after = client.get(world.cluster_a.get_absolute_url()).context["figures"]
    assert figures_after == figures_before
    assert client.get(reverse("partnerships:member_edit", args=[acme.pk])).status_code == 403


def test_manager_adds_edits_and_removes_a_member_on_pages(client, world):
    client.force_login(world.manager_a)
    response = client.post(
        reverse("partnerships:member_add", args=[world.cluster_a.pk]),
        {
            "name": "Page Firm",
            "kind": "enterprise",
            "country": "DE",
            "employees": "12",
            "nace_code": "6201",
            "competence_names": "Cloud; AI",
            "member_since": "2023-01-01",
        },
    )
    member = Member.objects.get(name="Page Firm")
    assert response.url == member.get_absolute_url()
    assert member.nace_code == "62.01" and member.is_sme
    bad = client.post(
        reverse("partnerships:member_edit", args=[member.pk]),
        {"name": "Page Firm", "kind": "enterprise", "country": "DE", "nuts_region": "FR10"},
    )
    assert "A NUTS code starts with the code of its country." in bad.content.decode()
    client.post(
        reverse("partnerships:member_remove", args=[member.pk]), {"cluster": world.cluster_a.pk}
    )
    assert not Member.objects.filter(pk=member.pk).exists()


def test_a_member_can_belong_to_several_clusters(client, world, members):
    from escp_portal.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=world.manager_a, role=Role.CLUSTER_MANAGER, cluster=world.cluster_x
    )
    client.force_login(world.manager_a)
    acme = members["acme"]
    client.post(
        reverse("partnerships:member_join", args=[acme.pk]), {"cluster": world.cluster_x.pk}
    )
    assert set(acme.memberships.values_list("cluster_id", flat=True)) == {
        world.cluster_a.pk,
        world.cluster_x.pk,
    }
    # Not into a cluster the user does not manage.
    client.post(
        reverse("partnerships:member_join", args=[acme.pk]), {"cluster": world.cluster_b.pk}
    )
    assert acme.memberships.count() == 2
    # Taken out of one cluster, it stays in the other.
    client.post(
        reverse("partnerships:member_remove", args=[acme.pk]), {"cluster": world.cluster_a.pk}
    )
    assert list(acme.memberships.values_list("cluster_id", flat=True)) == [world.cluster_x.pk]


def test_erasure_scrubs_the_audit_trail_and_import_records(client, world, members):
    from auditlog.models import LogEntry

    client.force_login(world.manager_a)
    acme = members["acme"]
    client.patch(
        f"/api/v1/members/{acme.pk}/",
        {"city": "Secretville", "contact_email": "new@acme.example"},
        content_type="application/json",
    )
    entry = LogEntry.objects.get_for_object(acme).latest("timestamp")
    assert "Secretville" in str(entry.changes) and "new@acme.example" not in str(entry.changes)
    client.post(reverse("partnerships:member_erase", args=[acme.pk]))
    trail = " ".join(str(e.changes) + e.object_repr for e in LogEntry.objects.get_for_object(acme))
    assert "Secretville" not in trail and "Acme" not in trail
    assert LogEntry.objects.get_for_object(acme).filter(actor=world.manager_a).exists()


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


def raw_upload(client, cluster, content: bytes, name="m.csv"):
    return upload(client, cluster, SimpleUploadedFile(name, content))


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


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_do_not_run_formulas_and_still_round_trip(client, world, fmt):
    factories.member(world.cluster_a, '=HYPERLINK("http://evil.example","click")', "FR")
    client.force_login(world.manager_a)
    exported = client.get(reverse("partnerships:member_export", args=[world.cluster_a.pk, fmt]))
    if fmt == "csv":
        assert b"'=HYPERLINK" in exported.content
    else:
        cell = load_workbook(io.BytesIO(exported.content)).worksheets[0]["B2"]
        assert cell.data_type == "s" and cell.value.startswith("'=")
    upload(client, world.cluster_a, SimpleUploadedFile(f"e.{fmt}", exported.content))
    assert client.get(MemberImport.objects.get().get_absolute_url()).context["counts"] == {
        "create": 0,
        "update": 0,
        "unchanged": 1,
    }


def test_two_rows_cannot_update_the_same_member(client, world, members):
    client.force_login(world.manager_a)
    acme = members["acme"]
    response = client.post(
        "/api/v1/members/bulk/",
        {
            "cluster": world.cluster_a.pk,
            "rows": [
                {"id": acme.pk, "name": "Renamed", "country": "DE", "employees": 1},
                {"name": "Acme Robotics", "country": "DE", "employees": 999},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["rows"][0]["message"] == "Row 0 already updates this member."


def test_an_erased_member_cannot_be_brought_back_by_import(client, world, members):
    client.force_login(world.manager_a)
    acme = members["acme"]
    client.post(f"/api/v1/members/{acme.pk}/erase/")
    response = client.post(
        "/api/v1/members/bulk/",
        {
            "cluster": world.cluster_a.pk,
            "rows": [
                {
                    "id": acme.pk,
                    "name": "Acme Robotics",
                    "country": "DE",
                    "contact_name": "Jane Restored",
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    acme.refresh_from_db()
    assert acme.contact_name == ""


def test_a_done_import_cannot_be_discarded(client, world):
    client.force_login(world.manager_a)
    response = upload(client, world.cluster_a, csv_file(good_rows(2)))
    client.post(response.url, {"action": "confirm"})
    client.post(response.url, {"action": "discard"})
    assert MemberImport.objects.get().status == "done"


def test_coordinators_do_not_learn_a_members_other_clusters(client, world, members):
    ClusterMembership.objects.create(member=members["acme"], cluster=world.cluster_x)
    client.force_login(world.coord_a)
    data = client.get(f"/api/v1/members/{members['acme'].pk}/").json()
    assert data["clusters"] == [world.cluster_a.pk]
    page = client.get(reverse("partnerships:member_detail", args=[members["acme"].pk]))
    assert "Lone Cluster" not in page.content.decode()
    assert client.get(f"/api/v1/members/?cluster={world.cluster_x.pk}").json()["count"] == 0


def test_competence_names_follow_one_rule(client, world, members):
    client.force_login(world.manager_a)
    url = f"/api/v1/members/{members['acme'].pk}/"
    for bad in (["!!!"], ["x" * 81], ["ﬁ" * 50]):
        response = client.patch(url, {"competences": bad}, content_type="application/json")
        assert response.status_code == 400, bad
    ok = client.patch(url, {"competences": ["AI", "Big data"]}, content_type="application/json")
    assert ok.json()["competences"] == ["AI", "Big data"]


@pytest.mark.parametrize("view", ["member_join", "member_remove"])
def test_a_cluster_that_is_no_id_answers_404_not_a_server_error(client, world, members, view):
    client.force_login(world.manager_a)
    acme = members["acme"]
    url = reverse(f"partnerships:{view}", args=[acme.pk])
    for value in ("abc", "", "1.5"):
        assert client.post(url, {"cluster": value}).status_code == 404, value
    assert list(acme.memberships.values_list("cluster_id", flat=True)) == [world.cluster_a.pk]


def test_the_partnership_filter_does_not_tell_a_members_other_clusters(client, world, members):
    """Acme is seen through cluster_a; that it is also in B's cluster is not coord_a's to learn."""
    ClusterMembership.objects.create(member=members["acme"], cluster=world.cluster_b)
    client.force_login(world.coord_a)
    names = {
        row["name"]
        for row in client.get(f"/api/v1/members/?partnership={world.b.pk}").json()["results"]
    }
    assert names == set()
    own = client.get(f"/api/v1/members/?partnership={world.a.pk}").json()["results"]
    assert {row["name"] for row in own} == {"Acme Robotics", "Bigco"}
