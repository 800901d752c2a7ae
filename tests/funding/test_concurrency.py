"""Two grants at the same moment on PostgreSQL (two threads, each with its own connection,
released together): the scheme's row lock adds them up one after the other, so the budget is
never over-committed and no company passes the cap."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from funding.models import Voucher
from funding.services.vouchers import voucher_grant
from tests import factories
from tests.concurrency.test_concurrent_requests import _at_once
from tests.services import require

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def _grant(world, scheme, member, amount):
    def call():
        try:
            return voucher_grant(
                actor=world.coord_a,
                scheme=scheme,
                member=member,
                amount=Decimal(amount),
                purpose="Pilot",
            )
        except ValidationError as error:
            return ("refused", " ".join(error.messages))  # not an exception: _at_once re-raises

    return call


def test_two_grants_at_once_never_over_commit_the_budget(world):
    scheme = factories.voucher_scheme(world.a, budget=Decimal("10000"), max_per_sme=Decimal("7000"))
    first = factories.member(world.cluster_a, "First SME", employees=5)
    second = factories.member(world.cluster_a, "Second SME", employees=5)
    results = _at_once(_grant(world, scheme, first, "6000"), _grant(world, scheme, second, "6000"))
    granted = [r for r in results if isinstance(r, Voucher)]
    refused = [r[1] for r in results if isinstance(r, tuple)]
    assert len(granted) == 1 and len(refused) == 1
    assert "budget is left" in refused[0]
    assert Voucher.objects.filter(scheme=scheme).count() == 1


def test_two_grants_to_one_company_at_once_never_pass_the_cap(world):
    scheme = factories.voucher_scheme(world.a, budget=Decimal("10000"), max_per_sme=Decimal("4000"))
    member = factories.member(world.cluster_a, "Only SME", employees=5)
    results = _at_once(_grant(world, scheme, member, "3000"), _grant(world, scheme, member, "3000"))
    assert sorted(type(r).__name__ for r in results) == ["Voucher", "tuple"]
    assert sum(v.amount for v in Voucher.objects.filter(member=member)) == Decimal("3000")
