"""Missions themselves: the calendar (month and list), the overlaps between partnerships, the
mission form and the calendar feeds."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.models import Mission
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_overlap_view_shows_two_partnerships_going_to_the_same_country(client, world, mission):
    factories.mission(
        world.b, "Beta in Canada", start=mission.start_date + timedelta(days=10), country="CA"
    )
    factories.mission(world.b, "Beta in Brazil", start=mission.start_date, country="BR")
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


def test_feed_tokens_with_odd_characters_answer_404(client, world):
    assert client.get("/calendar/%01" + "a" * 40 + ".ics").status_code == 400
    assert client.get("/calendar/" + "a" * 40 + "%C3%A9.ics").status_code == 404
    # A NUL is refused before any view (escp_portal.hostile): 400.
    assert client.get("/calendar/%00" + "a" * 40 + ".ics").status_code == 400


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


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "abc", "2026-00"])
def test_any_month_in_the_address_shows_a_calendar(client, world, month):
    client.force_login(world.coord_a)
    assert client.get(reverse("missions:calendar"), {"month": month}).status_code == 200


def test_the_month_reads_its_own_missions_and_the_list_comes_in_pages(client, world):
    factories.mission(world.a, "Across the whole of March", start=date(2031, 2, 20), days=45)
    factories.mission(world.a, "In March", start=date(2031, 3, 10))
    factories.mission(world.a, "In April", start=date(2031, 4, 10))
    for i in range(55):
        factories.mission(world.a, f"Later {i:02d}", start=date(2032, 1, 1) + timedelta(days=i))
    client.force_login(world.coord_a)
    page = client.get(reverse("missions:calendar"), {"month": "2031-03"})
    titles = [m.title for m in page.context["missions"]]
    assert titles == ["Across the whole of March", "In March"]
    listing = client.get(reverse("missions:calendar"), {"view": "list"})
    assert len(listing.context["missions"]) == 50
    assert 'rel="next"' in listing.content.decode()
    second = client.get(reverse("missions:calendar"), {"view": "list", "page": 2})
    assert [m.title for m in second.context["missions"]][-1] == "Later 54"


def test_filters_do_not_tell_which_partnerships_have_missions(client, world, mission):
    factories.mission(world.b, "Beta", start=mission.start_date, country="US")
    client.force_login(world.manager_a)
    hidden = client.get(f"/api/v1/missions/?partnership={world.b.pk}")
    none = client.get(f"/api/v1/missions/?partnership={world.draft.pk}")
    assert hidden.status_code == none.status_code == 400


def test_the_mission_form_cancels_back_to_where_it_came_from(client, world, mission):
    client.force_login(world.coord_a)
    edit = client.get(reverse("missions:mission_edit", args=[mission.pk]))
    assert f'href="{mission.get_absolute_url()}"' in edit.content.decode()
    new = client.get(reverse("missions:mission_add", args=[world.a.pk]))
    assert f'href="{reverse("missions:calendar")}" class="btn btn-link"' in new.content.decode()


def test_no_get_writes_anything(client, world, mission, members_a, named):
    """Every page, export and endpoint of missions only reads, whoever asks."""
    registration = factories.participation(mission, members_a[2])
    outcome, group = named
    world.coord_a.calendar_token = "coord-a-calendar-token-0123456789"
    world.coord_a.save(update_fields=["calendar_token"])
    token = world.coord_a.calendar_token
    urls = [
        reverse("missions:calendar"),
        reverse("missions:calendar") + "?view=list",
        reverse("missions:overlaps") + "?all=1",
        reverse("missions:mission_detail", args=[mission.pk]),
        reverse("missions:mission_edit", args=[mission.pk]),
        reverse("missions:mission_add", args=[world.a.pk]),
        reverse("missions:mission_ics", args=[mission.pk]),
        reverse("missions:outcomes", args=[world.a.pk]),
        reverse("missions:export_groups", args=[world.a.pk]),
        reverse("missions:feed", args=[token]),
        reverse("missions:partnership_feed", args=[token, world.a.pk]),
        "/api/v1/missions/",
        f"/api/v1/missions/{mission.pk}/",
        "/api/v1/missions/overlaps/",
        "/api/v1/participations/",
        f"/api/v1/participations/{registration.pk}/",
        "/api/v1/outcomes/",
        f"/api/v1/outcomes/{outcome.pk}/",
        "/api/v1/export-groups/",
        f"/api/v1/export-groups/{group.pk}/",
    ]
    for user in (world.coord_a, world.manager_a, world.officer):
        client.force_login(user)
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            writes = [
                q["sql"]
                for q in queries.captured_queries
                if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            ]
            assert not writes, (url, user.email, writes)
