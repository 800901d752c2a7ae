"""Reads of vouchers and EU funding: the ledger and its figures (``vouchers``), which calls fit
which partnership and why (``calls``)."""

from .calls import (  # noqa: F401
    Match,
    calls_for_partnerships,
    matches_for,
    open_calls,
    partnership_calls,
)
from .vouchers import (  # noqa: F401
    SchemeFigures,
    figures_of,
    grantable_members,
    ledger,
    schemes_of,
    with_figures,
)
