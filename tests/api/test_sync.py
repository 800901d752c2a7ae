"""Incremental sync: ?updated_since= on every list with an updated_at, and the record of
deletions at /api/v1/deletions/, scoped like the records were."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from escp_portal.api.filters import has_updated_at
from escp_portal.api.urls import router
from escp_portal.sync.models import Deletion
from missions.models import Mission
from partnerships.models import Member, Partner
from tests import factories

pytestmark = pytest.mark.django_db

SYNCED = [
    (prefix, viewset)
    for prefix, viewset, _basename in router.registry
    if has_updated_at(viewset.queryset.model)
]
OTHERS = [
    prefix
    for prefix, viewset, _basename in router.registry
    if not has_updated_at(viewset.queryset.model)
]


def test_the_main_lists_have_updated_since():
    prefixes = {prefix for prefix, _ in SYNCED}
    assert {
        "partnerships",
        "clusters",
        "partners",
        "members",
        "strategies",
        "objectives",
        "kpis",
        "measurements",
        "missions",
        "participations",
        "outcomes",
    } <= prefixes


@pytest.mark.parametrize(("prefix", "viewset"), SYNCED, ids=[p for p, _ in SYNCED])
def test_updated_since_on_every_list_that_has_it(client, world, prefix, viewset):
    client.force_login(world.staff)
    past = client.get(f"/api/v1/{prefix}/", {"updated_since": "2000-01-01T00:00:00Z"})
    everything = client.get(f"/api/v1/{prefix}/")
    assert past.status_code == 200, past.content
    assert past.json()["count"] == everything.json()["count"]
    future = client.get(f"/api/v1/{prefix}/", {"updated_since": "2999-01-01T00:00:00+01:00"})
    assert future.status_code == 200
    assert future.json()["count"] == 0
    for bad in ("yesterday", "2025-13-01T00:00:00Z", "2025-01-01T25:00", "", "9999-12-31T23:59Z"):
        response = client.get(f"/api/v1/{prefix}/", {"updated_since": bad})
        assert response.status_code == 400, (prefix, bad)
        assert "ISO 8601" in response.json()["errors"]["updated_since"][0]


@pytest.mark.parametrize("prefix", OTHERS)
def test_a_list_without_updated_at_says_so(client, world, prefix):
    client.force_login(world.staff)
    response = client.get(f"/api/v1/{prefix}/", {"updated_since": "2000-01-01T00:00:00Z"})
    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]


def test_updated_since_is_inclusive_and_returns_only_the_changes(client, world):
    old = factories.member(world.cluster_a, name="Old")
    changed = factories.member(world.cluster_a, name="Changed")
    Member.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    changed.refresh_from_db()
    client.force_login(world.manager_a)
    stamp = changed.updated_at.isoformat()
    rows = client.get("/api/v1/members/", {"updated_since": stamp}).json()["results"]
    assert [r["id"] for r in rows] == [changed.pk]
    # The offset as a query string may carry it unencoded ("+" read as a space): still a moment.
    response = client.get(f"/api/v1/members/?updated_since={stamp}")
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [changed.pk]


def test_an_edit_through_the_api_shows_in_the_next_sync(client, world):
    client.force_login(world.coord_a)
    start = timezone.now()
    before = client.get("/api/v1/partnerships/", {"updated_since": start.isoformat()}).json()
    assert world.a.pk not in [r["id"] for r in before["results"]]
    client.patch(
        f"/api/v1/partnerships/{world.a.pk}/",
        {"website": "https://alpha.example.eu"},
        content_type="application/json",
    )
    after = client.get("/api/v1/partnerships/", {"updated_since": start.isoformat()}).json()
    assert [r["id"] for r in after["results"]] == [world.a.pk]


# --- deletions ------------------------------------------------------------------------------------


def deleted(client, user, **params):
    if user is not None:
        client.force_login(user)
    response = client.get("/api/v1/deletions/", params)
    assert response.status_code == 200, response.content
    return {(row["resource"], row["object_id"]) for row in response.json()["results"]}


def test_a_member_deleted_through_the_api_is_recorded_and_scoped(client, world):
    member = factories.member(world.cluster_a, name="Gone Ltd")
    since = timezone.now().isoformat()
    client.force_login(world.manager_a)
    assert client.delete(f"/api/v1/members/{member.pk}/").status_code == 204
    assert not Member.objects.filter(pk=member.pk).exists()
    entry = ("members", member.pk)
    assert entry in deleted(client, world.manager_a, since=since)
    assert entry in deleted(client, world.coord_a, since=since)  # cluster_a partners in A
    assert entry not in deleted(client, world.coord_b)
    assert entry not in deleted(client, world.manager_x)
    assert entry not in deleted(client, world.officer)  # officers never list members
    assert entry in deleted(client, world.staff, resource="members")
    assert entry not in deleted(client, world.manager_a, resource="missions")
    later = (timezone.now() + datetime.timedelta(seconds=1)).isoformat()
    assert deleted(client, world.manager_a, since=later) == set()


def test_a_member_removed_on_its_page_is_recorded(client, world):
    member = factories.member(world.cluster_a, name="Page Gone")
    client.force_login(world.manager_a)
    response = client.post(
        reverse("partnerships:member_remove", args=[member.pk]), {"cluster": world.cluster_a.pk}
    )
    assert response.status_code == 302
    assert not Member.objects.filter(pk=member.pk).exists()
    assert ("members", member.pk) in deleted(client, world.manager_a)
    assert ("members", member.pk) not in deleted(client, world.coord_b)


def test_a_partner_deleted_in_the_admin_is_recorded(client, world):
    partner = Partner.objects.get(partnership=world.b)
    admin = factories.user("root@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(f"/admin/partnerships/partner/{partner.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content[:500]
    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert ("partners", partner.pk) in deleted(client, world.coord_b)
    assert ("partners", partner.pk) in deleted(client, world.manager_x)  # B is published


def test_a_deleted_partnership_records_its_cascade(client, world):
    mission = factories.mission(world.b, "Trip")
    outcome = factories.outcome(world.b)
    partners = list(Partner.objects.filter(partnership=world.b).values_list("pk", flat=True))
    b_pk = world.b.pk
    world.b.delete()
    recorded = set(Deletion.objects.values_list("resource", "object_id"))
    assert ("partnerships", b_pk) in recorded
    assert ("missions", mission.pk) in recorded
    assert ("outcomes", outcome.pk) in recorded
    assert {("partners", pk) for pk in partners} <= recorded
    # B was published: everyone logged in saw it and its partners; its outcomes were B's own.
    seen_by_a = deleted(client, world.coord_a)
    assert ("partnerships", b_pk) in seen_by_a
    assert ("missions", mission.pk) in seen_by_a  # every coordinator saw B's missions
    assert ("outcomes", outcome.pk) not in seen_by_a
    assert ("outcomes", outcome.pk) in deleted(client, world.officer)


def test_a_draft_partnerships_deletions_stay_with_who_saw_it(client, world):
    mission = factories.mission(world.draft, "Secret trip")
    mission_pk = mission.pk
    mission.delete()
    assert ("missions", mission_pk) in deleted(client, world.coord_a)
    assert ("missions", mission_pk) not in deleted(client, world.coord_b)
    draft_pk = world.draft.pk
    world.draft.delete()  # its coordinators' roles go with it: staff and officers read it
    assert ("partnerships", draft_pk) in deleted(client, world.officer)
    assert ("partnerships", draft_pk) not in deleted(client, world.coord_b)
    assert ("partnerships", draft_pk) not in deleted(client, world.manager_x)
    assert not Mission.objects.filter(pk=mission_pk).exists()


def test_deletions_answer_400_for_bad_parameters(client, world):
    client.force_login(world.coord_a)
    assert client.get("/api/v1/deletions/", {"since": "soon"}).status_code == 400
    assert client.get("/api/v1/deletions/", {"resource": "people"}).status_code == 400
    assert client.get("/api/v1/deletions/", {"ordering": "resource"}).status_code == 400
    assert client.get("/api/v1/deletions/", {"ordering": "-deleted_at"}).status_code == 200
    factories.member(world.cluster_x).delete()
    cluster_pk = world.cluster_x.pk
    world.cluster_x.delete()
    client.logout()  # the public directory's deletions only
    assert deleted(client, None) == {("clusters", cluster_pk)}


def test_old_deletions_are_purged(world, settings):
    from escp_portal.sync.tasks import purge_deletions

    settings.SYNC_DELETIONS_KEEP_DAYS = 30
    factories.member(world.cluster_a).delete()
    factories.member(world.cluster_a).delete()
    old = Deletion.objects.order_by("pk").first()
    Deletion.objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert purge_deletions() == 1
    assert Deletion.objects.count() == 1
