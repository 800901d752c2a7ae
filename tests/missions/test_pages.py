"""The partnership's pages of outcomes and export groups, and the mission form."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from missions.models import ExportGroup, Outcome
from missions.services.missions import export_group_save
from partnerships.models import ClusterMembership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(world, members_a):
    """An outcome naming Firm 00 and an export group of Firm 01 and a member of Alpha Two."""
    outcome = Outcome.objects.create(
        partnership=world.a,
        kind="mou",
        counterpart="Maple Foods",
        counterpart_country="CA",
        date=date(2025, 1, 1),
    )
    outcome.members.set([members_a[0]])
    group = ExportGroup.objects.create(partnership=world.a, name="Canada group", goal="Sell")
    group.members.set([members_a[1], factories.member(world.cluster_a2, "Deux SARL")])


@pytest.mark.parametrize("page", ["missions:outcomes", "missions:export_groups"])
def test_officers_see_how_many_members_not_which(client, world, named, page):
    url = reverse(page, args=[world.a.pk])
    client.force_login(world.coord_a)
    assert "Firm 0" in client.get(url).content.decode()
    client.force_login(world.officer)
    body = client.get(url).content.decode()
    assert "Firm 0" not in body and "Deux SARL" not in body
    assert "Maple Foods" in body or "Canada group" in body


def test_an_outcome_is_recorded_on_the_page(client, world, mission, members_a):
    client.force_login(world.manager_a)
    url = reverse("missions:outcomes", args=[world.a.pk])
    response = client.post(
        url,
        {
            "mission": mission.pk,
            "kind": "contract",
            "counterpart": "Maple Foods",
            "counterpart_country": "CA",
            "value": "1000",
            "date": "2025-05-02",
            "members": [members_a[0].pk],
        },
    )
    assert response.status_code == 302 and response.url == url
    outcome = Outcome.objects.get()
    assert outcome.recorded_by == world.manager_a
    assert list(outcome.members.all()) == [members_a[0]]
    assert "The outcome was recorded." in client.get(url).content.decode()


def test_the_export_group_page_shows_why_a_group_is_refused(client, world, members_a):
    client.force_login(world.coord_a)
    url = reverse("missions:export_groups", args=[world.a.pk])
    body = {"name": "Alone", "goal": "Sell", "members": [m.pk for m in members_a[:2]]}
    refused = client.post(url, body)
    assert refused.status_code == 200
    assert "at least two partner clusters" in refused.content.decode()
    body["members"].append(factories.member(world.cluster_a2, "Deux SARL").pk)
    assert client.post(url, body).status_code == 302
    assert ExportGroup.objects.get().members.count() == 3


@pytest.mark.parametrize(
    ("first", "second", "accepted"),
    [
        ({"a"}, {"a"}, False),
        ({"a"}, {"a2"}, True),
        ({"a", "a2"}, {"a"}, True),  # the first stands for Alpha Two, the second for Alpha
        ({"a", "a2"}, {"a", "a2"}, True),
    ],
)
def test_an_export_group_needs_two_members_for_two_partner_clusters(world, first, second, accepted):
    clusters = {"a": world.cluster_a, "a2": world.cluster_a2}
    members = []
    for name, keys in (("One", first), ("Two", second)):
        member = factories.member(name=name)
        for key in sorted(keys):
            ClusterMembership.objects.create(member=member, cluster=clusters[key])
        members.append(member)

    def save():
        return export_group_save(
            actor=world.coord_a, partnership=world.a, members=members, name="G", goal="g"
        )

    if accepted:
        assert save().members.count() == 2
    else:
        with pytest.raises(ValidationError, match="at least two partner clusters"):
            save()


def test_the_mission_form_cancels_back_to_where_it_came_from(client, world, mission):
    client.force_login(world.coord_a)
    edit = client.get(reverse("missions:mission_edit", args=[mission.pk]))
    assert f'href="{mission.get_absolute_url()}"' in edit.content.decode()
    new = client.get(reverse("missions:mission_add", args=[world.a.pk]))
    assert f'href="{reverse("missions:calendar")}" class="btn btn-link"' in new.content.decode()
