"""A cluster manager keeps members on the pages: add, edit, remove, add to another cluster."""

import pytest
from django.urls import reverse

from partnerships.models import Member

pytestmark = pytest.mark.django_db


def test_manager_adds_edits_and_removes_a_member_on_pages(client, world):
    client.force_login(world.manager_a)
    response = client.post(
        reverse("partnerships:member_add", args=[world.cluster_a.pk]),
        {
            "name": "Page Firm",
            "kind": "enterprise",
            "country": "DE",
            "employees": "12",
            "nace_code": "6201",
            "competence_names": "Cloud; AI",
            "member_since": "2023-01-01",
        },
    )
    member = Member.objects.get(name="Page Firm")
    assert response.url == member.get_absolute_url()
    assert member.nace_code == "62.01" and member.is_sme
    bad = client.post(
        reverse("partnerships:member_edit", args=[member.pk]),
        {"name": "Page Firm", "kind": "enterprise", "country": "DE", "nuts_region": "FR10"},
    )
    assert "A NUTS code starts with the code of its country." in bad.content.decode()
    client.post(
        reverse("partnerships:member_remove", args=[member.pk]), {"cluster": world.cluster_a.pk}
    )
    assert not Member.objects.filter(pk=member.pk).exists()


def test_a_member_can_belong_to_several_clusters(client, world, members):
    from escp_portal.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=world.manager_a, role=Role.CLUSTER_MANAGER, cluster=world.cluster_x
    )
    client.force_login(world.manager_a)
    acme = members["acme"]
    client.post(
        reverse("partnerships:member_join", args=[acme.pk]), {"cluster": world.cluster_x.pk}
    )
    assert set(acme.memberships.values_list("cluster_id", flat=True)) == {
        world.cluster_a.pk,
        world.cluster_x.pk,
    }
    # Not into a cluster the user does not manage.
    client.post(
        reverse("partnerships:member_join", args=[acme.pk]), {"cluster": world.cluster_b.pk}
    )
    assert acme.memberships.count() == 2
    # Taken out of one cluster, it stays in the other.
    client.post(
        reverse("partnerships:member_remove", args=[acme.pk]), {"cluster": world.cluster_a.pk}
    )
    assert list(acme.memberships.values_list("cluster_id", flat=True)) == [world.cluster_x.pk]


@pytest.mark.parametrize("view", ["member_join", "member_remove"])
def test_a_cluster_that_is_no_id_answers_404_not_a_server_error(client, world, members, view):
    client.force_login(world.manager_a)
    acme = members["acme"]
    url = reverse(f"partnerships:{view}", args=[acme.pk])
    for value in ("abc", "", "1.5"):
        assert client.post(url, {"cluster": value}).status_code == 404, value
    assert list(acme.memberships.values_list("cluster_id", flat=True)) == [world.cluster_a.pk]
