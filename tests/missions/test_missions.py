from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from missions.models import ExportGroup, Mission, Participation
from strategy.selectors import kpi_values
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_eleventh_registration_on_ten_seats_goes_to_the_waiting_list(
    client, world, mission, members_a, register
):
    client.force_login(world.manager_a)
    statuses = [register(mission, m).json()["status"] for m in members_a[:11]]
    assert statuses == ["registered"] * 10 + ["waiting"]
    # A cancellation moves the first on the waiting list up.
    first = Participation.objects.filter(mission=mission).order_by("pk").first()
    client.post(f"/api/v1/participations/{first.pk}/cancel/")
    assert Participation.objects.get(member=members_a[10]).status == "registered"
    again = register(mission, members_a[1])
    assert again.status_code == 400 and "Already registered" in str(again.json())
    # A cancelled registration can be made again: at the end of the queue.
    back = register(mission, members_a[0])
    assert back.status_code == 201 and back.json()["status"] == "waiting"


def test_registration_after_the_deadline_is_refused_with_a_clear_message(
    client, world, mission, members_a, register
):
    mission.registration_deadline = timezone.localdate() - timedelta(days=1)
    mission.save()
    client.force_login(world.manager_a)
    response = register(mission, members_a[0])
    assert response.status_code == 400
    assert f"Registration closed on {mission.registration_deadline.isoformat()}." in str(
        response.json()
    )
    page = client.post(
        reverse("missions:mission_detail", args=[mission.pk]), {"member": members_a[0].pk}
    )
    assert "Registration closed on" in page.content.decode()
    assert not Participation.objects.exists()


def test_a_manager_registers_only_their_own_members(client, world, mission, register):
    other = factories.member(world.cluster_a2, "Not yours", employees=5)
    client.force_login(world.manager_a)
    assert register(mission, other).status_code in (400, 403)
    client.force_login(world.manager_x)  # not a partner: cannot even see the mission
    assert client.get(f"/api/v1/missions/{mission.pk}/").status_code == 404
    assert not Participation.objects.exists()


def test_an_export_group_needs_members_of_two_partner_clusters(client, world):
    one = [factories.member(world.cluster_a, f"A{i}") for i in range(2)]
    two = factories.member(world.cluster_a2, "B1")
    client.force_login(world.coord_a)
    body = {
        "partnership": world.a.pk,
        "name": "Canada group",
        "goal": "Sell together",
        "members": [m.pk for m in one],
    }
    refused = client.post("/api/v1/export-groups/", body, content_type="application/json")
    assert refused.status_code == 400
    assert "at least two partner clusters" in str(refused.json())
    assert not ExportGroup.objects.exists()
    body["members"].append(two.pk)
    assert (
        client.post("/api/v1/export-groups/", body, content_type="application/json").status_code
        == 201
    )


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
    past = Mission.objects.create(
        partnership=world.a,
        title="Past",
        country="US",
        start_date=date(2025, 4, 1),
        end_date=date(2025, 4, 4),
    )
    for member in members_a[:3]:
        Participation.objects.create(
            mission=past, member=member, cluster=world.cluster_a, status="attended"
        )
    assert kpi_values([kpi])[kpi.pk].by_period[date(2025, 6, 30)] == 3


def test_the_overlap_view_shows_two_partnerships_going_to_the_same_country(client, world, mission):
    Mission.objects.create(
        partnership=world.b,
        title="Beta in Canada",
        country="CA",
        start_date=mission.start_date + timedelta(days=10),
        end_date=mission.end_date + timedelta(days=10),
    )
    Mission.objects.create(
        partnership=world.b,
        title="Beta in Brazil",
        country="BR",
        start_date=mission.start_date,
        end_date=mission.end_date,
    )
    client.force_login(world.coord_a)
    page = client.get(reverse("missions:overlaps"))
    pairs = [(o.first.title, o.second.title) for o in page.context["overlaps"]]
    assert pairs == [("Buyers in Toronto", "Beta in Canada")]
    # Coordinators see each other's plans, not who registered.
    other = Mission.objects.get(title="Beta in Canada")
    detail = client.get(reverse("missions:mission_detail", args=[other.pk]))
    assert detail.status_code == 200 and not detail.context["insider"]
    assert client.get(f"/api/v1/participations/?mission={other.pk}").json()["count"] == 0
    # A cluster manager of another partnership does not see them at all.
    client.force_login(world.manager_a)
    assert client.get(reverse("missions:mission_detail", args=[other.pk])).status_code == 404


def test_calendar_feeds(client, world, mission):
    client.force_login(world.coord_a)
    client.post(reverse("accounts:preferences"), {"action": "feed"})
    world.coord_a.refresh_from_db()
    token = world.coord_a.calendar_token
    client.logout()
    feed = client.get(reverse("missions:feed", args=[token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:Buyers in Toronto (ALPHA)" in feed.content
    partnership = client.get(reverse("missions:partnership_feed", args=[token, world.a.pk]))
    assert b"BEGIN:VEVENT" in partnership.content
    assert (
        client.get(reverse("missions:partnership_feed", args=[token, world.b.pk])).status_code
        == 404
    )
    assert client.get(reverse("missions:feed", args=["x" * 43])).status_code == 404


def test_the_calendar_shows_the_month_and_the_list(client, world, mission):
    client.force_login(world.manager_a)
    month = mission.start_date.strftime("%Y-%m")
    page = client.get(reverse("missions:calendar"), {"month": month})
    assert page.status_code == 200
    cells = [items for week in page.context["weeks"] for _day, items in week]
    assert any(mission in items for items in cells)
    listing = client.get(reverse("missions:calendar"), {"view": "list", "country": "CA"})
    assert "Buyers in Toronto" in listing.content.decode()
    assert client.get(reverse("missions:calendar"), {"month": "2026-13"}).status_code == 200


def test_the_kpi_page_lists_who_took_part_without_a_query_per_person(
    client, world, members_a, derived_kpi, django_assert_max_num_queries
):
    """The KPI page names the records behind a derived value: the same queries for 2 or 10."""
    kpi = derived_kpi("mission_members")
    last = kpi.periods(timezone.localdate())[-1]
    went = Mission.objects.create(
        partnership=world.a,
        title="Went",
        country="US",
        start_date=last - timedelta(days=14),
        end_date=last - timedelta(days=10),
        status="done",
    )
    client.force_login(world.coord_a)

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


def test_the_month_reads_its_own_missions_and_the_list_comes_in_pages(client, world):
    def mission(title, start, days=3):
        return Mission.objects.create(
            partnership=world.a,
            title=title,
            country="CA",
            start_date=start,
            end_date=start + timedelta(days=days),
        )

    mission("Across the whole of March", date(2031, 2, 20), days=45)
    mission("In March", date(2031, 3, 10))
    mission("In April", date(2031, 4, 10))
    for i in range(55):
        mission(f"Later {i:02d}", date(2032, 1, 1) + timedelta(days=i))
    client.force_login(world.coord_a)
    page = client.get(reverse("missions:calendar"), {"month": "2031-03"})
    titles = [m.title for m in page.context["missions"]]
    assert titles == ["Across the whole of March", "In March"]
    listing = client.get(reverse("missions:calendar"), {"view": "list"})
    assert len(listing.context["missions"]) == 50
    assert 'rel="next"' in listing.content.decode()
    second = client.get(reverse("missions:calendar"), {"view": "list", "page": 2})
    assert [m.title for m in second.context["missions"]][-1] == "Later 54"
