"""Cached page fragments (escp_portal/fragments.py): shared by readers who may see the same rows,
never by others, and dropped the moment what they show changes, however it was written."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Member, Partnership
from tests.factories import member

pytestmark = pytest.mark.django_db

LIST = "/partnerships/"


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def filter_form(page: str) -> str:
    start = page.index('<form method="get" aria-labelledby="filter-title"')
    return page[start : page.index("</form>", start)]


def test_a_second_reader_with_the_same_roles_gets_the_rows_from_the_cache(client, world):
    first, first_queries = queries(client, LIST)
    again, again_queries = queries(client, LIST)
    assert "ALPHA" in first and "ALPHA" in again
    assert again_queries < first_queries  # the rows' own queries (partners) were not run


@pytest.mark.parametrize("how", ["save", "update", "raw SQL"])
def test_a_changed_name_shows_at_once(client, world, how):
    assert "ALPHA" in client.get(LIST).content.decode()
    if how == "save":
        world.a.acronym = "GAMMA"
        world.a.save()
    elif how == "update":
        Partnership.objects.filter(pk=world.a.pk).update(acronym="GAMMA")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Partnership._meta.db_table} SET acronym = %s WHERE id = %s",
                ["GAMMA", world.a.pk],
            )
    page = client.get(LIST).content.decode()
    assert "GAMMA" in page and ">ALPHA<" not in page


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_connection_shows_at_once(client):
    """Autocommit, as a worker or another web instance writes."""
    from tests.factories import make_world

    world = make_world()
    assert "ALPHA" in client.get(LIST).content.decode()
    Partnership.objects.filter(pk=world.a.pk).update(acronym="DELTA")
    assert "DELTA" in client.get(LIST).content.decode()


def test_a_draft_cached_for_its_coordinator_is_not_shown_to_the_public(client, world):
    client.force_login(world.coord_a)
    assert "DRAFTY" in client.get(LIST).content.decode()
    client.logout()
    assert "DRAFTY" not in client.get(LIST).content.decode()
    client.force_login(world.coord_b)  # a coordinator of another partnership: not its draft
    assert "DRAFTY" not in client.get(LIST).content.decode()


def test_a_new_role_shows_the_rows_it_opens_at_once(client, world):
    from escp_portal.accounts.models import Role, RoleAssignment

    client.force_login(world.coord_b)
    assert "DRAFTY" not in client.get(LIST).content.decode()
    RoleAssignment.objects.create(
        user=world.coord_b, role=Role.COORDINATOR, partnership=world.draft
    )
    assert "DRAFTY" in client.get(LIST).content.decode()


def test_a_member_edited_shows_at_once_in_the_member_list(client, world):
    alder = member(world.cluster_a, name="Alder GmbH")
    url = reverse("partnerships:member_list", args=[world.cluster_a.pk])
    client.force_login(world.manager_a)
    assert "Alder GmbH" in client.get(url).content.decode()
    Member.objects.filter(pk=alder.pk).update(name="Aspen GmbH")
    assert "Aspen GmbH" in client.get(url).content.decode()


def test_a_manager_of_another_cluster_never_gets_the_cached_member_rows(client, world):
    member(world.cluster_a, name="Alder GmbH")
    url = reverse("partnerships:member_list", args=[world.cluster_a.pk])
    client.force_login(world.manager_a)
    assert "Alder GmbH" in client.get(url).content.decode()
    client.force_login(world.manager_x)
    response = client.get(url)
    assert response.status_code == 404
    assert "Alder GmbH" not in response.content.decode()


def test_the_missions_list_follows_a_renamed_mission(client, world):
    from tests.factories import mission

    voyage = mission(world.a, title="Voyage Alpha")
    client.force_login(world.coord_a)
    url = "/missions/?view=list"
    assert "Voyage Alpha" in client.get(url).content.decode()
    type(voyage).objects.filter(pk=voyage.pk).update(title="Voyage Omega")
    assert "Voyage Omega" in client.get(url).content.decode()


def test_reading_rows_to_lock_them_keeps_the_cached_rows(client, world):
    """An ORM read that locks its rows (``SELECT … FOR UPDATE``, as a form's version check does)
    writes nothing: the cached rows stay, and a raw SQL write still drops them."""
    from django.db import transaction

    _first, first_queries = queries(client, LIST)
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=world.a.pk)
        list(Partnership.objects.filter(acronym__icontains="update"))
    again, again_queries = queries(client, LIST)
    assert "ALPHA" in again and again_queries < first_queries
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Partnership._meta.db_table} SET acronym = %s WHERE id = %s",
            ["OMEGA", world.a.pk],
        )
    assert "OMEGA" in client.get(LIST).content.decode()


def test_the_filter_form_is_cached_and_follows_its_choices_and_query_string(client, world):
    """The directory's filter form comes from the cache for a second reader (its choices are
    not read again); a new programme shows in it at once, and another query string gets a form
    bound to its own values."""
    from partnerships.models import Programme

    first, first_queries = queries(client, LIST)
    again, again_queries = queries(client, LIST)
    assert filter_form(again) == filter_form(first) and again_queries < first_queries
    Programme.objects.create(code="ZETA-PROG", name="Zeta programme")
    assert 'value="ZETA-PROG"' in client.get(LIST).content.decode()
    bound = client.get(LIST + "?q=zzz-nothing").content.decode()
    assert 'value="zzz-nothing"' in bound and 'value="zzz-nothing"' not in first


def test_the_missions_filter_offers_each_reader_only_the_partnerships_it_may_see(client, world):
    """The missions calendar's partnership choices come from the missions the reader may see:
    a cached form is never shown to a reader with other roles, and a mission of a new
    partnership adds it to the choices at once."""
    from tests.factories import mission

    mission(world.draft, title="Draft voyage")
    mission(world.b, title="Beta voyage")
    url = "/missions/?view=list"
    client.force_login(world.coord_a)
    assert f'<option value="{world.draft.pk}"' in client.get(url).content.decode()
    client.force_login(world.coord_b)
    page = client.get(url).content.decode()
    assert f'<option value="{world.draft.pk}"' not in page
    assert f'<option value="{world.a.pk}"' not in page
    client.force_login(world.officer)
    assert f'<option value="{world.a.pk}"' not in client.get(url).content.decode()
    mission(world.a, title="Alpha voyage")
    assert f'<option value="{world.a.pk}"' in client.get(url).content.decode()


# --- a partnership's page: its sectors, partners, markets and maps -----------------------------


def _partnership_page(world):
    return reverse("partnerships:partnership_detail", args=[world.a.pk])


def test_a_partnership_page_is_read_once_for_readers_with_the_same_roles(client, world):
    """The second reader runs none of the queries of the cached part (sectors, markets,
    partners, missions and outcomes by country) and gets the same page."""
    url = _partnership_page(world)
    client.force_login(world.coord_a)
    first, first_queries = queries(client, url)
    again, again_queries = queries(client, url)
    assert "Alpha Cluster" in first and "Alpha Two" in first
    assert again_queries <= first_queries - 4
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", again) == strip.sub("", first)


def _change(world, what):
    from missions.models import Mission
    from partnerships.models import ClusterOrganisation, Partner, Sector
    from strategy.models import TargetMarket
    from tests.factories import cluster, mission, outcome

    if what == "cluster renamed":
        ClusterOrganisation.objects.filter(pk=world.cluster_a.pk).update(name="Aspen Cluster")
        return "Aspen Cluster"
    if what == "partner added":
        Partner.objects.create(partnership=world.a, cluster=cluster("Birch Cluster", "AT"))
        return "Birch Cluster"
    if what == "sector added":  # an existing sector: only the link table changes
        sector = Sector.objects.create(name="Cedar industries", slug="cedar")
        assert "Cedar industries" not in client_page(world)
        world.a.sectors.add(sector)
        return "Cedar industries"
    if what == "sector renamed":
        sector = Sector.objects.create(name="Old name", slug="old")
        world.a.sectors.add(sector)
        assert "Old name" in client_page(world)
        Sector.objects.filter(pk=sector.pk).update(name="Dogwood trades")
        return "Dogwood trades"
    if what == "target market":
        TargetMarket.objects.create(partnership=world.a, country="JP")
        return row("Japan")
    if what == "mission":
        mission(world.a, title="Elm mission", country="BR")
        return row("Brazil")
    if what == "mission moved":
        trip = mission(world.a, title="Fir mission", country="CL")
        assert row("Chile") in client_page(world)
        Mission.objects.filter(pk=trip.pk).update(country="PE")
        return row("Peru")
    outcome(world.a, counterpart_country="ZA")
    return row("South Africa")


def row(country: str) -> str:
    """A country's row in the table of the page's world map (the map itself names every
    country)."""
    return f'<th scope="row" class="fw-normal">{country}</th>'


def client_page(world):
    from django.test import Client

    reader = Client()
    reader.force_login(world.coord_a)
    return reader.get(_partnership_page(world)).content.decode()


@pytest.mark.parametrize(
    "what",
    [
        "cluster renamed",
        "partner added",
        "sector added",
        "sector renamed",
        "target market",
        "mission",
        "mission moved",
        "outcome",
    ],
)
def test_a_change_to_what_a_partnership_page_shows_shows_at_once(world, what):
    """Every table the cached part reads is in its key: a change to any of them is on the
    next page."""
    before = client_page(world)
    expected = _change(world, what)
    assert expected not in before
    assert expected in client_page(world)


def test_a_partnership_page_cached_for_its_coordinator_gives_nobody_else_its_links(client, world):
    """The coordinator's copy has the partners' edit links; an EC officer, a manager of a
    partner cluster and the public each get their own."""
    url = _partnership_page(world)
    client.force_login(world.coord_a)
    edit = reverse("partnerships:partner_edit", args=[world.a.partners.first().pk])
    assert edit in client.get(url).content.decode()
    for reader in (world.officer, world.manager_a, world.coord_b, None):
        client.logout()
        if reader is not None:
            client.force_login(reader)
        page = client.get(url).content.decode()
        assert "Alpha Cluster" in page
        assert edit not in page, reader
    client.force_login(world.manager_a)
    members = reverse("partnerships:member_list", args=[world.cluster_a.pk])
    others = reverse("partnerships:member_list", args=[world.cluster_a2.pk])
    page = client.get(url).content.decode()
    assert members in page and others not in page


def test_a_new_release_never_serves_the_fragments_of_the_one_before(client, world, monkeypatch):
    """A fragment names the hashed static files of the release that rendered it (a flag's
    image): the next release, whose manifest differs, renders its own."""
    from escp_portal import fragments

    monkeypatch.setattr(fragments, "release_id", lambda: "release-1")
    _first, first_queries = queries(client, LIST)
    _again, again_queries = queries(client, LIST)
    assert again_queries < first_queries
    monkeypatch.setattr(fragments, "release_id", lambda: "release-2")
    _new, new_queries = queries(client, LIST)
    assert new_queries == first_queries


def test_every_cached_fragment_is_keyed_by_release_roles_and_the_tables_it_reads():
    """Every ``{% cache %}`` of the templates carries the keys fragments.py names."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    tags = [
        (path.relative_to(root), tag)
        for path in root.rglob("*.html")
        for tag in re.findall(r"{%\s*cache\s[^%]*%}", path.read_text())
    ]
    assert len(tags) >= 5
    for name, tag in tags:
        words = tag.split()
        for key in ("fragment_release", "changed", "LANGUAGE_CODE", "fragment_scope"):
            assert key in words, f"{name}: {tag} lacks {key}"
