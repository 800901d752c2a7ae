from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy.models import Measurement, period_ends
from tests import factories

pytestmark = pytest.mark.django_db
BUDGET = 14


@pytest.fixture(params=[2, 120], ids=["2-periods", "120-periods"])
def kpis(request, plan):
    """Three monthly KPIs (two reported, one derived) with an approved value every period."""
    months = request.param
    start = date(2026 - (months // 12) - 1, 12, 31) if months > 12 else date(2026, 8, 31)
    created = []
    for i, source in enumerate(["manual", "manual", "partner_members"]):
        kpi = factories.kpi(
            plan["objective"],
            f"K{i}",
            unit="n",
            frequency="monthly",
            source=source,
            baseline_date=start,
            target_date=date(2027, 12, 31),
            target_value=None,
            responsible=plan["partner_a"] if source == "manual" else None,
        )
        if source == "manual":
            Measurement.objects.bulk_create(
                [
                    Measurement(
                        kpi=kpi,
                        period_end=p,
                        partner=plan["partner_a"],
                        value=Decimal(1),
                        status="approved",
                    )
                    for p in period_ends("monthly", start, date(2026, 11, 26))
                ]
            )
        created.append(kpi)
    return created


@pytest.mark.parametrize("view", ["api", "overview", "indicators", "objective"])
def test_kpi_lists_and_indicator_table_stay_flat_as_periods_grow(
    client, world, plan, kpis, view, django_assert_max_num_queries
):
    client.force_login(world.coord_a)
    url = {
        "api": f"/api/v1/kpis/?partnership={world.a.pk}",
        "overview": reverse("strategy:overview", args=[world.a.pk]),
        "indicators": reverse("strategy:indicators", args=[world.a.pk]),
        "objective": reverse("strategy:objective_detail", args=[plan["objective"].pk]),
    }[view]
    with django_assert_max_num_queries(BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    if view == "indicators":
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(response.content)).worksheets[0]
        assert sheet.cell(3, 3).value == "SMEs in talks abroad"
        assert sheet.max_row == 2 + 4  # title, header, four KPIs


def test_correcting_a_value_reads_its_kpi_objective_and_strategy_once(client, world, plan):
    """The write path reuses the rows it checked: the KPI with its objective and strategy, the
    partner and the user are not read again to save, announce and answer the value."""
    approved = Measurement.objects.create(
        kpi=plan["kpi"],
        period_end=date(2025, 3, 31),
        partner=plan["partner_a"],
        value=Decimal(10),
        status="approved",
    )
    client.force_login(world.coord_a)
    body = {"kpi": plan["kpi"].pk, "period_end": "2025-03-31", "value": 12, "reason": "Recount"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/measurements/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    approved.refresh_from_db()
    assert (approved.value, approved.status) == (Decimal(12), "submitted")
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    for table in ("strategy_kpi", "strategy_objective", "strategy_strategy"):
        by_id = [
            sql
            for sql in reads
            if sql.split(" FROM ")[1].startswith(f'"{table}"') and f'"{table}"."id" = ' in sql
        ]
        assert len(by_id) <= 1, by_id
    lookups = [sql for sql in reads if sql.startswith('SELECT 1 AS "a" FROM')]
    assert not [sql for sql in lookups if '"accounts_user"' in sql or '"strategy_kpi"' in sql]
