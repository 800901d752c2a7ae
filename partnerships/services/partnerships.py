"""Writes to the directory: partnerships, their partners and cluster organisations. The page and
the API call the same functions, which check the access rules, validate the whole row (database
constraints included) and record who changed what in the audit trail."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import can_create, can_edit
from escp_portal.audit import set_actor
from escp_portal.services import apply_fields, delete_audited, require, save_audited

from ..models import ClusterOrganisation, Partner, Partnership, Sector
from ..rules import can_delete_partnership, can_invite_partner, can_set_programme_fields

# What a coordinator may change on their partnership; identity and funding are the programme's.
PARTNERSHIP_COORDINATOR_FIELDS = (
    "name",
    "status",
    "start_date",
    "end_date",
    "sme_count",
    "objectives",
    "website",
)
PARTNERSHIP_STAFF_FIELDS = (
    *PARTNERSHIP_COORDINATOR_FIELDS,
    "acronym",
    "programme",
    "generation",
    "phase",
    "eu_funding",
)
CLUSTER_FIELDS = (
    "name",
    "acronym",
    "country",
    "nuts_region",
    "city",
    "website",
    "declared_member_count",
    "description",
)
PARTNER_FIELDS = ("role", "joined_on", "left_on")


def _save(actor, obj, *, sectors: Iterable[Sector] | None = None):
    return save_audited(
        actor, obj, then=None if sectors is None else lambda saved: saved.sectors.set(sectors)
    )


def partnership_create(*, actor, sectors=None, **data) -> Partnership:
    require(can_create(actor, Partnership))
    partnership = Partnership()
    apply_fields(partnership, data, PARTNERSHIP_STAFF_FIELDS)
    return _save(actor, partnership, sectors=sectors)


def partnership_update(*, actor, partnership: Partnership, sectors=None, **data) -> Partnership:
    require(can_edit(actor, partnership))
    if can_set_programme_fields(actor):
        fields = PARTNERSHIP_STAFF_FIELDS
    else:
        fields = PARTNERSHIP_COORDINATOR_FIELDS
    apply_fields(partnership, data, fields)
    return _save(actor, partnership, sectors=sectors)


def partnership_delete(*, actor, partnership: Partnership) -> None:
    """Only staff delete a partnership (its coordinators end it with a status and dates)."""
    require(can_delete_partnership(actor, partnership))
    # A token-authenticated request has no user for AuditlogMiddleware: name the actor.
    delete_audited(actor, partnership)


def cluster_create(*, actor, sectors=None, **data) -> ClusterOrganisation:
    require(can_create(actor, ClusterOrganisation))
    cluster = ClusterOrganisation()
    apply_fields(cluster, data, CLUSTER_FIELDS)
    return _save(actor, cluster, sectors=sectors)


def cluster_update(*, actor, cluster: ClusterOrganisation, sectors=None, **data):
    require(can_edit(actor, cluster))
    apply_fields(cluster, data, CLUSTER_FIELDS)
    return _save(actor, cluster, sectors=sectors)


def partner_add(
    *, actor, partnership: Partnership, cluster: ClusterOrganisation, **data
) -> Partner:
    if not can_create(actor, Partner, partnership):
        if can_invite_partner(actor, partnership):
            raise PermissionDenied(
                _(
                    "A cluster becomes a partner when one of its managers accepts the "
                    "partnership's invitation: invite it instead."
                )
            )
        require(False)
    partner = Partner(partnership=partnership, cluster=cluster)
    apply_fields(partner, data, PARTNER_FIELDS)
    return _save(actor, partner)


def partner_update(*, actor, partner: Partner, **data) -> Partner:
    require(can_edit(actor, partner))
    if partner.sharing_ended_at is not None and data.get("left_on", partner.left_on) is None:
        raise ValidationError(
            {
                "left_on": _(
                    "The cluster ended its sharing with the partnership: it comes back only by "
                    "accepting a new invitation."
                )
            }
        )
    apply_fields(partner, data, PARTNER_FIELDS)
    return _save(actor, partner)


def partner_remove(*, actor, partner: Partner) -> None:
    require(can_edit(actor, partner))
    try:
        with transaction.atomic(), set_actor(actor):
            partner.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _(
                "This partner has reported values and other records: set the date it left "
                "instead of removing it."
            )
        ) from exc
