"""Access rules of vouchers and EU funding.

- Voucher schemes are a partnership's working data: its insiders read them (EC officers too),
  its coordinators set them up and grant the vouchers.
- The ledger names members: coordinators read every voucher of their partnership; a cluster
  manager only those granted through the clusters they manage; EC officers read the figures
  (how much, how much to SMEs), never which company (``missions.rules.can_name_members``).
- Funding calls are for every signed-in user to read; staff and EC officers record them.
  Which calls fit a partnership is shown to its insiders; the emails about new ones go to its
  coordinators.

The named decisions below are the only place that reads a user's scope for this app.
"""

from django.db import models

from escp_portal.accounts.policy import (
    coordinates,
    insider_q,
    limited_by,
    nobody,
    partnership_rule,
    rule,
    scope_for,
    staff_only,
)
from missions.rules import can_name_members, naming_members

partnership_rule("funding.VoucherScheme", "partnership_id")


def _vouchers(qs, scope):
    if scope.reads_everything:
        return qs
    if not scope.authenticated:
        return qs.none()
    condition = models.Q(pk__in=[])
    if scope.coordinated_partnerships:
        condition |= models.Q(scheme__partnership_id__in=scope.coordinated_partnerships)
    if scope.managed_clusters:
        condition |= models.Q(cluster_id__in=scope.managed_clusters) & insider_q(
            scope, "scheme__partnership_id"
        )
    return qs.filter(condition)


rule(
    "funding.Voucher",
    visible=_vouchers,
    # Written through the services only (grant, pay, cancel): ``can_grant_vouchers``.
    edit=lambda scope, voucher: voucher.scheme.partnership_id in scope.coordinated_partnerships,
    create=lambda scope, scheme: (
        scheme is not None and scheme.partnership_id in scope.coordinated_partnerships
    ),
)


def _signed_in(qs, scope):
    return qs if scope.authenticated else qs.none()


def _records_calls(scope) -> bool:
    return scope.is_staff or scope.is_officer


rule(
    "funding.FundingCall",
    visible=_signed_in,
    edit=lambda scope, call: _records_calls(scope),
    create=lambda scope, parent: _records_calls(scope),
)
rule("funding.CallNotice", visible=staff_only, edit=nobody)


def can_manage_schemes(user, partnership_id: int) -> bool:
    """The partnership's coordinators (and staff) set up its voucher schemes and grant,
    pay and cancel vouchers."""
    return coordinates(user, partnership_id)


def can_record_calls(user) -> bool:
    """Staff and EC officers record the EU funding calls."""
    return _records_calls(scope_for(user))


def names_voucher_members(user, partnership_id: int) -> bool:
    """May the user see which companies got the partnership's vouchers? The rule of the
    missions' records that name members: insiders, except EC officers (figures only)."""
    return can_name_members(user, partnership_id)


def nameable_vouchers(queryset, user):
    """The vouchers whose members the user may name (``names_voucher_members`` as a filter)."""
    return naming_members(queryset, user, "scheme__partnership_id")


def grant_clusters(user, partnership_id: int):
    """The partner clusters whose members the user may grant vouchers to: every partner
    cluster for the partnership's coordinators, none for anyone else."""
    from escp_portal.accounts.policy import partner_clusters_of

    clusters = partner_clusters_of([partnership_id])
    return clusters if can_manage_schemes(user, partnership_id) else clusters.none()


def call_partnerships(user):
    """The partnerships (ids) whose matching calls the user is shown on the home page and
    emailed about: those they coordinate by role."""
    return scope_for(user).coordinated_partnerships


# What a token limited to partnerships or clusters reads (``policy.limited_by``).
limited_by("funding.Voucher", partnership="scheme__partnership_id")
limited_by("funding.FundingCall", unlimited=True)  # the programme's calls, no partnership's data
limited_by("funding.CallNotice", partnership="partnership_id")
