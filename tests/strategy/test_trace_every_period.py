"""'Where the value comes from' explains every period of a derived KPI, not only the latest
(issue #20, "Numbers that mean what they say")."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.models import ClusterMembership
from strategy import selectors
from strategy.models import Task
from strategy.sources import registry
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_source_can_explain_its_values():
    # A derived KPI's page lists the records of any period: each source says which they are.
    assert all(source.records for source in registry().values())


def test_each_period_shows_its_own_records(client, world, plan):
    kpi = factories.kpi(
        plan["objective"],
        "Tasks done",
        unit="n",
        source="tasks_completed",
        aggregation="sum",
        target_value=Decimal(4),
    )
    Task.objects.filter(pk=plan["task"].pk).update(
        status=Task.Status.DONE, completed_on=date(2025, 2, 10)
    )
    Task.objects.create(
        objective=plan["objective"],
        title="Fair stand booked",
        due_date=date(2025, 6, 30),
        status=Task.Status.DONE,
        completed_on=date(2025, 5, 3),
    )
    client.force_login(world.coord_a)
    url = reverse("strategy:kpi_detail", args=[kpi.pk])
    latest = client.get(url).content.decode()
    periods = selectors.kpi_values([kpi])[kpi.pk].periods
    # The latest period by default; each period of the table links to its own sources.
    assert f"?period={periods[-1]:%Y-%m-%d}#source" in latest
    assert "?period=2025-03-31#source" in latest
    first = client.get(url, {"period": "2025-03-31"}).content.decode()
    assert "Buyer database" in first and "Fair stand booked" not in first
    second = client.get(url, {"period": "2025-06-30"}).content.decode()
    assert "Fair stand booked" in second and "Buyer database" not in second
    # A period that is not one of the KPI's, or not a date: the latest, never an error.
    for odd in ("2025-02-30", "yesterday", "2025-04-01", "9" * 400):
        page = client.get(url, {"period": odd})
        assert page.status_code == 200


def test_a_stock_source_lists_the_members_of_that_period(client, world, plan):
    kpi = factories.kpi(
        plan["objective"], "SMEs", unit="n", source="partner_smes", target_value=Decimal(3)
    )
    early = factories.member(world.cluster_a, "Early SME", employees=12)
    late = factories.member(world.cluster_a, "Late SME", employees=12)
    ClusterMembership.objects.filter(member=early).update(joined_on=date(2024, 11, 1))
    ClusterMembership.objects.filter(member=late).update(joined_on=date(2025, 5, 1))
    factories.member(world.cluster_a, "Campus", kind="university", employees=120)
    client.force_login(world.coord_a)
    page = client.get(
        reverse("strategy:kpi_detail", args=[kpi.pk]), {"period": "2025-03-31"}
    ).content.decode()
    assert "Early SME" in page and "Late SME" not in page and "Campus" not in page
