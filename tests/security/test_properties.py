"""Property tests: whatever the input, the member import and the measurement bulk endpoint
write every row or none, and never fail with a server error."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from partnerships.imports import FileError, read_table
from partnerships.models import Member
from partnerships.services.member_import import apply_plan, plan_import
from strategy.models import Measurement

pytestmark = pytest.mark.django_db
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["DE", "FR", "XX", "62.01", "99.99", "12", "-3", "1e5", "1,5", "2030", "=1+1", ""]
    ),
)
FIELDS = [
    "name",
    "country",
    "nace_code",
    "employees",
    "annual_turnover",
    "founded_year",
    "competences",
    "export_markets",
]
row = st.fixed_dictionaries(
    {
        "name": st.one_of(st.sampled_from(["Acme", "Beta", "Acme ", ""]), st.text(max_size=20)),
        "country": cell,
        "nace_code": cell,
        "employees": cell,
        "annual_turnover": cell,
        "founded_year": cell,
        "competences": cell,
        "export_markets": cell,
    }
)


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", errors="replace")


# Random rows are seldom all valid: these make sure the "all rows" side is always taken.
VALID_ROWS = [
    {**dict.fromkeys(FIELDS, ""), "name": "Acme", "country": "DE", "employees": "12"},
    {**dict.fromkeys(FIELDS, ""), "name": "Beta", "country": "FR", "nace_code": "62.01"},
]


@SETTINGS
@given(rows=st.lists(row, min_size=1, max_size=8))
@example(rows=VALID_ROWS)
def test_an_import_writes_all_rows_or_none(world, rows):
    with transaction.atomic():
        before = Member.objects.count()
        try:
            table = read_table(SimpleUploadedFile("m.csv", as_csv(rows)))
        except FileError:
            table = None
        if table is not None:
            plan = plan_import(world.cluster_a, table)
            if plan.valid:
                counts = apply_plan(world.cluster_a, plan)
                assert Member.objects.count() == before + counts["create"]
            else:
                with pytest.raises(Exception):  # noqa: B017 - any refusal writes nothing
                    apply_plan(world.cluster_a, plan)
                assert Member.objects.count() == before
        transaction.set_rollback(True)


measurement_row = st.fixed_dictionaries(
    {
        "kpi": st.one_of(st.just("KPI"), st.integers(-1, 3), st.booleans(), st.text(max_size=3)),
        "period_end": st.sampled_from(
            ["2025-03-31", "2025-06-30", "2025-02-30", "2030-03-31", "x", "2025-04-15"]
        ),
        "value": st.one_of(
            st.decimals(allow_nan=True, places=2), st.integers(), st.text(max_size=4), st.none()
        ),
    }
)


@SETTINGS
@given(rows=st.lists(measurement_row, min_size=1, max_size=6))
@example(
    rows=[
        {"kpi": "KPI", "period_end": "2025-03-31", "value": 4},
        {"kpi": "KPI", "period_end": "2025-06-30", "value": 5},
    ]
)
def test_bulk_measurements_write_all_rows_or_none(client, world, plan, rows):
    client.force_login(world.coord_a)
    rows = [
        {
            **r,
            "kpi": plan["kpi"].pk if r["kpi"] == "KPI" else r["kpi"],
            "value": str(r["value"]) if r["value"] is not None else None,
        }
        for r in rows
    ]
    with transaction.atomic():
        before = Measurement.objects.count()
        response = client.post("/api/v1/measurements/bulk/", rows, content_type="application/json")
        assert response.status_code in (201, 400), response.content
        after = Measurement.objects.count()
        if response.status_code == 400:
            assert after == before
            assert response.json()["errors"]
        else:
            assert len(response.json()) == len(rows)
            # The plan has no values yet: every period answered is a new row.
            assert after == before + len({row["id"] for row in response.json()})
        transaction.set_rollback(True)
