"""Who sees and touches a cluster's member data: its managers, the coordinators of its
partnerships (contact persons only where the cluster shares them); EC officers get figures."""

import pytest
from django.urls import reverse

from partnerships.models import ClusterMembership

pytestmark = pytest.mark.django_db


def member_pages(member, cluster):
    return [
        ("get", reverse("partnerships:member_list", args=[cluster.pk])),
        ("get", reverse("partnerships:member_export", args=[cluster.pk, "csv"])),
        ("get", reverse("partnerships:member_export", args=[cluster.pk, "xlsx"])),
        ("get", reverse("partnerships:member_detail", args=[member.pk])),
        ("get", reverse("partnerships:member_edit", args=[member.pk])),
        ("get", reverse("partnerships:member_erase", args=[member.pk])),
        ("post", reverse("partnerships:member_erase", args=[member.pk])),
        ("get", reverse("partnerships:member_personal_data", args=[member.pk])),
        ("post", reverse("partnerships:member_remove", args=[member.pk])),
    ]


@pytest.mark.parametrize("who", ["manager_x", "coord_b", "officer"])
def test_others_cannot_see_or_touch_a_clusters_members(client, world, members, who):
    client.force_login(getattr(world, who))
    acme = members["acme"]
    for method, url in member_pages(acme, world.cluster_a):
        response = getattr(client, method)(url, {"cluster": world.cluster_a.pk})
        assert response.status_code == 404, (method, url)
    api = f"/api/v1/members/{acme.pk}/"
    assert client.get(api).status_code == 404
    assert client.patch(api, {"name": "X"}, content_type="application/json").status_code == 404
    assert client.delete(api).status_code == 404
    assert client.post(api + "erase/").status_code == 404
    assert client.get(api + "personal-data/").status_code == 404
    listed = client.get("/api/v1/members/", {"cluster": world.cluster_a.pk}).json()
    assert listed["count"] == 0
    acme.refresh_from_db()
    assert acme.name == "Acme Robotics" and acme.erased_at is None


def test_anonymous_sees_no_member_data(client, world, members):
    assert client.get("/api/v1/members/").status_code == 401
    page = client.get(reverse("partnerships:member_list", args=[world.cluster_a.pk]))
    assert page.status_code == 302
    cluster_page = client.get(world.cluster_a.get_absolute_url()).content.decode()
    assert "Members in figures" not in cluster_page


def test_manager_sees_and_edits_own_members_only(client, world, members):
    client.force_login(world.manager_a)
    listed = client.get("/api/v1/members/").json()
    assert {m["name"] for m in listed["results"]} == {"Acme Robotics", "Bigco"}
    acme = next(m for m in listed["results"] if m["name"] == "Acme Robotics")
    assert acme["contact_email"] == "ada@acme.example"
    assert acme["is_sme"] is True and acme["size_class"] == "small"
    assert acme["competences"] == ["Robotics"] and acme["export_markets"] == ["CN", "US"]
    response = client.patch(
        f"/api/v1/members/{members['acme'].pk}/",
        {"employees": 300},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["is_sme"] is False  # derived, not typed in
    refused = client.patch(
        f"/api/v1/members/{members['acme'].pk}/", {"is_sme": True}, content_type="application/json"
    )
    assert refused.json()["is_sme"] is False


def test_coordinator_sees_partner_members_with_contacts_only_if_shared(client, world, members):
    client.force_login(world.coord_a)
    data = client.get(f"/api/v1/members/{members['acme'].pk}/").json()
    assert data["contact_email"] == "ada@acme.example"
    assert client.get(f"/api/v1/members/{members['beta'].pk}/").status_code == 404
    world.cluster_a.share_member_contacts = False
    world.cluster_a.save()
    data = client.get(f"/api/v1/members/{members['acme'].pk}/").json()
    assert data["contact_email"] is None and data["name"] == "Acme Robotics"
    page = client.get(reverse("partnerships:member_detail", args=[members["acme"].pk]))
    assert "ada@acme.example" not in page.content.decode()
    exported = client.get(reverse("partnerships:member_export", args=[world.cluster_a.pk, "csv"]))
    assert b"ada@acme.example" not in exported.content
    # Coordinators read; they do not edit.
    assert (
        client.patch(
            f"/api/v1/members/{members['acme'].pk}/", {"city": "X"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_officer_sees_figures_not_names(client, world, members):
    client.force_login(world.officer)
    page = client.get(world.cluster_a.get_absolute_url()).content.decode()
    assert "Members in figures" in page and "2 members" in page and "of which 1 SMEs" in page
    assert "Acme Robotics" not in page
    assert client.get("/api/v1/members/").json()["count"] == 0


def test_coordinators_do_not_learn_a_members_other_clusters(client, world, members):
    ClusterMembership.objects.create(member=members["acme"], cluster=world.cluster_x)
    client.force_login(world.coord_a)
    data = client.get(f"/api/v1/members/{members['acme'].pk}/").json()
    assert data["clusters"] == [world.cluster_a.pk]
    page = client.get(reverse("partnerships:member_detail", args=[members["acme"].pk]))
    assert "Lone Cluster" not in page.content.decode()
    assert client.get(f"/api/v1/members/?cluster={world.cluster_x.pk}").json()["count"] == 0


def test_the_partnership_filter_does_not_tell_a_members_other_clusters(client, world, members):
    """Acme is seen through cluster_a; that it is also in B's cluster is not coord_a's to learn."""
    ClusterMembership.objects.create(member=members["acme"], cluster=world.cluster_b)
    client.force_login(world.coord_a)
    names = {
        row["name"]
        for row in client.get(f"/api/v1/members/?partnership={world.b.pk}").json()["results"]
    }
    assert names == set()
    own = client.get(f"/api/v1/members/?partnership={world.a.pk}").json()["results"]
    assert {row["name"] for row in own} == {"Acme Robotics", "Bigco"}
