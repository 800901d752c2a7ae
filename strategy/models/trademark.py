"""A collective trademark project [Action 13]: the steps to register the partnership's mark
(tasks on the roadmap, under one objective) and the register of members licensed to use it."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet

from .versions import Objective


class Trademark(models.Model):
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="trademarks",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name of the mark"), max_length=120)
    goods_and_services = models.TextField(
        _("goods and services covered"),
        blank=True,
        help_text=_("The products the mark is meant for, as they will be classified."),
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trademarks",
        verbose_name=_("objective"),
        help_text=_("The objective whose tasks are the steps of the project."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "name"]
        verbose_name = _("collective trademark")
        verbose_name_plural = _("collective trademarks")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="trademark_name_unique",
                violation_error_message=_("The partnership already has a mark of this name."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("strategy:trademark", args=[self.pk])


class TrademarkLicence(models.Model):
    """A member allowed to use the mark, from a date, for a scope."""

    trademark = models.ForeignKey(
        Trademark, on_delete=models.CASCADE, related_name="licences", verbose_name=_("trademark")
    )
    member = models.ForeignKey(
        "partnerships.Member",
        on_delete=models.CASCADE,
        related_name="trademark_licences",
        verbose_name=_("member"),
    )
    licensed_on = models.DateField(_("licensed on"))
    scope = models.CharField(
        _("scope"),
        max_length=300,
        help_text=_("The products or activities the member may put the mark on."),
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["trademark__name", "trademark_id", "licensed_on", "pk"]
        verbose_name = _("trademark licence")
        verbose_name_plural = _("trademark licences")
        constraints = [
            models.UniqueConstraint(
                fields=["trademark", "member"],
                name="one_licence_per_member",
                violation_error_message=_("This member already holds a licence for the mark."),
            )
        ]

    def __str__(self):
        return f"{self.trademark} · {self.licensed_on}"
