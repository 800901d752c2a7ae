"""The KPI sources of missions: outcomes (number and value), members and SMEs that took part,
and the KPI page that names the records behind a derived value."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from missions.models import Participation
from strategy.selectors import kpi_values
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_outcome_on_a_mission_changes_the_derived_kpi(client, world, mission, derived_kpi):
    kpi = derived_kpi("outcomes_contract", "Contracts")
    value_kpi = derived_kpi("outcomes_all_value", "Value")
    assert kpi_values([kpi])[kpi.pk].current == 0
    client.force_login(world.coord_a)
    response = client.post(
        "/api/v1/outcomes/",
        {
            "partnership": world.a.pk,
            "mission": mission.pk,
            "kind": "contract",
            "counterpart": "Maple Foods",
            "counterpart_country": "CA",
            "value": "250000",
            "date": "2025-05-02",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    values = kpi_values([kpi, value_kpi])
    assert values[kpi.pk].current == 1
    assert values[kpi.pk].by_period[date(2025, 6, 30)] == 1
    assert values[value_kpi.pk].current == Decimal("250000")


def test_members_taking_part_count_for_the_mission_kpi(world, mission, members_a, derived_kpi):
    kpi = derived_kpi("mission_smes")
    past = factories.mission(world.a, "Past", start=date(2025, 4, 1), country="US")
    for member in members_a[:3]:
        factories.participation(past, member, status="attended")
    assert kpi_values([kpi])[kpi.pk].by_period[date(2025, 6, 30)] == 3


def test_members_count_for_the_mission_kpi_only_once_they_went(
    world, mission, members_a, derived_kpi
):
    kpi = derived_kpi("mission_members")
    factories.participation(mission, members_a[0], status="confirmed")  # the mission is ahead
    assert kpi_values([kpi])[kpi.pk].current in (0, None)


def test_the_kpi_page_lists_who_took_part_without_a_query_per_person(
    client, world, members_a, derived_kpi, django_assert_max_num_queries
):
    """The KPI page names the records behind a derived value: the same queries for 2 or 10."""
    kpi = derived_kpi("mission_members")
    last = kpi.periods(timezone.localdate())[-1]
    went = factories.mission(
        world.a, "Went", start=last - timedelta(days=14), days=4, country="US", status="done"
    )
    client.force_login(world.coord_a)
    # A first visit: the user's roles are read once and then come from the cache.
    client.get(reverse("strategy:kpi_detail", args=[kpi.pk]))

    def queries_for(n):
        for member in members_a[:n]:
            Participation.objects.get_or_create(
                mission=went, member=member, cluster=world.cluster_a, status="attended"
            )
        with django_assert_max_num_queries(40) as captured:
            page = client.get(reverse("strategy:kpi_detail", args=[kpi.pk])).content.decode()
        assert members_a[n - 1].name in page
        return len(captured)

    assert queries_for(2) == queries_for(10)
