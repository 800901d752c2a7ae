"""Versions of the joint strategy and their objectives."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet


class Strategy(models.Model):
    """A version of the joint partnership strategy. One is adopted at a time."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        REVISED = "revised", _("Revised (replaced by a later version)")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="strategies",
        verbose_name=_("partnership"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    vision = models.TextField(
        _("vision"), blank=True, help_text=_("Where the partnership wants to be, in a few lines.")
    )
    mission = models.TextField(
        _("mission"), blank=True, help_text=_("What it does to get there, and for whom.")
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    shared_at = models.DateTimeField(
        _("shared with the partners"),
        null=True,
        blank=True,
        help_text=_("When the draft was put before every partner for comments and endorsement."),
    )
    # Written when the version is adopted: each partner of the time, and whether it endorsed.
    adoption_record = models.JSONField(_("endorsements at adoption"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "-version"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "version"], name="strategy_version_unique"
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status="adopted"),
                name="one_adopted_strategy",
                violation_error_message=_("The partnership already has an adopted strategy."),
            ),
            # "Start the strategy" clicked twice, or by two coordinators at once: one draft.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status="draft"),
                name="one_draft_strategy",
                violation_error_message=_("A draft version exists already: work on it."),
            ),
        ]

    def __str__(self):
        return f"{self.partnership} strategy v{self.version}"

    def get_absolute_url(self):
        return reverse("strategy:overview", args=[self.partnership_id])


class Objective(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("strategy")
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("Short reference, e.g. O1."))
    statement = models.TextField(
        _("objective"),
        help_text=_("What will be achieved, by whom and for whom, in one or two sentences."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    owner = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_objectives",
        verbose_name=_("owner (partner)"),
    )
    benefits_smes = models.BooleanField(_("benefits SMEs"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    # When the row last changed (an incremental sync asks for the rows changed since).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["strategy_id", "order", "code"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "code"],
                name="objective_code_unique",
                violation_error_message=_("This code is already used."),
            ),
            models.CheckConstraint(
                condition=Q(target_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(target_date__gte=F("start_date")),
                name="objective_target_after_start",
                violation_error_message=_("The target date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.statement[:60]}"

    def get_absolute_url(self):
        return reverse("strategy:objective_detail", args=[self.pk])
