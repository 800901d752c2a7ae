"""A balanced partnership (issue #20, action 7): each partner's expectations and commitments,
and the view of how work and results are spread, with the imbalances named."""

from datetime import date

import pytest
from django.urls import reverse

from partnerships.models import Partner, PartnerExpectation
from strategy.models import Task
from strategy.selectors.balance import partnership_balance
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def third(world):
    """A third partner of A, so that averages can be uneven."""
    return Partner.objects.create(partnership=world.a, cluster=factories.cluster("Gamma Hub", "ES"))


def _tasks(objective, partner, n):
    for i in range(n):
        Task.objects.create(objective=objective, title=f"T{partner.pk}-{i}").responsible.add(
            partner
        )


def test_a_partner_with_far_less_or_far_more_than_its_share_is_named(world, plan, third):
    _tasks(plan["objective"], plan["partner_a"], 7)
    _tasks(plan["objective"], plan["coordinator_partner"], 2)
    plan["task"].delete()
    mission = factories.mission(world.a, organiser=plan["coordinator_partner"])
    factories.participation(mission, factories.member(world.cluster_a))
    balance = partnership_balance(world.a)
    by_name = {row.partner.cluster.name: row for row in balance["rows"]}
    assert by_name["Alpha Cluster"].counts["tasks"] == 7
    assert by_name["Gamma Hub"].counts["tasks"] == 0
    assert by_name["Alpha Cluster"].counts["missions_joined"] == 1
    assert by_name["Alpha Two"].counts["missions_organised"] == 1
    named = {(i.partner.cluster.name, i.key, i.direction) for i in balance["imbalances"]}
    # average 3: Gamma (0) is below half; Alpha Cluster (7) above twice.
    assert ("Gamma Hub", "tasks", "low") in named
    assert ("Alpha Cluster", "tasks", "high") in named
    assert ("Alpha Two", "tasks", "low") not in named  # 2 is not below 1.5


def test_the_balance_page_names_the_imbalance_for_insiders_only(client, world, plan, third):
    _tasks(plan["objective"], plan["partner_a"], 4)
    url = reverse("strategy:balance", args=[world.a.pk])
    client.force_login(world.manager_a)
    text = client.get(url).content.decode()
    assert "Gamma Hub has less than half the average share of tasks owned" in text
    client.force_login(world.coord_b)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/balance/{world.a.pk}/").status_code == 404
    client.force_login(world.officer)
    answer = client.get(f"/api/v1/balance/{world.a.pk}/").json()
    named = {(i["figure"], i["direction"]) for i in answer["imbalances"]}
    assert ("tasks", "low") in named and ("tasks", "high") in named


def test_balance_costs_the_same_queries_as_data_grows(
    client, world, plan, third, django_assert_max_num_queries
):
    client.force_login(world.coord_a)
    url = reverse("strategy:balance", args=[world.a.pk])
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for _round in range(5):
        _tasks(plan["objective"], third, 3)
        m = factories.mission(world.a, organiser=third)
        factories.participation(m, factories.member(world.cluster_a))
        factories.outcome(world.a, members=[factories.member(world.cluster_a)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_expectations_recorded_by_the_partner_and_reviewed(client, world, plan):
    partner = plan["partner_a"]
    client.force_login(world.manager_a)
    client.post(
        reverse("partnerships:expectation_add", args=[partner.pk]),
        {"entry_kind": "expectation", "text": "Meet buyers in Canada", "review": "open"},
    )
    entry = PartnerExpectation.objects.get()
    assert entry.recorded_on == date.today()
    # The manager may not write for the coordinating partner.
    other = plan["coordinator_partner"]
    assert client.get(reverse("partnerships:expectation_add", args=[other.pk])).status_code == 403
    client.force_login(world.coord_a)
    edit = reverse("partnerships:expectation_edit", args=[entry.pk])
    form = client.get(edit).content.decode()
    assert "Meet buyers in Canada" in form
    client.post(
        edit,
        {
            "entry_kind": "expectation",
            "text": "Meet buyers in Canada",
            "review": "partly",
            "review_note": "Two buyers met so far.",
        },
    )
    entry.refresh_from_db()
    assert entry.review == "partly" and entry.reviewed_on == date.today()
    client.force_login(world.officer)
    page = client.get(reverse("partnerships:expectations", args=[world.a.pk])).content.decode()
    assert "Two buyers met so far." in page and "Partly met" in page
    assert (
        client.patch(
            f"/api/v1/partner-expectations/{entry.pk}/",
            {"text": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    client.force_login(world.coord_b)
    assert client.get(f"/api/v1/partner-expectations/{entry.pk}/").status_code == 404


def test_reports_count_as_on_time_within_the_grace_and_far_periods_answer(client, world, plan):
    from datetime import timedelta

    from django.utils import timezone

    from strategy.models import Measurement

    kpi, partner = plan["kpi"], plan["partner_a"]
    today = timezone.localdate()
    on_time = Measurement.objects.create(
        kpi=kpi, period_end=today - timedelta(days=10), partner=partner, value=1
    )
    late = Measurement.objects.create(
        kpi=kpi, period_end=today - timedelta(days=90), partner=partner, value=1
    )
    Measurement.objects.create(kpi=kpi, period_end=date(9999, 12, 31), partner=partner, value=1)
    counts = partnership_balance(world.a)["rows"]
    row = next(r for r in counts if r.partner == partner)
    assert row.counts["reports"] == 2  # the recent period and the far one; not the late one
    assert on_time.pk and late.pk
    client.force_login(world.coord_a)
    assert client.get(reverse("strategy:balance", args=[world.a.pk])).status_code == 200
