from types import SimpleNamespace

import pytest

from tests import factories


@pytest.fixture
def fund(world):
    """A's voucher scheme (10,000 EUR, at most 4,000 per company, 75% for SMEs), an SME of
    each of A's partner clusters, a large company of Alpha Cluster, and a member of B."""
    scheme = factories.voucher_scheme(world.a)
    sme_a = factories.member(world.cluster_a, "Alder GmbH", employees=10)
    sme_a2 = factories.member(world.cluster_a2, "Cedar AB", employees=20)
    large = factories.member(world.cluster_a, "Giant AG", employees=900)
    outsider = factories.member(world.cluster_b, "Birch SA", employees=10)
    return SimpleNamespace(
        world=world, scheme=scheme, sme_a=sme_a, sme_a2=sme_a2, large=large, outsider=outsider
    )
