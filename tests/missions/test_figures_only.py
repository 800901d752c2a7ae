"""EC officers read a partnership's figures, never which members: how many took part or are
named by an outcome or an export group. The pages and the API apply the same rule
(``missions.rules.can_name_members``) to the same data."""

import pytest
from django.urls import reverse

from escp_portal.accounts.models import Role, RoleAssignment
from missions.rules import can_name_members
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(world, mission, members_a):
    """Firm 00 registered for the mission, with a note about it."""
    return factories.participation(mission, members_a[0], note="Firm 00 brings two engineers")


def test_only_officers_read_figures_only_unless_they_coordinate(world):
    assert can_name_members(world.coord_a, world.a.pk)
    assert can_name_members(world.manager_a, world.a.pk)
    assert can_name_members(world.staff, world.a.pk)
    assert not can_name_members(world.officer, world.a.pk)
    RoleAssignment.objects.create(user=world.officer, role=Role.COORDINATOR, partnership=world.a)
    officer = type(world.officer).objects.get(pk=world.officer.pk)  # roles read afresh
    assert can_name_members(officer, world.a.pk) and not can_name_members(officer, world.b.pk)


def test_officers_see_counts_not_companies(client, world, mission, registered):
    client.force_login(world.officer)
    page = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert "Firm 00" not in page and "1 places taken" in page


@pytest.mark.parametrize("page", ["missions:outcomes", "missions:export_groups"])
def test_officers_see_how_many_members_not_which(client, world, named, page):
    url = reverse(page, args=[world.a.pk])
    client.force_login(world.coord_a)
    assert "Firm 0" in client.get(url).content.decode()
    client.force_login(world.officer)
    body = client.get(url).content.decode()
    assert "Firm 0" not in body and "Deux SARL" not in body
    assert "Maple Foods" in body or "Canada group" in body


def test_the_api_gives_officers_registrations_without_member_or_note(
    client, world, mission, registered
):
    client.force_login(world.coord_a)
    named = client.get(f"/api/v1/participations/{registered.pk}/").json()
    assert named["member"] == registered.member_id and named["note"] == registered.note
    assert named["names_hidden"] is False
    client.force_login(world.officer)
    listed = client.get(f"/api/v1/participations/?mission={mission.pk}").json()["results"]
    detail = client.get(f"/api/v1/participations/{registered.pk}/").json()
    for row in (*listed, detail):
        assert row["member"] is None and row["note"] == "" and row["names_hidden"] is True
        assert row["status"] == "registered" and row["cluster"] == world.cluster_a.pk
    # The figure the page shows them: places taken.
    assert client.get(f"/api/v1/missions/{mission.pk}/").json()["places_taken"] == 1


@pytest.mark.parametrize(("endpoint", "how_many"), [("outcomes", 1), ("export-groups", 2)])
def test_the_api_gives_officers_how_many_members_not_which(
    client, world, named, endpoint, how_many
):
    client.force_login(world.coord_a)
    [row] = client.get(f"/api/v1/{endpoint}/").json()["results"]
    assert len(row["members"]) == row["members_count"] == how_many
    assert row["names_hidden"] is False
    client.force_login(world.officer)
    [row] = client.get(f"/api/v1/{endpoint}/").json()["results"]
    detail = client.get(f"/api/v1/{endpoint}/{row['id']}/").json()
    for answer in (row, detail):
        assert answer["members"] == [] and answer["names_hidden"] is True
        assert answer["members_count"] == how_many  # the figure the page shows them


def test_a_search_by_member_tells_officers_nothing(client, world, registered):
    url = f"/api/v1/participations/?member={registered.member_id}"
    client.force_login(world.coord_a)
    assert client.get(url).json()["count"] == 1
    client.force_login(world.officer)
    assert client.get(url).json()["count"] == 0
    assert client.get("/api/v1/participations/").json()["count"] == 1  # the figure stays


def test_an_officer_who_coordinates_the_partnership_names_its_members(
    client, world, registered, named
):
    RoleAssignment.objects.create(user=world.officer, role=Role.COORDINATOR, partnership=world.a)
    client.force_login(world.officer)
    assert client.get(f"/api/v1/participations/{registered.pk}/").json()["member"] is not None
    [outcome] = client.get("/api/v1/outcomes/").json()["results"]
    assert outcome["members"] and outcome["names_hidden"] is False
    page = client.get(reverse("missions:export_groups", args=[world.a.pk])).content.decode()
    assert "Deux SARL" in page


@pytest.mark.parametrize(
    ("endpoint", "text_field"), [("outcomes", "description"), ("export-groups", "evaluation")]
)
def test_the_api_gives_officers_no_free_text_that_could_name_members(
    client, world, named, endpoint, text_field
):
    outcome, group = named
    row = outcome if endpoint == "outcomes" else group
    type(row).objects.filter(pk=row.pk).update(**{text_field: "Firm 00 signed with them"})
    client.force_login(world.coord_a)
    assert client.get(f"/api/v1/{endpoint}/{row.pk}/").json()[text_field] == (
        "Firm 00 signed with them"
    )
    client.force_login(world.officer)
    listed = client.get(f"/api/v1/{endpoint}/").json()["results"]
    detail = client.get(f"/api/v1/{endpoint}/{row.pk}/").json()
    for answer in (*listed, detail):
        assert answer[text_field] == "" and answer["names_hidden"] is True
