"""What each partner expects from the partnership and commits to it [Action 7], written down
at set-up and reviewed along the way."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet


class PartnerExpectation(models.Model):
    class Kind(models.TextChoices):
        EXPECTATION = "expectation", _("Expectation (what the partner hopes to gain)")
        COMMITMENT = "commitment", _("Commitment (what the partner brings)")

    class Review(models.TextChoices):
        OPEN = "open", _("Not reviewed yet")
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    partner = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.CASCADE,
        related_name="expectations",
        verbose_name=_("partner"),
    )
    entry_kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("what"))
    recorded_on = models.DateField(_("recorded on"))
    review = models.CharField(
        _("review"), max_length=8, choices=Review.choices, default=Review.OPEN
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = [
            "partner__partnership_id",
            "partner__cluster__country",
            "partner__cluster__name",
            "partner_id",
            "entry_kind",
            "recorded_on",
            "pk",
        ]
        verbose_name = _("expectation or commitment")
        verbose_name_plural = _("expectations and commitments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review="open") | models.Q(reviewed_on__isnull=False),
                name="reviewed_expectation_has_date",
                violation_error_message=_("A reviewed entry needs the date of its review."),
            )
        ]

    def __str__(self):
        return f"{self.partner}: {self.text[:60]}"
