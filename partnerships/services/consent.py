"""Consent: coordinators invite a cluster, one of its managers accepts or declines, and a
cluster's managers end its sharing with a partnership. Every step is checked and audited (the
invitation's and the partner's trail name who did it, when, and what changed)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.audit import set_actor
from escp_portal.services import require, save_audited

from ..models import ClusterOrganisation, Partner, PartnerInvitation, Partnership
from ..rules import (
    can_answer_partner_invitation,
    can_end_sharing,
    can_invite_partner,
    can_revoke_partner_invitation,
)


def _current_partner(partnership, cluster):
    return Partner.objects.filter(
        partnership=partnership,
        cluster=cluster,
        left_on__isnull=True,
        sharing_ended_at__isnull=True,
    ).first()


def partner_invite(
    *,
    actor,
    partnership: Partnership,
    cluster: ClusterOrganisation,
    role: str = Partner.Role.PARTNER,
    message: str = "",
) -> PartnerInvitation:
    """Invite a cluster to the partnership; it becomes a partner when one of its managers
    accepts."""
    require(can_invite_partner(actor, partnership))
    if _current_partner(partnership, cluster) is not None:
        raise ValidationError(
            {"cluster": _("This cluster is already a partner of the partnership.")}
        )
    invitation = PartnerInvitation(
        partnership=partnership, cluster=cluster, role=role, message=message, invited_by=actor
    )
    return save_audited(actor, invitation)


def _open(invitation: PartnerInvitation) -> PartnerInvitation:
    """The invitation as stored now, locked; refused unless it still waits for an answer."""
    current = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not current.is_pending:
        raise ValidationError(_("This invitation was already answered or withdrawn."))
    return current


def partner_invitation_accept(*, actor, invitation: PartnerInvitation) -> Partner:
    """The cluster consents: it becomes (again) a current partner of the partnership."""
    require(can_answer_partner_invitation(actor, invitation))
    now = timezone.now()
    with transaction.atomic(), set_actor(actor):
        invitation = _open(invitation)
        partner = Partner.objects.filter(
            partnership_id=invitation.partnership_id, cluster_id=invitation.cluster_id
        ).first()
        if partner is None:
            partner = Partner(
                partnership_id=invitation.partnership_id,
                cluster_id=invitation.cluster_id,
                joined_on=timezone.localdate(),
            )
        else:  # it had left or ended its sharing: it comes back with this consent
            partner.left_on = None
            partner.sharing_ended_at = None
        partner.role = invitation.role
        save_audited(actor, partner)
        invitation.state = PartnerInvitation.State.ACCEPTED
        invitation.answered_by = actor
        invitation.answered_at = now
        save_audited(actor, invitation)
    return partner


def partner_invitation_decline(*, actor, invitation: PartnerInvitation) -> PartnerInvitation:
    require(can_answer_partner_invitation(actor, invitation))
    return _close(actor, invitation, PartnerInvitation.State.DECLINED)


def partner_invitation_revoke(*, actor, invitation: PartnerInvitation) -> PartnerInvitation:
    require(can_revoke_partner_invitation(actor, invitation))
    return _close(actor, invitation, PartnerInvitation.State.REVOKED)


def _close(actor, invitation, state):
    with transaction.atomic(), set_actor(actor):
        invitation = _open(invitation)
        invitation.state = state
        invitation.answered_by = actor
        invitation.answered_at = timezone.now()
        return save_audited(actor, invitation)


def partner_sharing_end(*, actor, partner: Partner) -> Partner:
    """The cluster stops sharing with the partnership: from now on the partnership sees its
    public profile only, as for a cluster that left."""
    require(can_end_sharing(actor, partner))
    with transaction.atomic(), set_actor(actor):
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.sharing_ended_at is not None:
            raise ValidationError(_("This cluster already ended its sharing with the partnership."))
        today = timezone.localdate()
        partner.sharing_ended_at = timezone.now()
        if partner.left_on is None:
            partner.left_on = max(today, partner.joined_on) if partner.joined_on else today
        return save_audited(actor, partner)
