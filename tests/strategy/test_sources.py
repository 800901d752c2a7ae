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


def derived(plan, source, aggregation="latest"):
    return factories.kpi(
        plan["objective"],
        source,
        unit="n",
        source=source,
        aggregation=aggregation,
        target_value=Decimal(10),
    )


def series(kpi):
    return selectors.kpi_values([kpi])[kpi.pk]


def test_the_registry_holds_each_apps_sources():
    assert {"partner_members", "partner_smes", "tasks_completed"} <= set(registry())
    assert {"missions_held", "mission_smes", "outcomes_all"} <= set(registry())  # missions'


def test_a_derived_kpi_changes_when_a_matching_record_is_added(world, plan):
    kpi = derived(plan, "partner_smes")
    before = series(kpi)
    assert before.current == 0
    sme = factories.member(world.cluster_a, "Young SME", employees=12)
    ClusterMembership.objects.filter(member=sme).update(joined_on=date(2025, 2, 1))
    factories.member(world.cluster_a, "Big Corp", employees=800)  # not an SME
    factories.member(world.cluster_x, "Elsewhere SME", employees=5)  # not a partner cluster
    after = series(kpi)
    assert after.current == 1
    assert after.by_period[date(2024, 12, 31)] == 0  # it joined in 2025
    assert after.by_period[date(2025, 3, 31)] == 1
    records = registry()["partner_smes"].records(kpi, date(2025, 1, 1), date(2025, 3, 31))
    assert [m.name for m in records] == ["Young SME"]


def test_completed_tasks_count_in_the_period_they_were_done(world, plan):
    kpi = derived(plan, "tasks_completed", aggregation="sum")
    task = plan["task"]
    task.status, task.completed_on = Task.Status.DONE, date(2025, 5, 10)
    task.save()
    values = series(kpi)
    assert values.by_period[date(2025, 6, 30)] == 1
    assert values.by_period[date(2025, 3, 31)] == 0
    assert values.current == 1


def test_a_derived_kpi_is_never_reported_by_hand(client, world, plan):
    kpi = derived(plan, "partner_members")
    client.force_login(world.coord_a)
    response = client.post(
        "/api/v1/measurements/",
        {"kpi": kpi.pk, "period_end": "2025-03-31", "value": "5"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "derived from the portal's records" in str(response.json())


def test_unknown_sources_are_refused(client, world, plan):
    client.force_login(world.coord_a)
    response = client.post(
        "/api/v1/kpis/",
        {
            "objective": plan["objective"].pk,
            "name": "x",
            "unit": "n",
            "source": "horoscope",
            "baseline_date": "2024-01-01",
            "target_date": "2025-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "source" in response.json()["errors"]


def test_the_trace_of_a_derived_value_names_only_members_the_user_may_see(client, world, plan):
    kpi = derived(plan, "partner_members")
    for cluster, name in ((world.cluster_a, "Own Member"), (world.cluster_a2, "Other Member")):
        member = factories.member(cluster, name)
        ClusterMembership.objects.filter(member=member).update(joined_on=date(2024, 2, 1))
    url = reverse("strategy:kpi_detail", args=[kpi.pk])
    for who, shown in [
        ("coord_a", {"Own Member", "Other Member"}),  # members of the partner clusters
        ("manager_a", {"Own Member"}),  # their own cluster's members only
        ("officer", set()),  # figures, never a list of members
    ]:
        client.force_login(getattr(world, who))
        page = client.get(url)
        assert page.context["values"].current == 2, who  # the figure counts them all
        html = page.content.decode()
        assert {n for n in ("Own Member", "Other Member") if n in html} == shown, who
