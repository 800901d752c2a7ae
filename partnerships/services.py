"""Every write to partnership data goes through here: the page and the API call the same
functions, which check the access policy, validate the whole row (database constraints included)
and record who changed what in the audit trail."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from escp_portal import audit
from escp_portal.accounts.policy import can_create, can_edit
from escp_portal.audit import set_actor

from .models import ClusterOrganisation, Partner, Partnership, Sector

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


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _apply(obj, data: dict, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = set(data) - allowed
    if unknown:
        raise PermissionDenied(
            _("Fields you may not change: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in data.items():
        setattr(obj, name, value)


def _save(actor, obj, *, sectors: Iterable[Sector] | None = None):
    with transaction.atomic(), set_actor(actor):
        obj.full_clean()
        audit.normalise_decimals(obj)
        obj.save()
        if sectors is not None:
            obj.sectors.set(sectors)
    return obj


def partnership_create(*, actor, sectors=None, **data) -> Partnership:
    _require(can_create(actor, Partnership))
    partnership = Partnership()
    _apply(partnership, data, PARTNERSHIP_STAFF_FIELDS)
    return _save(actor, partnership, sectors=sectors)


def partnership_update(*, actor, partnership: Partnership, sectors=None, **data) -> Partnership:
    _require(can_edit(actor, partnership))
    fields = PARTNERSHIP_STAFF_FIELDS if actor.is_staff else PARTNERSHIP_COORDINATOR_FIELDS
    _apply(partnership, data, fields)
    return _save(actor, partnership, sectors=sectors)


def cluster_create(*, actor, sectors=None, **data) -> ClusterOrganisation:
    _require(can_create(actor, ClusterOrganisation))
    cluster = ClusterOrganisation()
    _apply(cluster, data, CLUSTER_FIELDS)
    return _save(actor, cluster, sectors=sectors)


def cluster_update(*, actor, cluster: ClusterOrganisation, sectors=None, **data):
    _require(can_edit(actor, cluster))
    _apply(cluster, data, CLUSTER_FIELDS)
    return _save(actor, cluster, sectors=sectors)


def partner_add(
    *, actor, partnership: Partnership, cluster: ClusterOrganisation, **data
) -> Partner:
    _require(can_create(actor, Partner, partnership))
    partner = Partner(partnership=partnership, cluster=cluster)
    _apply(partner, data, PARTNER_FIELDS)
    return _save(actor, partner)


def partner_update(*, actor, partner: Partner, **data) -> Partner:
    _require(can_edit(actor, partner))
    _apply(partner, data, PARTNER_FIELDS)
    return _save(actor, partner)


def partner_remove(*, actor, partner: Partner) -> None:
    _require(can_edit(actor, partner))
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
