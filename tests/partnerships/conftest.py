from decimal import Decimal

import pytest

from tests import factories


@pytest.fixture
def members(world):
    """Two members of cluster_a (a partner of A), one of cluster_b (the coordinator of B)."""
    acme = factories.member(
        world.cluster_a,
        "Acme Robotics",
        "DE",
        employees=40,
        annual_turnover=Decimal("5000000"),
        nace_code="28.99",
        contact_name="Ada Muster",
        contact_email="ada@acme.example",
        export_markets=["US", "CN"],
    )
    acme.competences.add(factories_competence("Robotics"))
    big = factories.member(world.cluster_a, "Bigco", "DE", employees=900, nace_code="62.01")
    beta = factories.member(world.cluster_b, "Beta Foods", "IT", employees=12, nace_code="10.85")
    return {"acme": acme, "big": big, "beta": beta}


def factories_competence(name):
    from partnerships.models import Competence

    return Competence.objects.get_or_create(name=name, slug=name.lower())[0]
