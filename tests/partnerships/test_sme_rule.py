from decimal import Decimal

import pytest

from partnerships.models import Member
from partnerships.models.members import size_class_of
from tests import factories

pytestmark = pytest.mark.django_db
M = Decimal(1_000_000)


@pytest.mark.parametrize(
    ("employees", "turnover", "balance", "is_sme", "size"),
    [
        (249, None, None, True, "medium"),
        (250, None, None, False, "large"),
        (249, 50 * M, None, True, "medium"),
        (249, 50 * M + Decimal("0.01"), None, False, "large"),
        # Above the turnover ceiling, a balance sheet within EUR 43 m still makes an SME.
        (249, 60 * M, 43 * M, True, "medium"),
        (249, 60 * M, 43 * M + Decimal("0.01"), False, "large"),
        (250, 1 * M, 1 * M, False, "large"),
        (9, 2 * M, None, True, "micro"),
        (9, 2 * M + 1, None, True, "small"),
        (10, None, None, True, "small"),
        (49, 10 * M, None, True, "small"),
        (50, 10 * M, None, True, "medium"),
        (0, None, None, True, "micro"),
        (None, 1 * M, None, None, ""),
    ],
)
def test_sme_status_follows_the_eu_definition(employees, turnover, balance, is_sme, size):
    member = factories.member(
        employees=employees, annual_turnover=turnover, balance_sheet_total=balance
    )
    assert member.is_sme is is_sme
    assert member.size_class == size
    # The preview of an import uses the same rule in Python.
    assert size_class_of(employees, turnover, balance) == size


def test_sme_status_changes_when_the_figures_do():
    member = factories.member(employees=240)
    assert member.is_sme is True
    Member.objects.filter(pk=member.pk).update(employees=260)
    member.refresh_from_db()
    assert member.is_sme is False
    assert Member.objects.filter(is_sme=True).count() == 0
