from types import SimpleNamespace

import pytest

from escp_portal.accounts.models import Role
from tests import factories


@pytest.fixture
def manager_b(world):
    """A manager of Beta Cluster, partner (coordinator) of partnership B."""
    return factories.user("manager-b@example.org", role=Role.CLUSTER_MANAGER, scope=world.cluster_b)


@pytest.fixture
def found(world, manager_b):
    """Findable members: Yew Works Oy and one with its name hidden (Beta Cluster, in partnership
    B), Rowan Tools SA (Alpha Cluster, in A), Lone Pine (of the lone cluster, in no partnership:
    not found); Quiet Oak GmbH of Beta Cluster is not findable."""
    yew = factories.member(
        world.cluster_b,
        "Yew Works Oy",
        country="FI",
        nace_code="25.62",
        employees=30,
        export_markets=["JP"],
        contact_name="Yrjö Yew",
        contact_email="yew@member.example",
        contact_phone="+358 40 000 0000",
        annual_turnover=3_000_000,
    )
    hidden = factories.member(
        world.cluster_b,
        "Hidden Name AB",
        country="SE",
        nace_code="25.61",
        employees=300,
        contact_email="hidden@member.example",
    )
    quiet = factories.member(world.cluster_b, "Quiet Oak GmbH", nace_code="25.62", employees=5)
    rowan = factories.member(
        world.cluster_a,
        "Rowan Tools SA",
        country="FR",
        nace_code="28.41",
        employees=120,
        export_markets=["JP", "US"],
        contact_email="rowan@member.example",
    )
    lone = factories.member(world.cluster_x, "Lone Pine Sp", country="PL", nace_code="25.62")
    profiles = SimpleNamespace(
        yew=factories.findable(
            yew, set_by=manager_b, competences=["Laser cladding", "Additive manufacturing"]
        ),
        hidden=factories.findable(
            hidden,
            set_by=manager_b,
            competences=["Additive manufacturing"],
            show_name=False,
            show_country=False,
        ),
        rowan=factories.findable(
            rowan, set_by=world.manager_a, competences=["CNC machining", "Laser cutting"]
        ),
        lone=factories.findable(lone, set_by=world.manager_x, competences=["Laser cladding"]),
    )
    factories.findable  # noqa: B018 - Quiet Oak stays not findable
    quiet.competences.add(*yew.competences.all())
    return SimpleNamespace(
        yew=yew, hidden=hidden, quiet=quiet, rowan=rowan, lone=lone, profiles=profiles
    )
