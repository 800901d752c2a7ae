"""Consent pages: the "Invitations" page (a cluster's invitations to partnerships, the
partnerships it shares its members with, new managers waiting for confirmation), and the
answers to an invitation and the end of a cluster's sharing."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from escp_portal.accounts import selectors as account_selectors
from escp_portal.accounts.policy import clusters_managed_by

from .. import selectors
from ..models import Partner
from ..rules import (
    can_answer_partner_invitation,
    can_end_sharing,
    can_revoke_partner_invitation,
)
from ..services import consent


class InvitationsView(LoginRequiredMixin, TemplateView):
    template_name = "partnerships/invitations.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        invitations = list(selectors.partner_invitations(user))
        for invitation in invitations:
            invitation.may_answer = invitation.is_pending and can_answer_partner_invitation(
                user, invitation
            )
            invitation.may_revoke = invitation.is_pending and can_revoke_partner_invitation(
                user, invitation
            )
        sharing = list(selectors.sharing_partnerships(user, clusters_managed_by(user)))
        return super().get_context_data(
            pending=[i for i in invitations if i.is_pending],
            answered=[i for i in invitations if not i.is_pending],
            sharing=sharing,
            confirmations=account_selectors.awaiting_confirmation(user),
            **kwargs,
        )


ACTIONS = {
    "accept": (
        consent.partner_invitation_accept,
        gettext_lazy(
            "The invitation was accepted: the partnership now sees the cluster's members."
        ),
    ),
    "decline": (consent.partner_invitation_decline, gettext_lazy("The invitation was declined.")),
    "revoke": (consent.partner_invitation_revoke, gettext_lazy("The invitation was withdrawn.")),
}


class PartnerInvitationActionView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        if action not in ACTIONS:
            raise Http404
        invitation = get_object_or_404(selectors.partner_invitations(request.user), pk=pk)
        service, message = ACTIONS[action]
        try:
            service(actor=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, str(message))
        return redirect("partnerships:invitations")


class PartnerEndSharingView(LoginRequiredMixin, View):
    def post(self, request, pk):
        partner = get_object_or_404(
            Partner.objects.visible_to(request.user).select_related("cluster", "partnership"),
            pk=pk,
        )
        if not can_end_sharing(request.user, partner):
            raise PermissionDenied
        try:
            consent.partner_sharing_end(actor=request.user, partner=partner)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(cluster)s no longer shares its members with %(partnership)s.")
                % {"cluster": partner.cluster, "partnership": partner.partnership.acronym},
            )
        return redirect("partnerships:invitations")
