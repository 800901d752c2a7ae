"""The partner search: clusters and findable members across every partnership, ranked, each with
the reasons it matches; filters shared by the page and the API; hostile input answered with a
message, never a 500; a query count that does not grow with the results."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Sector
from tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/partner-search/"


def _api(client, user, **params):
    client.force_login(user)
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def _names(body):
    return [r["name"] for r in body["results"]]


def test_an_exact_competence_ranks_first_with_its_reason(client, world, found):
    """Both Yew Works Oy and Hidden Name AB have "Additive manufacturing"; asking for "laser
    cladding" finds Yew only; "laser" finds Yew (cladding) and Rowan (cutting), each with the
    competence that matched."""
    body = _api(client, world.coord_a, competence="Laser cladding")
    assert _names(body) == ["Yew Works Oy"]
    assert body["results"][0]["reasons"] == ["competence: Laser cladding"]
    body = _api(client, world.coord_a, competence="laser")
    reasons = {r["name"]: r["reasons"] for r in body["results"]}
    assert reasons == {
        "Yew Works Oy": ["competence: Laser cladding"],
        "Rowan Tools SA": ["competence: Laser cutting"],
    }


def test_an_exact_tag_outranks_a_partial_one(client, world, found, manager_b):
    extra = factories.member(world.cluster_b, "Aspen Laser Cladding Services", country="FI")
    factories.findable(extra, competences=["Laser cladding repairs"])
    body = _api(client, world.coord_a, competence="laser cladding")
    assert _names(body) == ["Yew Works Oy", "Aspen Laser Cladding Services"]
    assert body["results"][0]["score"] > body["results"][1]["score"]


def test_nace_matches_by_prefix_and_says_how(client, world, found):
    by_section = _api(client, world.coord_a, nace="C", kind="member")
    assert set(_names(by_section)) == {"Yew Works Oy", None, "Rowan Tools SA"}
    by_division = _api(client, world.coord_a, nace="C25")
    assert {r["nace_code"] for r in by_division["results"]} == {"25.62", "25.61"}
    yew = next(r for r in by_division["results"] if r["name"] == "Yew Works Oy")
    assert "NACE C25 matches C25.62" in yew["reasons"]
    exact = _api(client, world.coord_a, nace="25.62")
    assert _names(exact) == ["Yew Works Oy"]
    assert _api(client, world.coord_a, nace="2562")["count"] == 1  # spelled without the dot


def test_country_size_and_export_market_filter_with_reasons(client, world, found):
    body = _api(client, world.coord_a, export_market="JP")
    assert set(_names(body)) == {"Yew Works Oy", "Rowan Tools SA"}
    assert all("exports to Japan" in r["reasons"] for r in body["results"])
    body = _api(client, world.coord_a, export_market="JP", size="small")
    assert _names(body) == ["Yew Works Oy"] and "size: Small" in body["results"][0]["reasons"]
    body = _api(client, world.coord_a, country="FR")
    kinds = {(r["kind"], r["name"]) for r in body["results"]}
    assert kinds == {("member", "Rowan Tools SA"), ("cluster", "Alpha Two")}
    assert all("in France" in r["reasons"] for r in body["results"])


def test_free_text_finds_clusters_and_members(client, world, found):
    world.cluster_x.description = "Metal additive manufacturing and laser processes."
    world.cluster_x.save()
    body = _api(client, world.coord_a, q="additive")
    kinds = {(r["kind"], r["name"]) for r in body["results"]}
    assert ("cluster", "Lone Cluster") in kinds
    assert ("member", "Yew Works Oy") in kinds
    cluster = next(r for r in body["results"] if r["kind"] == "cluster")
    assert cluster["reasons"] == ["profile mentions “additive”"]
    sector = Sector.objects.create(name="Advanced manufacturing", slug="advanced-manufacturing")
    world.cluster_b.sectors.add(sector)
    body = _api(client, world.coord_a, q="advanced", kind="cluster")
    assert _names(body) == ["Beta Cluster"]
    assert body["results"][0]["reasons"] == ["sector: Advanced manufacturing"]


def test_a_name_match_ranks_first(client, world, found):
    other = factories.member(world.cluster_b, "Birchwood Ltd", country="FI")
    factories.findable(other, competences=["Yew furniture"])
    body = _api(client, world.coord_a, q="yew", kind="member")
    assert _names(body) == ["Yew Works Oy", "Birchwood Ltd"]
    assert body["results"][0]["reasons"][0] == "name matches “yew”"
    assert body["results"][1]["reasons"] == ["competence: Yew furniture"]


def test_the_page_shows_the_same_results_and_their_reasons(client, world, found):
    client.force_login(world.manager_x)
    page = client.get(reverse("matchmaking:search"), {"competence": "laser cladding"})
    body = page.content.decode()
    assert "Yew Works Oy" in body and "competence: Laser cladding" in body
    assert reverse("matchmaking:contact_request_create", args=[found.yew.pk]) in body
    empty = client.get(reverse("matchmaking:search")).content.decode()
    assert "Yew Works Oy" not in empty and "Type what you look for" in empty


def test_an_empty_search_finds_nothing_rather_than_everything(client, world, found):
    assert _api(client, world.coord_a)["count"] == 0
    assert _api(client, world.coord_a, q="  !!  ")["count"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"nace": "99.99"},
        {"nace": "ZZ"},
        {"country": "XX"},
        {"size": "giant"},
        {"kind": "everything"},
        {"q": "x" * 500},
        {"page": "9" * 30},
        {"page": "-1"},
    ],
)
def test_hostile_input_is_a_400_with_the_error_shape(client, world, found, params):
    client.force_login(world.coord_a)
    response = client.get(API, {"competence": "laser", **params})
    assert response.status_code in (400, 404), (params, response.status_code)
    body = response.json()
    assert set(body) >= {"status", "code", "detail"}
    page = client.get(reverse("matchmaking:search"), {"competence": "laser", **params})
    assert page.status_code == 200


def test_control_characters_and_huge_pages_never_break_the_page(client, world, found):
    client.force_login(world.coord_a)
    assert client.get(API, {"q": "laser\x00"}).status_code == 400
    assert client.get(reverse("matchmaking:search"), {"q": "a\x1fb"}).status_code == 400
    page = client.get(reverse("matchmaking:search"), {"nace": "C", "page": "99999999"})
    assert page.status_code == 200 and "Yew Works Oy" in page.content.decode()
    bad = client.get(reverse("matchmaking:search"), {"nace": "99.99"}).content.decode()
    assert "is not a NACE" in bad or "Enter a NACE" in bad


def test_who_may_search(client, world, found):
    client.logout()
    assert client.get(API, {"q": "yew"}).status_code == 401
    assert client.get(reverse("matchmaking:search")).status_code == 302
    nobody = factories.user("nobody@example.org")
    for user in (world.officer, nobody):
        client.force_login(user)
        assert client.get(API, {"q": "yew"}).status_code == 403
        assert client.get(reverse("matchmaking:search")).status_code == 403


def test_results_come_in_pages(client, world, found):
    for i in range(25):
        member = factories.member(world.cluster_a, f"Paged {i:02d}", country="DE")
        factories.findable(member, competences=["Welding"])
    first = _api(client, world.coord_a, competence="welding")
    assert first["count"] == 25 and len(first["results"]) == 20 and first["next"]
    second = _api(client, world.coord_a, competence="welding", page=2)
    assert len(second["results"]) == 5
    assert _names(first)[:2] == ["Paged 00", "Paged 01"]


def test_the_query_count_does_not_grow_with_the_results(client, world, found):
    client.force_login(world.coord_a)
    url = reverse("matchmaking:search")

    def count():
        client.get(url)  # warm: the user's roles come from the cache from then on
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": "works"}).status_code == 200
            assert client.get(API, {"q": "works"}).status_code == 200
        return len(queries)

    sector = Sector.objects.create(name="Metal works", slug="metal-works")
    factories.cluster("Works cluster").sectors.add(sector)  # both kinds of result from the start
    before = count()
    for i in range(15):
        member = factories.member(world.cluster_a, f"Works {i:02d}", country="DE")
        factories.findable(member, competences=["Metal works", f"Skill {i}"])
        cluster = factories.cluster(f"Works cluster {i:02d}")
        cluster.sectors.add(sector)
    assert count() == before


def test_a_search_with_nothing_to_rank_lists_clusters_then_members_by_name(client, world, found):
    body = _api(client, world.coord_a, country="FI")
    assert [(r["kind"], r["name"]) for r in body["results"]] == [("member", "Yew Works Oy")]
    extra = factories.member(world.cluster_b, "Aalto Tools Oy", country="FI")
    factories.findable(extra)
    factories.cluster("Finnish Cluster", "FI")
    body = _api(client, world.coord_a, country="FI")
    assert [(r["kind"], r["name"]) for r in body["results"]] == [
        ("cluster", "Finnish Cluster"),
        ("member", "Aalto Tools Oy"),
        ("member", "Yew Works Oy"),
    ]
    assert body["capped"] is False


def test_the_count_stops_at_a_cap(client, world, found, monkeypatch):
    monkeypatch.setattr("matchmaking.selectors.search.MAX_COUNT", 3)
    for i in range(4):
        factories.findable(factories.member(world.cluster_a, f"Capped {i}", country="DE"))
    body = _api(client, world.coord_a, country="DE", kind="member")
    assert body["count"] == 3 and body["capped"] is True and len(body["results"]) == 3
    page = client.get(reverse("matchmaking:search"), {"country": "DE", "kind": "member"})
    assert "More than 3 matches" in page.content.decode()
