"""The joint strategy of a partnership: objectives that can be checked, the indicators that
measure them, the roadmap, the value chain and the markets it targets."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-version"]
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

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "order", "code"]
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

    @property
    def partnership(self):
        return self.strategy.partnership


class KPI(models.Model):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")
        IMPACT = "impact", _("Impact")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum of the periods")
        LATEST = "latest", _("Latest value")
        MAX = "max", _("Highest value")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        SEMIANNUAL = "semiannual", _("Every six months")
        ANNUAL = "annual", _("Yearly")

    MANUAL = "manual"

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("objective")
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. SMEs, contracts, EUR"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OUTPUT)
    aggregation = models.CharField(
        _("how values combine"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=15, decimal_places=2, default=Decimal(0)
    )
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(
        _("target"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    target_date = models.DateField(_("target date"))
    frequency = models.CharField(
        _("reporting frequency"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    source = models.CharField(
        _("source of values"),
        max_length=60,
        default=MANUAL,
        help_text=_("Reported by hand, or derived from the portal's own records."),
    )
    responsible = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_kpis",
        verbose_name=_("responsible partner"),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        editable=False,
        help_text="The KPI of the previous version this one continues.",
    )
    data_source = models.CharField(
        _("data source"), max_length=300, blank=True, help_text=_("Where the figure comes from.")
    )
    collection_protocol = models.TextField(
        _("collection protocol"),
        blank=True,
        help_text=_("How, by whom and when the figure is collected and checked."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "pk"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__gt=F("baseline_date")),
                name="kpi_target_after_baseline",
                violation_error_message=_("The target date must come after the baseline date."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("strategy:kpi_detail", args=[self.pk])

    @property
    def is_manual(self) -> bool:
        return self.source == self.MANUAL

    def clean(self):
        from .sources import registry

        if self.source != self.MANUAL and self.source not in registry():
            raise ValidationError({"source": _("Unknown source of values.")})

    @property
    def strategy(self):
        return self.objective.strategy

    def periods(self, until: date | None = None) -> list[date]:
        """Ends of the reporting periods from the baseline to the target date (calendar
        months, quarters, halves or years), up to ``until`` when given."""
        return period_ends(self.frequency, self.baseline_date, self.target_date, until)


MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}


def period_ends(frequency: str, start: date, end: date, until: date | None = None) -> list[date]:
    step = MONTHS_PER_PERIOD[frequency]
    # First calendar period end strictly after the baseline date.
    month = ((start.month - 1) // step + 1) * step
    year = start.year
    result = []
    last = min(end, until) if until else end
    while True:
        if month > 12:
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        current = date(year, month, calendar.monthrange(year, month)[1])
        if current > last:
            break
        if current > start:
            result.append(current)
        month += step
    return result


def period_start(frequency: str, period_end: date) -> date:
    step = MONTHS_PER_PERIOD[frequency]
    month = period_end.month - step + 1
    year = period_end.year
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


class Milestone(models.Model):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=15, decimal_places=2)

    class Meta:
        ordering = ["kpi", "date"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "date"], name="milestone_once_per_date"),
        ]

    def __str__(self):
        return f"{self.kpi}: {self.value} by {self.date}"


EVIDENCE_EXTENSIONS = [
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "xlsx",
    "xls",
    "docx",
    "doc",
    "csv",
    "txt",
    "odt",
    "ods",
]


def validate_evidence_size(file) -> None:
    if file.size > 10 * 1024 * 1024:
        raise ValidationError(_("The file is larger than 10 MB."))


def validate_evidence_content(file) -> None:
    """The content must be what the extension says (a renamed file is refused). Checked on
    upload only: a file already stored was checked then."""
    if getattr(file, "_committed", False) or file.size > 10 * 1024 * 1024:
        return
    from escp_portal.uploads import check_content

    check_content(file, file.name.rsplit(".", 1)[-1].lower() if "." in file.name else "")


def evidence_path(instance, filename: str) -> str:
    """Evidence is stored under a random folder, so its name cannot be guessed; the file keeps
    its own name for the download. It is served only by the evidence view, never from
    MEDIA_URL."""
    import secrets

    from django.utils import timezone

    return f"evidence/{timezone.now():%Y}/{secrets.token_urlsafe(16)}/{filename}"


class Measurement(models.Model):
    """One reported value of a KPI for a period, by a partner, with its evidence."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for revision")

    kpi = models.ForeignKey(
        KPI, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("KPI")
    )
    period_end = models.DateField(_("period ending"))
    partner = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("partner"),
    )
    value = models.DecimalField(_("value"), max_digits=15, decimal_places=2)
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    evidence_file = models.FileField(
        _("evidence (file)"),
        upload_to=evidence_path,
        blank=True,
        validators=[
            FileExtensionValidator(EVIDENCE_EXTENSIONS),
            validate_evidence_size,
            validate_evidence_content,
        ],
        help_text=_("PDF, image, spreadsheet or document; at most 10 MB."),
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["kpi", "period_end", "partner"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period_end", "partner"],
                name="measurement_once_per_period",
                violation_error_message=_("This partner already reported this period."),
            ),
        ]
        indexes = [
            models.Index(fields=["kpi", "status", "period_end"], name="measurement_kpi_status")
        ]

    def __str__(self):
        return f"{self.kpi} {self.period_end}: {self.value}"


class MeasurementRevision(models.Model):
    """A value as it was before a correction, with the reason given."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="revisions")
    old_value = models.DecimalField(max_digits=15, decimal_places=2)
    new_value = models.DecimalField(max_digits=15, decimal_places=2)
    old_status = models.CharField(max_length=10, choices=Measurement.Status.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measurement", "changed_at"]

    def __str__(self):
        return f"{self.measurement}: {self.old_value} → {self.new_value}"


class PeriodLock(models.Model):
    """A closed reporting period: its values can no longer be added or changed."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="period_locks"
    )
    period_end = models.DateField(_("period ending"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    locked_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "period_end"], name="period_lock_once"),
        ]

    def __str__(self):
        return f"{self.partnership} locked to {self.period_end}"


class ReportingReminder(models.Model):
    """One row per overdue report reminded: what makes the reminder job send it once."""

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="reminders")
    period_end = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period_end"], name="reminder_once_per_period"),
        ]

    def __str__(self):
        return f"Reminder {self.kpi} {self.period_end}"


class Task(models.Model):
    """An activity of the roadmap, for an objective."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")
        CANCELLED = "cancelled", _("Cancelled")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ManyToManyField(
        "partnerships.Partner",
        blank=True,
        related_name="tasks",
        verbose_name=_("responsible partners"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "due_date", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False) | ~Q(status="done"),
                name="done_task_has_date",
                violation_error_message=_("A task that is done needs the date it was completed."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        return (
            self.due_date is not None
            and self.status not in (self.Status.DONE, self.Status.CANCELLED)
            and self.due_date < timezone.localdate()
        )


class ValueChain(models.Model):
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="value_chains",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "name"]
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
        ordering = ["chain", "order", "pk"]
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
        ordering = ["stage", "pk"]
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


class TargetMarket(models.Model):
    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="target_markets",
        verbose_name=_("partnership"),
    )
    country = CountryField(_("country"))
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    rationale = models.TextField(_("why this market"), blank=True)
    lead_partner = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_markets",
        verbose_name=_("lead partner"),
    )
    local_contact = models.CharField(
        _("local contact"),
        max_length=300,
        blank=True,
        help_text=_("An organisation on the spot: chamber of commerce, agency, cluster."),
    )

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "priority", "country"]
        verbose_name = _("target market")
        verbose_name_plural = _("target markets")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "country"],
                name="target_market_once",
                violation_error_message=_("This country is already a target."),
            ),
        ]

    def __str__(self):
        return f"{self.partnership}: {self.country.name}"


class MarketStudy(models.Model):
    """What is known of a target market: segments, size, growth, profitability, trends and
    the factors of success, with the sources."""

    target_market = models.OneToOneField(
        TargetMarket, on_delete=models.CASCADE, related_name="study"
    )
    segments = models.TextField(_("target segments"), blank=True)
    market_size_total = models.DecimalField(
        _("total market (EUR)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    market_size_serviceable = models.DecimalField(
        _("serviceable market (EUR)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    target_share = models.DecimalField(
        _("share aimed at (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    growth = models.TextField(_("growth"), blank=True)
    profitability = models.TextField(_("profitability"), blank=True)
    trends = models.TextField(_("trends"), blank=True)
    key_success_factors = models.TextField(_("key success factors"), blank=True)
    sources = models.TextField(_("sources"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["target_market"]
        verbose_name = _("market study")
        verbose_name_plural = _("market studies")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_share__isnull=True) | Q(target_share__lte=100),
                name="target_share_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(market_size_serviceable__isnull=True)
                | Q(market_size_total__isnull=True)
                | Q(market_size_serviceable__lte=F("market_size_total")),
                name="serviceable_within_total",
                violation_error_message=_("The serviceable market cannot exceed the total."),
            ),
        ]

    def __str__(self):
        return f"Study of {self.target_market}"


REPORTING_GRACE = timedelta(days=30)
