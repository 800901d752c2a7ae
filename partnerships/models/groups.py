"""Partner and linked enterprises: how one member's figures count with another's for the SME
test, as the EU definition asks (Commission Recommendation 2003/361/EC, Article 3 and 6).

A link joins two enterprises both ways: each one's figures count with the other's. Linked
enterprises (one controls the other, more than 50 %) count in full; partner enterprises (one
holds 25 % to 50 % of the other) in proportion to that share.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet

from .members import ENTERPRISE, Member

PARTNER_SHARE = (Decimal(25), Decimal(50))


class MemberLink(models.Model):
    class Relation(models.TextChoices):
        PARTNER = "partner", _("Partner enterprise (holds 25 % to 50 %)")
        LINKED = "linked", _("Linked enterprise (controls or is controlled)")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="links", verbose_name=_("member")
    )
    other = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="linked_from",
        verbose_name=_("partner or linked enterprise"),
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "For a partner enterprise: the share of capital or voting rights one holds in the "
            "other, 25 to 50. Its staff and money figures count in that proportion. A linked "
            "enterprise counts in full."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["member_id", "other__name", "other_id"]
        verbose_name = _("partner or linked enterprise")
        verbose_name_plural = _("partner and linked enterprises")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "other"],
                name="member_link_once",
                violation_error_message=_("These two enterprises are already related."),
            ),
            models.CheckConstraint(
                condition=~Q(member=F("other")), name="member_link_not_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.member} - {self.other} ({self.relation})"

    @property
    def weight(self) -> Decimal:
        """The part of the other's figures that count: 1 for linked, the share for partners."""
        if self.relation == self.Relation.LINKED:
            return Decimal(1)
        return (self.share or Decimal(0)) / 100

    def clean(self):
        if self.member_id and self.member_id == self.other_id:
            raise ValidationError(_("An enterprise cannot be related to itself."))
        for side in ("member", "other"):
            if getattr(self, f"{side}_id") and getattr(self, side).kind != ENTERPRISE:
                raise ValidationError(
                    {
                        side: _(
                            "Only enterprises have partner or linked enterprises: a university, "
                            "research centre or public body is never an SME."
                        )
                    }
                )
        if self.relation == self.Relation.PARTNER:
            low, high = PARTNER_SHARE
            if self.share is None or not low <= self.share <= high:
                raise ValidationError(
                    {"share": _("A partner enterprise holds 25 % to 50 %: give that share.")}
                )
        elif self.relation == self.Relation.LINKED:
            self.share = None
