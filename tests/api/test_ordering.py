"""?ordering= on every list of the API: the allowed fields sort (both ways), anything else is a
400 in the one error shape, and the allowed fields are indexed columns."""

import pytest

from escp_portal.api.filters import indexed_fields, ordering_fields_of
from escp_portal.api.urls import router
from partnerships.models import ClusterOrganisation
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = [(prefix, viewset) for prefix, viewset, _basename in router.registry]
# A user's own few tokens: sorted on their creation time, which no index needs.
NOT_INDEXED = {("auth/tokens", "created")}


@pytest.mark.parametrize(("prefix", "viewset"), LISTS, ids=[p for p, _ in LISTS])
def test_an_unknown_ordering_field_is_a_400_on_every_list(client, world, prefix, viewset):
    client.force_login(world.staff)
    for value in ("no_such_field", "-no_such_field", "id,bogus", "password", "id__gt"):
        response = client.get(f"/api/v1/{prefix}/", {"ordering": value})
        assert response.status_code == 400, (prefix, value, response.content)
        body = response.json()
        assert body["code"] == "invalid"
        assert "ordering" in body["errors"]


@pytest.mark.parametrize(("prefix", "viewset"), LISTS, ids=[p for p, _ in LISTS])
def test_every_allowed_ordering_field_sorts_both_ways(client, world, prefix, viewset):
    client.force_login(world.staff)
    model = viewset.queryset.model
    fields = ordering_fields_of(viewset, model)
    assert fields, prefix
    for name in fields:
        assert name in indexed_fields(model) or (prefix, name) in NOT_INDEXED, (prefix, name)
        for value in (name, f"-{name}"):
            response = client.get(f"/api/v1/{prefix}/", {"ordering": value})
            assert response.status_code == 200, (prefix, value, response.content)


def test_the_schema_lists_the_allowed_values(client, world):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/members/"]["get"]["parameters"]}
    assert "-updated_at" in parameters["ordering"]["description"]
    assert "name" in parameters["ordering"]["description"]
    assert parameters["updated_since"]["schema"]["format"] == "date-time"
    assert parameters["paginate"]["schema"]["enum"] == ["page", "cursor"]
    assert "cursor" in parameters


def test_clusters_sort_by_name_both_ways(client, world):
    client.force_login(world.coord_a)
    names = sorted(ClusterOrganisation.objects.values_list("name", flat=True))
    up = [row["name"] for row in client.get("/api/v1/clusters/?ordering=name").json()["results"]]
    down = [row["name"] for row in client.get("/api/v1/clusters/?ordering=-name").json()["results"]]
    assert up == names
    assert down == names[::-1]


def test_members_sort_by_updated_at_and_missions_by_start_date(client, world):
    first = factories.member(world.cluster_a, name="Zeta")
    second = factories.member(world.cluster_a, name="Alpha")
    first.save()  # changed last
    client.force_login(world.manager_a)
    rows = client.get("/api/v1/members/", {"ordering": "-updated_at"}).json()["results"]
    assert [r["id"] for r in rows][:2] == [first.pk, second.pk]
    rows = client.get("/api/v1/members/", {"ordering": "name"}).json()["results"]
    assert [r["name"] for r in rows] == ["Alpha", "Zeta"]

    import datetime

    today = datetime.date.today()
    early = factories.mission(world.a, "Early", start=today + datetime.timedelta(days=5))
    late = factories.mission(world.a, "Late", start=today + datetime.timedelta(days=50))
    client.force_login(world.coord_a)
    rows = client.get("/api/v1/missions/", {"ordering": "-start_date"}).json()["results"]
    assert [r["id"] for r in rows] == [late.pk, early.pk]
    rows = client.get("/api/v1/missions/", {"ordering": "start_date"}).json()["results"]
    assert [r["id"] for r in rows] == [early.pk, late.pk]


def test_a_detail_url_ignores_ordering(client, world):
    client.force_login(world.coord_a)
    response = client.get(f"/api/v1/partnerships/{world.a.pk}/", {"ordering": "bogus"})
    assert response.status_code == 200
