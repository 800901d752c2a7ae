"""Member files exported: the template's columns, formulas never run, and an export imported
again changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from partnerships.models import ClusterMembership, Member, MemberImport
from tests import factories
from tests.partnerships.member_files import upload

pytestmark = pytest.mark.django_db


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
