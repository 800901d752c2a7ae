"""Checks every write of the strategy shares."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Strategy


def ensure_editable(strategy: Strategy) -> None:
    """A version replaced by a later one is kept as it was."""
    if strategy.status == Strategy.Status.REVISED:
        raise ValidationError(
            _("Version %(v)s was replaced by a later one and is kept as it was.")
            % {"v": strategy.version}
        )


def ensure_partner_of(partnership_id: int, partner, field: str) -> None:
    """A partner named on a row of a partnership is one of its partners."""
    if partner is not None and partner.partnership_id != partnership_id:
        raise ValidationError({field: _("Choose a partner of this partnership.")})


def as_decimal(value, field="value") -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e13"):
        raise ValidationError({field: _("Enter a number below 10,000,000,000,000.")})
    return number.quantize(Decimal("0.01"))
