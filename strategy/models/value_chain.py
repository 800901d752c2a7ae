"""The value chain: its stages and the partners and members placed at each."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet


class ValueChain(models.Model):
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="value_chains",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    # When the row last changed (an incremental sync asks for the rows changed since).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "name"]
        verbose_name = _("value chain")
        verbose_name_plural = _("value chains")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("strategy:value_chain", args=[self.pk])


class ValueChainStage(models.Model):
    chain = models.ForeignKey(ValueChain, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("position"), default=0)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="enables", verbose_name=_("comes after")
    )
    description = models.TextField(_("description"), blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["chain__name", "chain_id", "order", "pk"]
        verbose_name = _("value-chain stage")
        verbose_name_plural = _("value-chain stages")

    def __str__(self):
        return self.name


class StageAssignment(models.Model):
    """A partner cluster or one of its members placed at a stage of the chain."""

    stage = models.ForeignKey(ValueChainStage, on_delete=models.CASCADE, related_name="assignments")
    partner = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stage_assignments",
    )
    member = models.ForeignKey(
        "partnerships.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stage_assignments",
    )
    contribution = models.CharField(_("contribution"), max_length=300, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["stage__chain_id", "stage__order", "stage_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False, member__isnull=True)
                | Q(partner__isnull=True, member__isnull=False),
                name="assignment_partner_or_member",
                violation_error_message=_("Place either a partner or a member, not both."),
            ),
        ]

    def __str__(self):
        return f"{self.partner or self.member} → {self.stage}"

    def get_additional_data(self):
        # Lets an erasure find (and scrub) the trail entries that name the member.
        return {"member_id": self.member_id} if self.member_id else None
