"""The programme statistics of the demo come out of the data: checked against counts made here,
independently, from the published list."""

import io
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
FILE = json.loads(
    (
        Path(__file__).resolve().parents[2] / "partnerships" / "data" / "escp_partnerships.json"
    ).read_text("utf-8")
)
DATA = FILE["partnerships"]


def spelling(name: str) -> str:
    """Case, accents, spacing and punctuation set aside (the published list is not consistent)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


# The organisations the published list spells in more than one way: one cluster each.
SAME = {
    (spelling(other), entry["country"]): (spelling(entry["name"]), entry["country"])
    for entry in FILE["clusters"]
    for other in entry["aliases"]
}


def expected(programme=None, generation=None):
    rows = [
        p
        for p in DATA
        if (programme is None or p["programme"] == programme)
        and (generation is None or (p["generation"] or 1) == generation)
    ]

    def key(partner):
        found = (spelling(partner["name"]), partner["country"])
        return SAME.get(found, found)

    clusters = {key(pa): pa["country"] for p in rows for pa in p["partners"]}
    targets = Counter(c for p in rows for c in set(p["target_countries"]))
    naming = [p for p in rows if p["target_countries"]]
    return {
        "partnerships": len(rows),
        "partner_places": sum(len(p["partners"]) for p in rows),
        "clusters": len(clusters),
        "countries": len(set(clusters.values())),
        "clusters_by_country": Counter(clusters.values()),
        "target_countries": targets,
        "average": round(sum(len(p["target_countries"]) for p in naming) / len(naming), 1)
        if naming
        else None,
        "smes_declared": sum(p["sme_count"] or 0 for p in rows),
    }


@pytest.mark.parametrize(
    ("programme", "generation"), [(None, None), ("ESCP-4i", 1), ("ESCP-4i", 2), ("ESCP-S3", None)]
)
def test_statistics_match_the_published_list(client, world, programme, generation):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(world.officer)
    query = {k: v for k, v in (("programme", programme), ("generation", generation)) if v}
    figures = client.get("/api/v1/statistics/", query).json()
    want = expected(programme, generation)
    # The test world adds partnerships of its own (programme ESCP-4i, generation 1).
    extra = (
        {"partnerships": 2, "partner_places": 3, "clusters": 3}
        if (programme in (None, "ESCP-4i") and generation in (None, 1))
        else {}
    )
    assert figures["partnerships"] == want["partnerships"] + extra.get("partnerships", 0)
    assert figures["partner_places"] == want["partner_places"] + extra.get("partner_places", 0)
    assert figures["clusters"] == want["clusters"] + extra.get("clusters", 0)
    assert figures["target_countries"] == dict(want["target_countries"])
    assert figures["average_target_markets"] == want["average"]
    assert figures["smes_declared"] == want["smes_declared"]
    if not extra:
        assert figures["clusters_by_country"] == dict(want["clusters_by_country"])
        assert figures["countries"] == want["countries"]


def test_second_generation_figures(client, world):
    """The second call: 25 partnerships, the USA the most named target market."""
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(world.officer)
    figures = client.get("/api/v1/statistics/", {"programme": "ESCP-4i", "generation": 2}).json()
    assert figures["partnerships"] == 25
    assert next(iter(figures["target_countries"])) == "US"
    page = client.get("/statistics/", {"programme": "ESCP-4i", "generation": 2})
    assert page.status_code == 200 and "Partnerships by KPI achievement" in page.content.decode()


def test_members_reached_count_each_member_of_the_current_partners_once(client, world):
    from datetime import date

    from evaluation import selectors
    from partnerships.models import ClusterMembership, Partner
    from tests import factories

    shared = factories.member(world.cluster_a, "Both clusters SME", employees=12)
    ClusterMembership.objects.create(member=shared, cluster=world.cluster_a2)
    factories.member(world.cluster_a2, "Large Co", employees=900)
    factories.member(world.cluster_b, "Beta SME", employees=5)
    gone = factories.cluster("Left Cluster", "AT")
    Partner.objects.create(partnership=world.a, cluster=gone, left_on=date(2025, 1, 1))
    factories.member(gone, "Left SME", employees=3)
    totals = selectors.totals(world.a.pk)
    assert (totals["members"], totals["smes"]) == (2, 1)
    client.force_login(world.officer)
    figures = client.get("/api/v1/statistics/").json()
    assert (figures["members_reached"], figures["smes_reached"]) == (3, 2)


@pytest.mark.parametrize("generation", ["²", "-1", "0", "abc"])
def test_statistics_refuse_odd_generations(client, world, generation):
    client.force_login(world.officer)
    response = client.get("/api/v1/statistics/", {"generation": generation})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
