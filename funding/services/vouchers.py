"""Voucher schemes and the ledger of vouchers granted.

A grant locks the scheme's row, so that two grants at the same moment are added up one after
the other: the budget is never over-committed and no company passes the cap."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import partner_clusters_of
from escp_portal.audit import set_actor
from escp_portal.services import RowErrors, apply_fields, require, save_audited
from partnerships.models import ClusterMembership, Member

from ..models import Voucher, VoucherScheme
from ..rules import can_manage_schemes

SCHEME_FIELDS = (
    "name",
    "purpose",
    "budget",
    "max_per_sme",
    "min_sme_share",
    "opens_on",
    "closes_on",
)
GRANT_FIELDS = ("amount", "granted_on", "purpose")
# Where a voucher may go from each status.
NEXT_STATUS = {
    Voucher.Status.GRANTED: {Voucher.Status.PAID, Voucher.Status.CANCELLED},
    Voucher.Status.PAID: set(),
    Voucher.Status.CANCELLED: set(),
}


def _committed(scheme_id: int, **filters) -> Decimal:
    total = Voucher.objects.filter(
        scheme_id=scheme_id, status__in=Voucher.COMMITTED, **filters
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def scheme_save(*, actor, partnership, scheme: VoucherScheme | None = None, **data):
    require(can_manage_schemes(actor, partnership.pk))
    scheme = scheme or VoucherScheme(partnership=partnership)
    apply_fields(scheme, data, SCHEME_FIELDS)
    with transaction.atomic():
        if scheme.pk:
            locked = VoucherScheme.objects.select_for_update().get(pk=scheme.pk)
            committed = _committed(locked.pk)
            if scheme.budget is not None and scheme.budget < committed:
                raise ValidationError(
                    {
                        "budget": _(
                            "Vouchers for %(committed)s EUR are granted already: the budget "
                            "cannot be less."
                        )
                        % {"committed": committed}
                    }
                )
        save_audited(actor, scheme)
    return scheme


def _membership(scheme: VoucherScheme, member: Member, cluster=None) -> ClusterMembership:
    """The member's current membership of one of the partnership's partner clusters."""
    memberships = ClusterMembership.objects.filter(
        member=member, cluster_id__in=partner_clusters_of([scheme.partnership_id])
    ).select_related("cluster")
    if cluster is not None:
        memberships = memberships.filter(cluster=cluster)
    membership = memberships.order_by("cluster__name").first()
    if membership is None:
        raise ValidationError(
            {"member": _("Vouchers go to members of the partnership's partner clusters only.")}
        )
    return membership


def _check_grant(locked: VoucherScheme, member: Member, amount: Decimal, granted_on) -> None:
    errors = {}
    if member.erased_at:
        errors["member"] = _("This member's data was erased.")
    if granted_on and not (locked.opens_on <= granted_on <= locked.closes_on):
        errors["granted_on"] = _("The scheme is open from %(start)s to %(end)s.") % {
            "start": locked.opens_on.isoformat(),
            "end": locked.closes_on.isoformat(),
        }
    if amount is not None:
        left = locked.budget - _committed(locked.pk)
        if amount > left:
            errors["amount"] = _(
                "Only %(left)s EUR of the budget is left: this voucher would exceed it."
            ) % {"left": left}
        else:
            held = _committed(locked.pk, member=member)
            if held + amount > locked.max_per_sme:
                errors["amount"] = _(
                    "This company holds %(held)s EUR of vouchers already; the most per company "
                    "is %(cap)s EUR."
                ) % {"held": held, "cap": locked.max_per_sme}
    if errors:
        raise ValidationError(errors)


def voucher_grant(*, actor, scheme: VoucherScheme, member: Member, cluster=None, **data) -> Voucher:
    """Grant a voucher to a member of a partner cluster, within the budget and the cap."""
    require(can_manage_schemes(actor, scheme.partnership_id))
    unknown = set(data) - set(GRANT_FIELDS)
    if unknown:
        raise PermissionDenied
    data.setdefault("granted_on", timezone.localdate())
    membership = _membership(scheme, member, cluster)
    with transaction.atomic(), set_actor(actor):
        locked = VoucherScheme.objects.select_for_update().get(pk=scheme.pk)
        _check_grant(locked, member, data.get("amount"), data.get("granted_on"))
        voucher = Voucher(
            scheme=locked,
            member=member,
            cluster=membership.cluster,
            to_sme=bool(member.is_sme),
            granted_by=actor,
            **data,
        )
        save_audited(actor, voucher)
    return voucher


def vouchers_grant_bulk(*, actor, scheme: VoucherScheme, rows: list[dict]) -> list[Voucher]:
    """Grant many vouchers at once: all of them or none, with the errors of each row."""
    require(can_manage_schemes(actor, scheme.partnership_id))
    granted, row_errors = [], []
    with transaction.atomic():
        for index, row in enumerate(rows):
            row = dict(row)
            try:
                with transaction.atomic():
                    granted.append(
                        voucher_grant(
                            actor=actor,
                            scheme=scheme,
                            member=row.pop("member"),
                            cluster=row.pop("cluster", None),
                            **row,
                        )
                    )
            except ValidationError as error:
                fields = error.message_dict if hasattr(error, "error_dict") else {}
                if not fields:
                    fields = {"non_field_errors": error.messages}
                row_errors.extend(
                    {"index": index, "field": field, "message": message}
                    for field, messages in fields.items()
                    for message in messages
                )
        if row_errors:
            transaction.set_rollback(True)
            raise RowErrors(row_errors)
    return granted


def voucher_set_status(*, actor, voucher: Voucher, status: str) -> Voucher:
    """Mark a granted voucher paid, or cancel it (which frees its amount)."""
    require(can_manage_schemes(actor, voucher.scheme.partnership_id))
    with transaction.atomic(), set_actor(actor):
        VoucherScheme.objects.select_for_update().get(pk=voucher.scheme_id)
        locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if status not in NEXT_STATUS.get(locked.status, set()):
            raise ValidationError(
                _("A voucher that is %(now)s cannot become %(next)s.")
                % {
                    "now": locked.get_status_display().lower(),
                    "next": str(dict(Voucher.Status.choices).get(status, status)).lower(),
                }
            )
        locked.status = status
        save_audited(actor, locked)
    return locked
