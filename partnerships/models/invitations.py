"""Consent: a cluster becomes a partner of a partnership only when one of its managers accepts
the coordinator's invitation. Until then the partnership sees the cluster's public profile."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet

from .directory import ClusterOrganisation, Partner, Partnership


class PartnerInvitation(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the cluster's answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Withdrawn by the partnership")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="partner_invitations",
        verbose_name=_("partnership"),
    )
    cluster = models.ForeignKey(
        ClusterOrganisation,
        on_delete=models.CASCADE,
        related_name="partner_invitations",
        verbose_name=_("cluster organisation"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Partner.Role.choices, default=Partner.Role.PARTNER
    )
    message = models.TextField(_("message to the cluster"), blank=True, max_length=2000)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # When the cluster's managers were emailed about it (once, by a background job).
    notified_at = models.DateTimeField(_("managers notified at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "cluster"],
                condition=Q(state="pending"),
                name="one_pending_partner_invitation",
                violation_error_message=_(
                    "This cluster already has an invitation to the partnership waiting for "
                    "an answer."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.cluster} to {self.partnership}"

    @property
    def is_pending(self):
        return self.state == self.State.PENDING

    def get_additional_data(self):
        return {"partnership_id": self.partnership_id}
