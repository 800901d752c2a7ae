"""Export groups: members of at least two partner clusters going to a market together."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from missions.models import ExportGroup
from missions.services.missions import export_group_save
from partnerships.models import ClusterMembership
from tests import factories

pytestmark = pytest.mark.django_db


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


def test_one_member_in_two_clusters_is_not_an_export_group(client, world):
    both = factories.member(world.cluster_a, "Twice")
    ClusterMembership.objects.create(member=both, cluster=world.cluster_a2)
    client.force_login(world.coord_a)
    response = client.post(
        "/api/v1/export-groups/",
        {
            "partnership": world.a.pk,
            "name": "G",
            "goal": "g",
            "members": [both.pk, both.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
