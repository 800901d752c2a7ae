"""The directory's and a partnership's maps: the right figures, each map with its table, and only
what the viewer may see."""

import pytest
from django.urls import reverse

from strategy.models import TargetMarket
from tests import factories
from tests.test_maps import map_table, page_maps

pytestmark = pytest.mark.django_db


def test_the_cluster_list_maps_the_clusters_by_country_and_follows_the_filters(client, world):
    factories.cluster("Second German", "DE")
    html = client.get(reverse("partnerships:cluster_list")).content.decode()
    [svg] = page_maps(html)
    assert "<title>Germany: 2</title>" in svg and "<title>Poland: 1</title>" in svg
    columns, rows = map_table(html, "Cluster organisations by country")
    assert columns == ["Country", "Cluster organisations"]
    assert rows == {"Germany": (2,), "France": (1,), "Italy": (1,), "Poland": (1,)}

    html = client.get(reverse("partnerships:cluster_list"), {"country": "DE"}).content.decode()
    assert map_table(html, "Cluster organisations by country")[1] == {"Germany": (2,)}
    html = client.get(reverse("partnerships:cluster_list"), {"country": "XX"}).content.decode()
    assert map_table(html, "Cluster organisations by country")[1] == {}  # an invalid filter


@pytest.fixture
def activity(world):
    """ALPHA targets Japan and the United States, goes to Japan twice (and once, cancelled, to
    the US) and signed an agreement with an American company."""
    for country in ("JP", "US"):
        TargetMarket.objects.create(partnership=world.a, country=country)
    factories.mission(world.a, country="JP")
    factories.mission(world.a, country="JP")
    factories.mission(world.a, country="US", status="cancelled")
    factories.outcome(world.a, counterpart_country="US")
    factories.mission(world.b, country="CN")  # another partnership's
    return world


def detail(client, partnership):
    response = client.get(reverse("partnerships:partnership_detail", args=[partnership.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(page_maps(html)) == 2
    return html


EUROPE_CAPTION = "Partner clusters of ALPHA by country"
WORLD_CAPTION = "Target markets, missions and outcomes of ALPHA by country"


@pytest.mark.parametrize("viewer", ["coord_a", "manager_a", "officer"])
def test_an_insider_sees_partners_markets_missions_and_outcomes(client, activity, viewer):
    client.force_login(getattr(activity, viewer))
    html = detail(client, activity.a)
    assert map_table(html, EUROPE_CAPTION) == (
        ["Country", "Partner clusters"],
        {"France": (1,), "Germany": (1,)},
    )
    assert map_table(html, WORLD_CAPTION) == (
        ["Country", "Target market", "Missions", "Outcomes"],
        {"Japan": (1, 2, 0), "United States of America": (1, 0, 1)},
    )
    assert "<title>Japan: Target market: 1; Missions: 2</title>" in html


def test_others_see_only_what_the_policy_shows_them(client, activity):
    # The public: the target markets (on the page already), no missions, no outcomes.
    html = detail(client, activity.a)
    assert map_table(html, WORLD_CAPTION) == (
        ["Country", "Target market"],
        {"Japan": (1,), "United States of America": (1,)},
    )
    assert "Missions: 2" not in html
    # Another partnership's coordinator: the missions (the common database), not the outcomes.
    client.force_login(activity.coord_b)
    html = detail(client, activity.a)
    assert map_table(html, WORLD_CAPTION) == (
        ["Country", "Target market", "Missions"],
        {"Japan": (1, 2), "United States of America": (1, 0)},
    )


def test_a_partner_that_left_is_not_on_the_map(client, world):
    from datetime import date

    from partnerships.models import Partner

    Partner.objects.filter(partnership=world.a, cluster=world.cluster_a).update(
        left_on=date(2025, 1, 1)
    )
    html = detail(client, world.a)
    assert map_table(html, EUROPE_CAPTION)[1] == {"France": (1,)}
    assert map_table(html, WORLD_CAPTION)[1] == {}
