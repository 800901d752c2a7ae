from datetime import date
from decimal import Decimal

import pytest
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
