"""Consent: coordinators invite a cluster, one of its managers accepts or declines, and a
cluster's managers end its sharing with a partnership. Every step is checked and audited (the
invitation's and the partner's trail name who did it, when, and what changed)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from escp_portal.accounts.models import Role
from escp_portal.accounts.policy import people_with_role
from escp_portal.audit import set_actor
from escp_portal.hostile import one_line
from escp_portal.jobs.once import claim_and_send
from escp_portal.jobs.outbox import enqueue
from escp_portal.services import require, save_audited

from ..models import ClusterOrganisation, Partner, PartnerInvitation, Partnership
from ..rules import (
    can_answer_partner_invitation,
    can_end_sharing,
    can_invite_partner,
    can_revoke_partner_invitation,
)
from ..tasks import notify_partner_invitation


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
    with transaction.atomic():
        save_audited(actor, invitation)
        # The cluster's managers hear of it by email, from a job: the page does not wait on
        # the mail server, and a broker or mail outage only delays the email.
        enqueue(notify_partner_invitation, args=[invitation.pk])
    return invitation


def partner_invitation_notify(invitation_id: int) -> int:
    """Email the invited cluster's managers, each in their language, once: the invitation's
    ``notified_at`` is the claim (a second run, or a retry after the emails went out, sends
    nothing). Returns how many were emailed; an invitation already answered or withdrawn
    emails nobody."""
    invitation = (
        PartnerInvitation.objects.select_related("partnership", "cluster", "invited_by")
        .filter(pk=invitation_id, state=PartnerInvitation.State.PENDING)
        .first()
    )
    if invitation is None or invitation.notified_at is not None:
        return 0
    managers = people_with_role(Role.CLUSTER_MANAGER, cluster_ids=[invitation.cluster_id]).get(
        invitation.cluster_id, []
    )
    messages = [_partner_invitation_email(invitation, user) for user in managers]

    def claim():
        claimed = PartnerInvitation.objects.filter(
            pk=invitation.pk, notified_at__isnull=True
        ).update(notified_at=timezone.now())
        if not claimed:
            raise IntegrityError("already notified")

    def send():
        if messages:
            get_connection().send_messages(messages)

    return len(messages) if claim_and_send(claim, send) else 0


def _partner_invitation_email(invitation, user) -> EmailMessage:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "user": user,
            "link": settings.SITE_URL.rstrip("/") + reverse("partnerships:invitations"),
        }
        subject = one_line(
            render_to_string("partnerships/email/partner_invitation_subject.txt", context)
        )
        body = render_to_string("partnerships/email/partner_invitation.txt", context)
    return EmailMessage(subject, body, None, [user.email])


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
