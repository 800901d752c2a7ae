"""How far partnerships got: KPI statuses (recomputed, never typed in), daily scoreboard
snapshots (some signed off and frozen), qualitative assessments and EC officers' reviews."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")


class KPIStatus(models.Model):
    """The scoreboard row of one KPI."""

    kpi = models.OneToOneField("strategy.KPI", on_delete=models.CASCADE, related_name="status")
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="kpi_statuses"
    )
    current_value = models.DecimalField(max_digits=17, decimal_places=2, null=True)
    progress = models.DecimalField(_("progress (%)"), max_digits=9, decimal_places=1, null=True)
    expected = models.DecimalField(_("expected today (%)"), max_digits=9, decimal_places=1)
    status = models.CharField(max_length=10, choices=Status.choices)
    last_reported = models.DateField(null=True)
    computed_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "kpi_id"]
        verbose_name = _("KPI status")
        verbose_name_plural = _("KPI statuses")

    def __str__(self):
        return f"{self.kpi}: {self.get_status_display()}"


class ScoreboardSnapshot(models.Model):
    """A partnership's scoreboard on a day. Daily snapshots draw the trends; a snapshot signed
    off by the coordinator for a reporting period is frozen."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="snapshots"
    )
    date = models.DateField()
    data = models.JSONField(default=dict)
    period_end = models.DateField(_("reporting period"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "date"],
                condition=Q(signed_off_at__isnull=True),
                name="one_daily_snapshot",
            ),
            models.UniqueConstraint(
                fields=["partnership", "period_end"],
                condition=Q(signed_off_at__isnull=False),
                name="one_sign_off_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.partnership} scoreboard {self.date}"

    @property
    def signed_off(self) -> bool:
        return self.signed_off_at is not None


class Assessment(models.Model):
    """The qualitative strand of evaluation: what a survey, interview or workshop found and
    what the partnership changes because of it."""

    class Kind(models.TextChoices):
        SURVEY = "survey", _("Survey")
        INTERVIEW = "interview", _("Interviews")
        WORKSHOP = "workshop", _("Workshop")
        OTHER = "other", _("Other")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="assessments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    findings = models.TextField(_("findings"))
    adjustments = models.TextField(_("adjustments to the strategy"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "-date"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return self.title


class Review(models.Model):
    """An EC officer's flag on a KPI or objective, which the coordinator answers."""

    class Flag(models.TextChoices):
        OVER_AMBITIOUS = "over_ambitious", _("Target looks over-ambitious")
        UNAMBITIOUS = "unambitious", _("Target looks too easy")
        UNCLEAR = "unclear", _("Unclear or not measurable")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="reviews"
    )
    kpi = models.ForeignKey(
        "strategy.KPI", on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    objective = models.ForeignKey(
        "strategy.Objective",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
    )
    flag = models.CharField(_("flag"), max_length=16, choices=Flag.choices)
    comment = models.TextField(_("comment"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(_("answer"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(kpi__isnull=False) | Q(objective__isnull=False),
                name="review_has_a_subject",
                violation_error_message=_("A review is about a KPI or an objective."),
            ),
        ]

    def __str__(self):
        return f"{self.get_flag_display()} ({self.partnership})"


class PartnershipFigures(models.Model):
    """A partnership's figures that the programme pages add up, kept current by the recompute
    jobs (with the scoreboard) so that a page over a thousand partnerships reads one row each
    instead of recomputing their values. Derived, never typed in; a partnership without a row
    (or with one of an earlier day) is computed live."""

    partnership = models.OneToOneField(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="figures",
    )
    as_of = models.DateField()
    computed_at = models.DateTimeField(auto_now=True)
    # One entry per live KPI linked to a core indicator: {"indicator", "kpi", "current",
    # "target", "years": {year: value}}, values as decimal strings.
    core_values = models.JSONField(default=list)
    # Reports of the live strategy's hand-reported KPIs due by ``as_of`` (oversight): expected,
    # made on time, made late (missing: the rest), and when a value last came in.
    reports_expected = models.PositiveIntegerField(default=0)
    reports_on_time = models.PositiveIntegerField(default=0)
    reports_late = models.PositiveIntegerField(default=0)
    last_reported = models.DateTimeField(null=True)
    # The latest change of its strategy, KPIs, values, missions or outcomes (oversight).
    last_activity = models.DateTimeField(null=True)
    # Missions (not cancelled) by country, outcomes by kind and by country and their value
    # (statistics): {"missions_by_country", "outcomes_by_kind", "outcomes_by_country",
    # "outcomes_value"}.
    activity = models.JSONField(default=dict)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership figures")
        verbose_name_plural = _("partnership figures")

    def __str__(self):
        return f"{self.partnership_id} figures {self.as_of}"
