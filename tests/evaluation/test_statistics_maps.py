"""The programme statistics draw their figures by country on maps, each with its table."""

import pytest

from strategy.models import TargetMarket
from tests import factories
from tests.test_maps import map_table, page_maps

pytestmark = pytest.mark.django_db


def test_the_statistics_map_clusters_targets_missions_and_outcomes(client, world):
    for partnership, country in [(world.a, "JP"), (world.a, "US"), (world.b, "JP")]:
        TargetMarket.objects.create(partnership=partnership, country=country)
    factories.mission(world.a, country="JP")
    factories.mission(world.b, country="JP")
    factories.mission(world.b, country="BR")
    factories.mission(world.b, country="BR", status="cancelled")
    factories.outcome(world.a, counterpart_country="US")
    factories.outcome(world.b, counterpart_country="US")
    factories.outcome(world.b, counterpart_country="SG")
    factories.mission(world.draft, country="CN")  # a draft partnership counts for nothing
    client.force_login(world.officer)
    html = client.get("/statistics/").content.decode()
    assert len(page_maps(html)) == 4
    assert map_table(html, "Cluster organisations per country") == (
        ["Country", "Clusters"],
        {"Germany": (1,), "France": (1,), "Italy": (1,)},
    )
    assert map_table(html, "Partnerships targeting each country") == (
        ["Country", "Partnerships"],
        {"Japan": (2,), "United States of America": (1,)},
    )
    assert map_table(html, "Missions per country")[1] == {"Japan": (2,), "Brazil": (1,)}
    assert map_table(html, "Outcomes per country")[1] == {
        "United States of America": (2,),
        "Singapore": (1,),
    }
    assert "<title>Singapore: 1</title></circle>" in html  # too small for its shape: a marker
    assert '<svg class="country-map country-map-europe"' in html


def test_the_statistics_maps_follow_the_filters(client, world):
    TargetMarket.objects.create(partnership=world.a, country="JP")
    client.force_login(world.officer)
    html = client.get("/statistics/", {"generation": 2}).content.decode()
    assert len(page_maps(html)) == 4
    assert map_table(html, "Partnerships targeting each country")[1] == {}
    assert "No figure yet." in html
