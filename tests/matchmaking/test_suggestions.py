"""Suggestions: for a value chain's stage nobody covers, clusters of other partnerships and
findable members that fit it (with why), one click inviting the cluster or asking for the
member's contact; for a coordinator, export groups of members of different partner clusters
going to the same market with competences that complete each other, one click making one."""

import pytest
from django.urls import reverse

from matchmaking.models import ContactRequest
from matchmaking.selectors.suggestions import export_group_suggestions, stage_words
from missions.models import ExportGroup
from partnerships.models import PartnerInvitation, Sector
from strategy.models import StageAssignment, TargetMarket, ValueChain, ValueChainStage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(world, found):
    """A's value chain: "Laser cladding of pump shafts" (nobody there), "Assembly" (covered)."""
    chain = ValueChain.objects.create(partnership=world.a, name="Pumps")
    gap = ValueChainStage.objects.create(
        chain=chain,
        name="Laser cladding of pump shafts",
        description="Wear-resistant coatings",
        order=1,
    )
    covered = ValueChainStage.objects.create(chain=chain, name="Assembly", order=2)
    StageAssignment.objects.create(stage=covered, partner=world.a.partners.first())
    sector = Sector.objects.create(name="Surface coatings", slug="surface-coatings")
    world.cluster_b.sectors.add(sector)  # a partner of B: of another partnership
    chain.gap = gap
    return chain


def test_the_words_of_a_stage(world):
    stage = ValueChainStage(name="Laser cladding of the stage", description="with coatings")
    assert stage_words(stage) == ["laser", "cladding", "coatings"]


def test_an_uncovered_stage_gets_suggestions_with_reasons(client, world, found, chain):
    client.force_login(world.coord_a)
    page = client.get(chain.get_absolute_url())
    body = page.content.decode()
    assert "Who could cover the stages nobody covers" in body
    section = page.context["chain_sections"][0]
    (gap,) = section["gaps"]
    assert gap.stage == chain.gap
    shown = [(s.kind, s.obj.name) for s in gap.suggestions]
    # Yew Works Oy (laser cladding, Beta Cluster) first; Beta Cluster (sector "Surface
    # coatings"); not Rowan Tools SA (Alpha Cluster is A's own partner), not Lone Pine (its
    # cluster partners nowhere).
    assert shown[0] == ("member", "Yew Works Oy")
    assert ("cluster", "Beta Cluster") in shown
    assert all(
        name not in ("Rowan Tools SA", "Lone Pine Sp", "Alpha Cluster") for _k, name in shown
    )
    yew = gap.suggestions[0]
    assert "competence: Laser cladding" in yew.reasons
    beta = next(s for s in gap.suggestions if s.kind == "cluster")
    assert beta.reasons == ["sector: Surface coatings"]
    assert "Invite to the partnership" in body and "Ask for a contact" in body
    assert "yew@member.example" not in body


def test_one_click_invites_the_suggested_cluster(client, world, found, chain):
    client.force_login(world.coord_a)
    url = reverse("matchmaking:gap_action", args=[chain.gap.pk])
    token = "a" * 32
    data = {"kind": "cluster", "target": world.cluster_b.pk, "once_token": token}
    response = client.post(url, data)
    assert response.status_code == 302
    invitation = PartnerInvitation.objects.get()
    assert (invitation.partnership, invitation.cluster) == (world.a, world.cluster_b)
    assert "Laser cladding of pump shafts" in invitation.message
    assert invitation.state == "pending"  # consent: a partner only once its manager accepts
    client.post(url, data)  # a double click saves once
    assert PartnerInvitation.objects.count() == 1
    again = client.post(url, {**data, "once_token": "b" * 32}, follow=True)
    assert "invitation waiting" in again.content.decode()


def test_one_click_asks_for_the_suggested_members_contact(client, world, found, chain):
    client.force_login(world.coord_a)
    url = reverse("matchmaking:gap_action", args=[chain.gap.pk])
    response = client.post(url, {"kind": "member", "target": found.yew.pk, "once_token": "c" * 32})
    request = ContactRequest.objects.get()
    assert response.url == request.get_absolute_url()
    assert request.purpose == "value_chain" and "Laser cladding of pump shafts" in request.message


def test_a_manager_sees_suggestions_but_invites_nobody(client, world, found, chain):
    client.force_login(world.manager_a)
    page = client.get(chain.get_absolute_url()).content.decode()
    assert "Yew Works Oy" in page and "Invite to the partnership" not in page
    url = reverse("matchmaking:gap_action", args=[chain.gap.pk])
    answer = client.post(url, {"kind": "cluster", "target": world.cluster_b.pk})
    assert answer.status_code == 403
    client.force_login(world.officer)  # reads the partnership, looks for no partner
    page = client.get(chain.get_absolute_url()).content.decode()
    assert "Who could cover" not in page
    client.force_login(world.coord_b)
    assert client.post(url, {"kind": "cluster", "target": world.cluster_b.pk}).status_code == 404


def test_an_invitation_only_goes_to_clusters_of_other_partnerships(client, world, found, chain):
    client.force_login(world.coord_a)
    url = reverse("matchmaking:gap_action", args=[chain.gap.pk])
    response = client.post(url, {"kind": "cluster", "target": world.cluster_x.pk}, follow=True)
    assert "Only clusters of other partnerships" in response.content.decode()
    assert not PartnerInvitation.objects.exists()


# --- export groups -------------------------------------------------------------------------------


@pytest.fixture
def exporters(world):
    """Members of A's partner clusters exporting to Japan (one of A's target markets)."""
    TargetMarket.objects.create(partnership=world.a, country="JP")
    alder = factories.member(world.cluster_a, "Alder GmbH", export_markets=["JP", "US"])
    cedar = factories.member(world.cluster_a2, "Cedar AB", export_markets=["JP"])
    elm = factories.member(world.cluster_a, "Elm KG", export_markets=["JP"])
    stay = factories.member(world.cluster_a2, "Stay Home SA", export_markets=["FR"])
    for member, skills in (
        (alder, ["Sensors", "Firmware"]),
        (cedar, ["Enclosures"]),
        (elm, ["Sensors"]),
        (stay, ["Packaging"]),
    ):
        factories.findable(member, competences=skills)  # gives the competences (not needed)
    return alder, cedar, elm, stay


def test_export_groups_are_suggested_with_reasons(world, exporters):
    assert len(exporters) == 4
    (suggestion,) = export_group_suggestions(world.a)
    assert suggestion.market == "JP"
    assert [m.name for m, _c, _s in suggestion.members] == ["Alder GmbH", "Cedar AB"]
    assert suggestion.reasons[0] == "all export to Japan, a target market of the partnership"
    assert "Cedar AB (Alpha Two) brings Enclosures" in suggestion.reasons


def test_one_click_makes_the_suggested_export_group(client, world, exporters):
    alder, cedar, *_ = exporters
    url = reverse("matchmaking:export_group_suggestions", args=[world.a.pk])
    client.force_login(world.coord_a)
    page = client.get(url).content.decode()
    assert "Make this export group" in page and "Alder GmbH" in page
    data = {"market": "JP", "members": f"{alder.pk},{cedar.pk}", "once_token": "d" * 32}
    response = client.post(url, data)
    assert response.url == reverse("missions:export_groups", args=[world.a.pk])
    group = ExportGroup.objects.get()
    assert set(group.members.all()) == {alder, cedar} and group.target_markets[0].code == "JP"
    client.post(url, data)
    assert ExportGroup.objects.count() == 1
    assert "Make this export group" not in client.get(url).content.decode()  # made already


def test_export_group_rules_still_apply(client, world, exporters):
    alder, _cedar, elm, _stay = exporters
    url = reverse("matchmaking:export_group_suggestions", args=[world.a.pk])
    client.force_login(world.coord_a)
    one_cluster = client.post(url, {"market": "JP", "members": f"{alder.pk},{elm.pk}"}, follow=True)
    assert "at least two partner clusters" in one_cluster.content.decode()
    assert not ExportGroup.objects.exists()
    birch = factories.member(world.cluster_b, "Birch SA", export_markets=["JP"])
    client.post(url, {"market": "JP", "members": f"{alder.pk},{birch.pk}"})
    assert not ExportGroup.objects.exists()


def test_only_coordinators_see_export_group_suggestions(client, world, exporters):
    url = reverse("matchmaking:export_group_suggestions", args=[world.a.pk])
    groups = reverse("missions:export_groups", args=[world.a.pk])
    for user, code in ((world.manager_a, 403), (world.officer, 403), (world.coord_b, 404)):
        client.force_login(user)
        assert client.get(url).status_code == code
    client.force_login(world.manager_a)
    assert "Suggested export groups" not in client.get(groups).content.decode()
    client.force_login(world.coord_a)
    assert "Suggested export groups" in client.get(groups).content.decode()
