"""The voucher schemes with their figures, and the ledger of vouchers as a user may read it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Sum

from escp_portal.accounts.policy import partner_clusters_of
from escp_portal.rows import per_row
from partnerships.models import Member

from ..models import Voucher, VoucherScheme

ZERO = Decimal("0")
HUNDRED = Decimal("100")


def with_figures(queryset):
    """Schemes with what is committed (granted or paid), to SMEs, paid, and how many vouchers
    and companies: one query, whatever the number of vouchers."""
    money = DecimalField(max_digits=14, decimal_places=2)
    committed = Voucher.objects.filter(status__in=Voucher.COMMITTED)

    def total(vouchers):
        return per_row(vouchers, Sum("amount"), by="scheme", default=ZERO, output_field=money)

    return queryset.annotate(
        committed=total(committed),
        to_smes=total(committed.filter(to_sme=True)),
        paid=total(Voucher.objects.filter(status=Voucher.Status.PAID)),
        voucher_count=per_row(committed, Count("pk"), by="scheme"),
        company_count=per_row(committed, Count("member", distinct=True), by="scheme"),
    )


@dataclass
class SchemeFigures:
    """A scheme's budget against what is granted, and the share that reaches SMEs against the
    minimum the scheme sets."""

    budget: Decimal
    committed: Decimal
    to_smes: Decimal
    paid: Decimal
    minimum: int
    vouchers: int
    companies: int

    @property
    def left(self) -> Decimal:
        return self.budget - self.committed

    @property
    def to_others(self) -> Decimal:
        return self.committed - self.to_smes

    @property
    def required_for_smes(self) -> Decimal:
        return (self.budget * self.minimum / HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def sme_share(self) -> Decimal | None:
        """The SMEs' part of what is granted (%), None before the first voucher."""
        if not self.committed:
            return None
        return (self.to_smes * HUNDRED / self.committed).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def budget_used(self) -> Decimal:
        if not self.budget:
            return ZERO
        return (self.committed * HUNDRED / self.budget).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def below_minimum(self) -> bool:
        """Less than the minimum share of what is granted goes to SMEs."""
        return self.sme_share is not None and self.sme_share < self.minimum

    @property
    def minimum_out_of_reach(self) -> bool:
        """Vouchers to other members take more than the budget leaves them: even if everything
        left went to SMEs, they would not get their minimum."""
        return self.to_others > self.budget - self.required_for_smes


def figures_of(scheme) -> SchemeFigures:
    """The figures of a scheme annotated by ``with_figures``."""
    cents = Decimal("0.01")
    return SchemeFigures(
        budget=scheme.budget,
        committed=Decimal(scheme.committed).quantize(cents),
        to_smes=Decimal(scheme.to_smes).quantize(cents),
        paid=Decimal(scheme.paid).quantize(cents),
        minimum=scheme.min_sme_share,
        vouchers=scheme.voucher_count,
        companies=scheme.company_count,
    )


def schemes_of(partnership, user):
    schemes = with_figures(
        VoucherScheme.objects.visible_to(user).filter(partnership=partnership)
    ).order_by("-opens_on", "name")
    result = list(schemes)
    for scheme in result:
        scheme.figures = figures_of(scheme)
    return result


def ledger(user, scheme=None):
    """The vouchers the user may read (of one scheme), with their member and cluster."""
    vouchers = Voucher.objects.visible_to(user).select_related(
        "member", "cluster", "scheme__partnership"
    )
    if scheme is not None:
        vouchers = vouchers.filter(scheme=scheme)
    return vouchers.order_by("-granted_on", "-pk")


def grantable_members(scheme):
    """The members a scheme's vouchers may go to: those of the partnership's current partner
    clusters whose data was not erased."""
    return (
        Member.objects.filter(
            memberships__cluster_id__in=partner_clusters_of([scheme.partnership_id]),
            erased_at__isnull=True,
        )
        .distinct()
        .order_by("name", "pk")
    )
