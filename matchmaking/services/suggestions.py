"""What a suggestion does in one click: invite a cluster to the partnership (the partnerships
app's consent flow), ask for a member's contact, or make an export group (the missions app's
rules). Each goes through the service that owns it, with its checks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from missions.services.missions import export_group_save
from partnerships.models import ClusterOrganisation, Member, PartnerInvitation
from partnerships.services.consent import partner_invite

from ..models import Purpose
from ..selectors.search import current_partner_clusters
from .contact import contact_request_send


def gap_invite(*, actor, stage, cluster: ClusterOrganisation) -> PartnerInvitation:
    """Invite a cluster suggested for an uncovered stage to the stage's partnership."""
    partnership = stage.chain.partnership
    if not ClusterOrganisation.objects.filter(
        pk=cluster.pk, pk__in=current_partner_clusters()
    ).exists():
        raise ValidationError(_("Only clusters of other partnerships are suggested."))
    waiting = PartnerInvitation.objects.filter(
        partnership=partnership, cluster=cluster, state=PartnerInvitation.State.PENDING
    )
    if waiting.exists():
        raise ValidationError(_("This cluster has an invitation waiting for its answer already."))
    message = _(
        "Our value chain “%(chain)s” has nobody at the stage “%(stage)s”, and your cluster "
        "looks like a fit. Would you join %(partnership)s?"
    ) % {"chain": stage.chain.name, "stage": stage.name, "partnership": partnership.acronym}
    return partner_invite(actor=actor, partnership=partnership, cluster=cluster, message=message)


def gap_contact(*, actor, stage, member: Member):
    """Ask for the contact of a findable member suggested for an uncovered stage."""
    message = _(
        "We look for a partner for the stage “%(stage)s” of the value chain “%(chain)s” of "
        "%(partnership)s, and this member's profile fits it."
    ) % {
        "stage": stage.name,
        "chain": stage.chain.name,
        "partnership": stage.chain.partnership.acronym,
    }
    return contact_request_send(
        actor=actor, member=member, purpose=Purpose.VALUE_CHAIN, message=message
    )


def suggested_export_group_create(*, actor, partnership, market: str, members):
    """Make the suggested export group as a draft to complete: its market, its members, a goal
    to rewrite. ``export_group_save`` checks that the members are of two partner clusters."""
    if market not in dict(countries):
        raise ValidationError(_("Choose a country."))
    name = countries.name(market)
    return export_group_save(
        actor=actor,
        partnership=partnership,
        members=list(members),
        name=_("%(country)s group (suggested)") % {"country": name},
        goal=_("Go to %(country)s together (a draft from the suggestions: say what for).")
        % {"country": name},
        target_markets=[market],
    )
