"""The target-versus-actual table by period: targets from the milestones (else a straight
line), actual values per period and to date, the % reached; the page, its XLSX, who reads them
and what they cost."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.selectors import target_table
from strategy.models import KPI, Measurement, Milestone
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2025, 8, 15)


def approve(plan, period, value, kpi=None):
    return Measurement.objects.create(
        kpi=kpi or plan["kpi"],
        period_end=period,
        partner=plan["partner_a"],
        value=value,
        status="approved",
    )


@pytest.fixture
def yearly(plan):
    """The plan's KPI reported yearly, 0 at the end of 2023 to 40 at the end of 2027, with a
    steep first milestone (30 by the end of 2024) and values for 2024 (20) and 2025 (not ended
    on TODAY)."""
    kpi = plan["kpi"]
    KPI.objects.filter(pk=kpi.pk).update(frequency="annual")
    Milestone.objects.create(kpi=kpi, date=date(2024, 12, 31), value=30)
    approve(plan, date(2024, 12, 31), 20)
    return kpi


def test_targets_follow_the_milestones_and_actuals_add_up(world, plan, yearly):
    [row] = target_table(world.a.pk, today=TODAY)
    assert [p.period_end.year for p in row.periods] == [2024, 2025, 2026, 2027]
    first, second, _third, last = row.periods
    assert (first.target, first.period_target) == (Decimal(30), Decimal(30))
    # From 30 at the end of 2024 to 40 at the end of 2027: 10 over 1095 days.
    assert second.target == Decimal("33.33") and second.period_target == Decimal("3.33")
    assert last.target == Decimal(40)
    assert (first.actual, first.to_date, first.percent) == (
        Decimal(20),
        Decimal(20),
        Decimal("66.7"),
    )
    assert first.ended and not second.ended
    assert (second.actual, second.to_date, second.percent) == (None, None, None)


def test_without_milestones_the_targets_lie_on_a_straight_line(world, plan):
    kpi = plan["kpi"]  # quarterly, 0 at the end of 2023 to 40 at the end of 2027
    approve(plan, date(2024, 3, 31), 2)
    approve(plan, date(2024, 6, 30), 3)
    [row] = target_table(world.a.pk, today=TODAY)
    q1, q2 = row.periods[:2]
    assert q1.target == (Decimal(40) * 91 / 1461).quantize(Decimal("0.01"))
    assert (q1.to_date, q2.actual, q2.to_date) == (2, 3, 5)
    assert len(row.periods) == len(kpi.periods())


def test_a_latest_value_kpi_shows_no_target_per_period(world, plan):
    KPI.objects.filter(pk=plan["kpi"].pk).update(aggregation="latest")
    approve(plan, date(2024, 3, 31), 7)
    approve(plan, date(2024, 6, 30), 5)
    [row] = target_table(world.a.pk, today=TODAY)
    assert row.periods[0].period_target is None
    assert (row.periods[1].to_date, row.periods[2].to_date) == (5, 5)


def test_the_page_and_its_xlsx_show_the_table(client, world, plan, yearly):
    client.force_login(world.manager_a)
    page = client.get(reverse("evaluation:targets", args=[world.a.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert yearly.name in body and "Target by then" in body
    response = client.get(reverse("evaluation:targets_export", args=[world.a.pk]))
    assert response.status_code == 200
    assert "targets-ALPHA.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Objective" and rows[1][-1] == "% of target"
    assert rows[2][:3] == ("O1", yearly.name, "SMEs")
    assert rows[2][3].date() == date(2024, 12, 31)
    assert rows[2][4:] == (30, 30, 20, 20, 66.7)
    assert rows[5][4] == 40 and rows[5][6] is None
    # Linked from the scoreboard and the strategy's overview.
    link = reverse("evaluation:targets", args=[world.a.pk])
    for name in ("evaluation:scoreboard", "strategy:overview"):
        assert link in client.get(reverse(name, args=[world.a.pk])).content.decode()


def test_outsiders_do_not_see_the_table(client, world, plan):
    client.force_login(world.coord_b)
    for name in ("evaluation:targets", "evaluation:targets_export"):
        assert client.get(reverse(name, args=[world.a.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("evaluation:targets", args=[world.a.pk])).status_code == 302


def test_the_table_costs_as_many_queries_with_more_kpis_and_values(
    client, world, plan, django_assert_max_num_queries
):
    client.force_login(world.coord_a)
    urls = [
        reverse(n, args=[world.a.pk]) for n in ("evaluation:targets", "evaluation:targets_export")
    ]

    def counts():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        result = []
        client.get(urls[0])  # warm: the user's roles come from the cache from then on
        for url in urls:
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            result.append(len(context.captured_queries))
        return result

    approve(plan, date(2024, 3, 31), 1)
    before = counts()
    for i in range(5):
        kpi = factories.kpi(plan["objective"], f"KPI {i}", frequency="monthly")
        Milestone.objects.create(kpi=kpi, date=date(2025, 12, 31), value=10)
        for period in kpi.periods(TODAY)[:6]:
            approve(plan, period, 1, kpi=kpi)
    assert counts() == before
    for url in urls:
        with django_assert_max_num_queries(8):
            client.get(url)
