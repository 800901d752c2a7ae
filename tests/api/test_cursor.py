"""Cursor pagination on request: walking a large list returns each row exactly once, in a
stable order; bad cursors answer JSON, never a server error; page numbers stay the default."""

import pytest
from django.utils import timezone

from partnerships.models import ClusterMembership, Member
from tests import factories

pytestmark = pytest.mark.django_db


def walk(client, url, params):
    seen, pages = [], 0
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body
        seen.extend(row["id"] for row in body["results"])
        pages += 1
        if not body["next"]:
            return seen, pages
        response = client.get(body["next"])


def make_members(cluster, n):
    members = Member.objects.bulk_create(
        [Member(name=f"Company {i:04d}", country="DE") for i in range(n)]
    )
    ClusterMembership.objects.bulk_create(
        [ClusterMembership(member=m, cluster=cluster) for m in members]
    )
    return [m.pk for m in members]


def test_walking_1200_members_with_cursors_gives_each_once(client, world):
    ids = make_members(world.cluster_a, 1200)
    client.force_login(world.manager_a)
    seen, pages = walk(client, "/api/v1/members/", {"paginate": "cursor", "page_size": 100})
    assert seen == sorted(ids)
    assert pages == 12
    down, _ = walk(
        client, "/api/v1/members/", {"paginate": "cursor", "page_size": 500, "ordering": "-id"}
    )
    assert down == sorted(ids, reverse=True)


def test_a_cursor_walk_by_updated_at_for_a_sync(client, world):
    ids = make_members(world.cluster_a, 250)
    # Many rows changed in the same instant: ties are walked in id order, none lost.
    Member.objects.filter(pk__in=ids[:120]).update(updated_at=timezone.now())
    client.force_login(world.manager_a)
    since = "2000-01-01T00:00:00Z"
    seen, _ = walk(
        client,
        "/api/v1/members/",
        {"paginate": "cursor", "ordering": "updated_at", "updated_since": since, "page_size": 40},
    )
    assert sorted(seen) == sorted(ids)
    assert len(seen) == len(set(seen))


def test_page_numbers_stay_the_default(client, world):
    factories.member(world.cluster_a)
    client.force_login(world.manager_a)
    body = client.get("/api/v1/members/").json()
    assert body["count"] == 1
    assert client.get("/api/v1/members/", {"paginate": "page"}).json()["count"] == 1


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "cD1hYmM=", "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "bz0tMQ==", "%00", ""],
)
def test_a_bad_cursor_answers_json_not_a_server_error(client, world, cursor):
    make_members(world.cluster_a, 3)
    client.force_login(world.manager_a)
    for ordering in ("id", "updated_at"):
        response = client.get("/api/v1/members/", {"cursor": cursor, "ordering": ordering})
        assert response.status_code in (200, 400, 404), (cursor, ordering, response.content)
        assert response["Content-Type"].startswith("application/json")
        if response.status_code != 200:
            assert response.json()["status"] == response.status_code


def test_cursor_pages_refuse_other_sorts_and_bad_modes(client, world):
    client.force_login(world.manager_a)
    response = client.get("/api/v1/members/", {"paginate": "cursor", "ordering": "name"})
    assert response.status_code == 400
    assert "ordering" in response.json()["errors"]
    assert client.get("/api/v1/members/", {"paginate": "scroll"}).status_code == 400
    response = client.get("/api/v1/members/", {"paginate": "cursor", "page_size": "-3"})
    assert response.status_code == 400


def test_every_list_takes_cursors(client, world):
    from escp_portal.api.urls import router

    client.force_login(world.staff)
    for prefix, _viewset, _basename in router.registry:
        response = client.get(f"/api/v1/{prefix}/", {"paginate": "cursor"})
        assert response.status_code == 200, (prefix, response.content)
        assert "next" in response.json()
