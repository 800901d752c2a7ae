"""The value chain: stages, who is placed at each, gaps and overlaps, and who sees and places
which member."""

import pytest
from django.urls import reverse

from escp_portal.accounts.models import Role
from strategy.models import StageAssignment, ValueChain, ValueChainStage
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_value_chain_shows_gaps_and_overlaps(client, world, plan):
    chain = ValueChain.objects.create(partnership=world.a, name="Chain")
    first = ValueChainStage.objects.create(chain=chain, name="Materials", order=1)
    ValueChainStage.objects.create(chain=chain, name="Recycling", order=2)
    client.force_login(world.coord_a)
    for partner in world.a.partners.all():
        client.post(
            reverse("strategy:value_chain", args=[chain.pk]),
            {"form": "assign", "stage": first.pk, "partner": partner.pk},
        )
    page = client.get(reverse("strategy:value_chain", args=[chain.pk]))
    assert [s.name for s in page.context["gaps"]] == ["Recycling"]
    assert [s.name for s in page.context["overlaps"]] == ["Materials"]
    added = client.post(
        reverse("strategy:value_chain", args=[chain.pk]),
        {"form": "stage", "name": "Converting", "order": 3, "depends_on": [first.pk]},
    )
    assert added.status_code == 302
    assert list(chain.stages.get(name="Converting").depends_on.all()) == [first]


def test_a_manager_places_only_their_own_cluster(client, world, plan):
    chain = ValueChain.objects.create(partnership=world.a, name="Chain")
    stage = ValueChainStage.objects.create(chain=chain, name="Design", order=1)
    client.force_login(world.manager_a)
    other = world.a.partners.get(cluster=world.cluster_a2)
    assert (
        client.post(
            reverse("strategy:value_chain", args=[chain.pk]),
            {"form": "assign", "stage": stage.pk, "partner": other.pk},
        ).status_code
        == 403
    )
    client.post(
        reverse("strategy:value_chain", args=[chain.pk]),
        {"form": "assign", "stage": stage.pk, "partner": plan["partner_a"].pk},
    )
    assert stage.assignments.get().partner == plan["partner_a"]


def test_a_member_of_a_non_partner_cluster_cannot_be_placed(client, world, plan):
    chain = ValueChain.objects.create(partnership=world.a, name="Chain")
    stage = ValueChainStage.objects.create(chain=chain, name="Design", order=1)
    outsider = factories.member(world.cluster_x, "Outsider")
    client.force_login(world.coord_a)
    page = client.post(
        reverse("strategy:value_chain", args=[chain.pk]),
        {"form": "assign", "stage": stage.pk, "member": outsider.pk},
    )
    assert page.status_code == 200 and not stage.assignments.exists()


@pytest.fixture
def placed(world):
    """A member of Alpha's cluster placed on a stage of a value chain of A."""
    chain = ValueChain.objects.create(partnership=world.a, name="Packaging chain")
    stage = ValueChainStage.objects.create(chain=chain, name="Design", order=1)
    member = factories.member(world.cluster_a, "Hidden Design GmbH")
    StageAssignment.objects.create(stage=stage, member=member)
    return chain, member


def readers(world):
    """Who reads the chain, and whether the placed member is named to them."""
    return (
        (world.coord_a, True),
        (world.manager_a, True),
        (world.officer, False),
        (factories.user(role=Role.CLUSTER_MANAGER, scope=world.cluster_a2), False),
    )


def test_a_member_on_the_value_chain_is_named_only_to_who_may_see_it(client, world, placed):
    chain, _member = placed
    url = reverse("strategy:value_chain", args=[chain.pk])
    for user, named in readers(world):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert ("Hidden Design GmbH" in page) is named, user
        assert named or "A member company" in page
        # Only who may place or remove sees the buttons: not the officer, not another partner's
        # manager for a placement that is not theirs.
        assert ("Place a partner or member" in page) is (user != world.officer), user
        assert ('value="remove"' in page) is named, user


def test_the_api_names_a_placed_member_only_to_who_may_see_it(client, world, placed):
    """The same rule as the page: EC officers and other partners learn that a member company is
    placed on a stage, not which one (no id to look it up by)."""
    chain, member = placed
    for user, named in readers(world):
        client.force_login(user)
        for url in (f"/api/v1/value-chains/{chain.pk}/", "/api/v1/value-chains/"):
            body = client.get(url).json()
            chain_json = body if "stages" in body else body["results"][0]
            placed = chain_json["stages"][0]["assignments"][0]
            assert placed["member_placed"] is True
            assert placed["member"] == (member.pk if named else None), (user, url)
