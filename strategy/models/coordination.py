"""Inclusive coordination [Action 2]: a draft shared with every partner, their comments and
endorsements, the notices emailed about it, and the log of the partnership's meetings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet

from .versions import Objective, Strategy


class StrategyFeedback(models.Model):
    """A partner's word on a shared draft: a comment, or its endorsement (one per partner and
    version; a new version starts with none)."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        ENDORSEMENT = "endorsement", _("Endorsement")

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("strategy")
    )
    partner = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.CASCADE,
        related_name="strategy_feedback",
        verbose_name=_("partner"),
    )
    feedback_kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["strategy_id", "created_at", "pk"]
        verbose_name = _("strategy feedback")
        verbose_name_plural = _("strategy feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "partner"],
                condition=Q(feedback_kind="endorsement"),
                name="one_endorsement_per_partner",
                violation_error_message=_("This partner has already endorsed this version."),
            ),
            models.CheckConstraint(
                condition=Q(feedback_kind="endorsement") | ~Q(text=""),
                name="comment_has_text",
                violation_error_message=_("A comment needs some text."),
            ),
        ]

    def __str__(self):
        return f"{self.get_feedback_kind_display()} · {self.partner} · v{self.strategy.version}"


class StrategyNotice(models.Model):
    """One row per email round about a version (shared, adopted): the claim that makes the
    notifying job send each round once."""

    class Event(models.TextChoices):
        SHARED = "shared", _("Shared with the partners")
        ADOPTED = "adopted", _("Adopted")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="notices")
    event = models.CharField(max_length=10, choices=Event.choices)
    recipients = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["strategy", "event"], name="strategy_notice_once")
        ]

    def __str__(self):
        return f"{self.strategy} {self.event}"


class PartnershipMeeting(models.Model):
    """A meeting of the partnership (steering committee, online call, workshop): who took part
    and what was decided."""

    class Format(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="coordination_meetings",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    meeting_format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.ONLINE
    )
    attendees = models.ManyToManyField(
        "partnerships.Partner",
        blank=True,
        related_name="coordination_meetings",
        verbose_name=_("partners present"),
    )
    people = models.TextField(
        _("people present"),
        blank=True,
        help_text=_("Names and roles of those who took part, one per line."),
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "-held_on", "-pk"]
        verbose_name = _("partnership meeting")
        verbose_name_plural = _("partnership meetings")

    def __str__(self):
        return f"{self.held_on} {self.title}"

    def get_absolute_url(self):
        return reverse("strategy:coordination_meeting", args=[self.pk])


class Decision(models.Model):
    """What a meeting decided, tied (when it is about one) to an objective or a task."""

    meeting = models.ForeignKey(
        PartnershipMeeting,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    text = models.TextField(_("decision"))
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("objective"),
    )
    task = models.ForeignKey(
        "strategy.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("task"),
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["meeting_id", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text[:80]
