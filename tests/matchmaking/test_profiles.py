"""Findable profiles: nobody is findable until a manager of the member's cluster says so; the
profile shows only the fields they chose (never contacts, figures or notes); it follows the
member's changes and ends when the member is erased or leaves the cluster."""

import pytest
from django.urls import reverse

from matchmaking.models import ContactRequest, FindableProfile
from partnerships.models import Partner
from partnerships.services import members as member_services
from tests import factories

pytestmark = pytest.mark.django_db

CONTACTS = ["yew@member.example", "Yrjö Yew", "+358 40 000 0000"]


def _search(client, user, **params):
    client.force_login(user)
    response = client.get("/api/v1/partner-search/", params)
    assert response.status_code == 200, response.content
    return response


def test_a_member_is_not_findable_until_its_manager_says_so(client, world):
    member = factories.member(world.cluster_a, "Sorb Systems", nace_code="25.62")
    assert not FindableProfile.objects.exists()
    assert _search(client, world.coord_a, q="sorb").json()["count"] == 0

    client.force_login(world.manager_a)
    url = reverse("matchmaking:findability", args=[world.cluster_a.pk])
    page = client.get(url)
    assert "Sorb Systems" in page.content.decode()
    response = client.post(
        url,
        {"members": [member.pk], "action": "set", "show_name": "on", "show_sector": "on"},
    )
    assert response.status_code == 302
    profile = FindableProfile.objects.get(member=member)
    assert profile.set_by == world.manager_a and profile.cluster == world.cluster_a
    assert profile.shown_fields == ["name", "sector"]
    found = _search(client, world.coord_b, q="sorb").json()["results"]
    assert [r["name"] for r in found] == ["Sorb Systems"]
    assert found[0]["country"] is None and found[0]["nace_code"] == "25.62"


def test_stopping_findability_takes_the_member_out_of_the_search(client, world, found):
    client.force_login(world.manager_a)
    url = reverse("matchmaking:findability", args=[world.cluster_a.pk])
    client.post(url, {"members": [found.rowan.pk], "action": "end"})
    assert not FindableProfile.objects.filter(member=found.rowan).exists()
    assert _search(client, world.coord_b, q="rowan").json()["count"] == 0


def test_the_bulk_page_leaves_other_clusters_profiles_alone(client, world, found, manager_b):
    """Yew Works Oy is findable through Beta Cluster; if it also belongs to Alpha Cluster, A's
    manager sees it made findable by Beta Cluster and cannot change that profile."""
    from partnerships.models import ClusterMembership

    ClusterMembership.objects.create(member=found.yew, cluster=world.cluster_a)
    client.force_login(world.manager_a)
    url = reverse("matchmaking:findability", args=[world.cluster_a.pk])
    assert "made findable by Beta Cluster" in client.get(url).content.decode()
    client.post(url, {"members": [found.yew.pk], "action": "set", "show_name": ""})
    client.post(url, {"members": [found.yew.pk], "action": "end"})
    profile = FindableProfile.objects.get(member=found.yew)
    assert profile.cluster == world.cluster_b and profile.show_name


def test_the_findability_page_is_the_clusters_managers_only(client, world):
    url = reverse("matchmaking:findability", args=[world.cluster_a.pk])
    for user in (world.coord_a, world.manager_x, world.officer):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "set"}).status_code == 404


def test_hidden_fields_and_contacts_never_reach_the_search(client, world, found):
    """Hidden Name AB hides its name and country: neither is shown, nor can a search on them
    find it. No search answer holds any contact of any member."""
    everything = [
        _search(client, world.coord_a, competence="additive manufacturing"),
        _search(client, world.coord_a, q="hidden"),
        _search(client, world.coord_a, q="yew"),
        _search(client, world.manager_x, nace="C"),
    ]
    page = client.get(reverse("matchmaking:search"), {"nace": "C"}).content.decode()
    bodies = [r.content.decode() for r in everything] + [page]
    for body in bodies:
        for secret in [*CONTACTS, "hidden@member.example", "rowan@member.example", "Hidden Name"]:
            assert secret not in body
    hidden = next(r for r in everything[0].json()["results"] if r["id"] == found.hidden.pk)
    assert hidden["name"] is None and hidden["country"] is None
    assert hidden["competences"] == ["Additive manufacturing"]
    assert _search(client, world.coord_a, q="hidden").json()["count"] == 0
    assert _search(client, world.coord_a, country="SE").json()["count"] == 0
    assert "A member company (name not shown)" in page


def test_the_profile_follows_the_members_edits(client, world, found, manager_b):
    member_services.member_update(
        actor=manager_b, member=found.yew, nace_code="72.19", competences=["Cold spray"]
    )
    found.profiles.yew.refresh_from_db()
    assert found.profiles.yew.nace_code == "72.19"
    assert found.profiles.yew.competence_tags == "|cold spray|"
    assert _search(client, world.coord_a, competence="cold spray").json()["count"] == 1
    assert _search(client, world.coord_a, competence="laser cladding").json()["count"] == 0


def test_an_import_updates_the_profile(world, found, manager_b):
    from partnerships.services.member_import import bulk_upsert

    bulk_upsert(
        actor=manager_b,
        cluster=world.cluster_b,
        rows=[
            {
                "id": found.yew.pk,
                "name": "Yew Works Oy",
                "country": "FI",
                "nace_code": "25.62",
                "competences": "Laser cladding; Thermal spraying",
                "employees": "30",
            }
        ],
    )
    found.profiles.yew.refresh_from_db()
    assert "thermal spraying" in found.profiles.yew.competence_tags


def test_erasure_ends_findability_and_empties_released_contacts(world, found, manager_b):
    request = ContactRequest.objects.create(
        requester=world.coord_a,
        member=found.yew,
        cluster=world.cluster_b,
        member_name="Yew Works Oy",
        purpose="supply",
        message="Hello",
        status="forwarded",
        released_email="yew@member.example",
    )
    member_services.member_erase(actor=manager_b, member=found.yew)
    assert not FindableProfile.objects.filter(member=found.yew).exists()
    request.refresh_from_db()
    assert request.released_email == "" and request.member_name == ""


def test_leaving_the_cluster_ends_findability(world, found, manager_b):
    from partnerships.models import ClusterMembership

    ClusterMembership.objects.create(member=found.yew, cluster=world.cluster_x)
    member_services.member_remove(actor=manager_b, member=found.yew, cluster=world.cluster_b)
    assert not FindableProfile.objects.filter(member=found.yew).exists()


def test_a_cluster_that_left_every_partnership_takes_its_members_out_of_sight(client, world, found):
    assert _search(client, world.coord_a, q="yew").json()["count"] == 1
    Partner.objects.filter(cluster=world.cluster_b).update(sharing_ended_at="2025-01-01T00:00Z")
    assert _search(client, world.coord_a, q="yew").json()["count"] == 0
    never_partnered = _search(client, world.coord_a, q="lone pine", kind="member")
    assert never_partnered.json()["count"] == 0


def test_the_api_sets_profiles_with_versions(client, world):
    member = factories.member(world.cluster_a, "Sorb Systems")
    client.force_login(world.manager_a)
    created = client.post(
        "/api/v1/findable-profiles/",
        {"member": member.pk, "cluster": world.cluster_a.pk, "show_country": False},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="profile-sorb-1",
    )
    assert created.status_code == 201, created.content
    again = client.post(
        "/api/v1/findable-profiles/",
        {"member": member.pk, "cluster": world.cluster_a.pk},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="profile-sorb-1",
    )
    assert again["Idempotent-Replayed"] == "true" and FindableProfile.objects.count() == 1
    url = f"/api/v1/findable-profiles/{created.json()['id']}/"
    etag = client.get(url)["ETag"]
    changed = client.patch(
        url, {"show_region": True}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200 and changed.json()["show_region"] is True
    stale = client.patch(
        url, {"show_name": False}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    garbage = client.patch(
        url, {"show_name": False}, content_type="application/json", HTTP_IF_MATCH="nonsense"
    )
    assert garbage.status_code == 412
    assert client.delete(url, HTTP_IF_MATCH=changed["ETag"]).status_code == 204
    assert not FindableProfile.objects.exists()


def test_only_the_clusters_managers_make_its_members_findable(client, world):
    member = factories.member(world.cluster_a, "Sorb Systems")
    client.force_login(world.coord_a)  # sees the member (a partner's), may not consent for it
    answer = client.post(
        "/api/v1/findable-profiles/",
        {"member": member.pk, "cluster": world.cluster_a.pk},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert not FindableProfile.objects.exists()


def test_an_erasure_leaves_the_name_nowhere_in_the_trail(client, world, found, manager_b):
    from auditlog.models import LogEntry

    client.force_login(world.coord_a)
    client.post(
        reverse("matchmaking:contact_request_create", args=[found.yew.pk]),
        {"purpose": "supply", "message": "Hello"},
    )
    assert LogEntry.objects.filter(object_repr__contains="Yew Works Oy").exists()
    member_services.member_erase(actor=manager_b, member=found.yew)
    for entry in LogEntry.objects.all():
        assert "Yew Works Oy" not in entry.object_repr + str(entry.changes), entry
