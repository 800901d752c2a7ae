"""Sortable columns on the list pages (the same kind of ordering the API takes): links that
work without JavaScript, aria-sort on the sorted header, unknown values ignored (never a 500)."""

import datetime
import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def sorted_header(html: str) -> list[str]:
    return re.findall(r'<th scope="col"[^>]*aria-sort="(\w+)"[^>]*><a href="([^"]+)"', html)


def names_in_rows(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


def test_partnerships_sort_by_acronym_both_ways(client, world):
    url = reverse("partnerships:partnership_list")
    page = client.get(url).content.decode()
    assert sorted_header(page) == [("ascending", "?ordering=-acronym")]
    assert 'href="?ordering=name"' in page
    rows = names_in_rows(page, r'<th scope="row"><a href="[^"]+">(\w+)</a></th>')
    assert rows == sorted(rows)
    page = client.get(url, {"ordering": "-acronym"}).content.decode()
    rows_down = names_in_rows(page, r'<th scope="row"><a href="[^"]+">(\w+)</a></th>')
    assert rows_down == sorted(rows, reverse=True)
    assert sorted_header(page) == [("descending", "?ordering=acronym")]


def test_the_sort_links_keep_the_filters(client, world):
    page = client.get(
        reverse("partnerships:partnership_list"), {"status": "active", "page": "2"}
    ).content.decode()
    assert 'href="?status=active&amp;ordering=name"' in page
    page = client.get(
        reverse("partnerships:partnership_list"), {"ordering": "name"}
    ).content.decode()
    assert '<input type="hidden" name="ordering" value="name">' in page


@pytest.mark.parametrize("value", ["bogus", "-", "programme__code", "name,acronym", "<b>"])
def test_unknown_sorts_are_ignored_on_pages(client, world, value):
    client.force_login(world.manager_a)
    for url in (
        reverse("partnerships:partnership_list"),
        reverse("partnerships:member_list", args=[world.cluster_a.pk]),
        reverse("missions:calendar") + "?view=list",
    ):
        response = client.get(url, {"ordering": value})
        assert response.status_code == 200, (url, value)
        assert 'value="<b>"' not in response.content.decode()  # echoed escaped, if at all


def test_members_sort_by_name_and_country(client, world):
    factories.member(world.cluster_a, name="Zulu GmbH", country="AT")
    factories.member(world.cluster_a, name="Alpha SA", country="FR")
    client.force_login(world.manager_a)
    url = reverse("partnerships:member_list", args=[world.cluster_a.pk])
    page = client.get(url).content.decode()
    assert page.index("Alpha SA") < page.index("Zulu GmbH")
    assert sorted_header(page) == [("ascending", "?ordering=-name")]
    page = client.get(url, {"ordering": "-name"}).content.decode()
    assert page.index("Zulu GmbH") < page.index("Alpha SA")
    page = client.get(url, {"ordering": "-country"}).content.decode()
    assert page.index("Alpha SA") < page.index("Zulu GmbH")  # FR after AT, reversed
    assert sorted_header(page) == [("descending", "?ordering=country")]


def test_the_mission_list_sorts_by_date_and_country(client, world):
    today = datetime.date.today()
    factories.mission(world.a, "Near trip", start=today + datetime.timedelta(days=3), country="CA")
    factories.mission(world.a, "Far trip", start=today + datetime.timedelta(days=40), country="BR")
    client.force_login(world.coord_a)
    url = reverse("missions:calendar")
    page = client.get(url, {"view": "list"}).content.decode()
    assert page.index("Near trip") < page.index("Far trip")
    assert ("ascending", "?view=list&amp;ordering=-start_date") in sorted_header(page)
    page = client.get(url, {"view": "list", "ordering": "-start_date"}).content.decode()
    assert page.index("Far trip") < page.index("Near trip")
    page = client.get(url, {"view": "list", "ordering": "country"}).content.decode()
    assert page.index("Far trip") < page.index("Near trip")  # BR before CA
