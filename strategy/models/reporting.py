"""KPIs and their reporting: periods, milestones, measured values with their evidence,
corrections, closed periods and the reminders sent for overdue reports."""

import calendar
import functools
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet
from escp_portal.hostile import DATE_MAX, DATE_MIN

from .breakdowns import validate_breakdowns
from .versions import Objective

# A report is late this long after its period ended.
REPORTING_GRACE = timedelta(days=30)


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
    core_indicator = models.ForeignKey(
        "strategy.CoreIndicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kpis",
        verbose_name=_("core indicator"),
        help_text=_(
            "The programme figure this KPI counts towards (same unit). A KPI taken from the "
            "portal's records follows its source."
        ),
    )
    responsible = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_kpis",
        verbose_name=_("responsible partner"),
    )
    breakdowns = models.JSONField(
        _("breakdowns"),
        default=list,
        blank=True,
        validators=[validate_breakdowns],
        help_text=_("What the reported values are split by: partner, country, SME size."),
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
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = [
            "objective__strategy_id",
            "objective__order",
            "objective__code",
            "objective_id",
            "pk",
        ]
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
        from ..sources import registry

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
    """The ends of the calendar periods of ``frequency`` after ``start``, up to ``end`` (and
    ``until``), as a new list (KPIs of one plan share their dates: computed once for them)."""
    return list(_period_ends(frequency, start, end, until))


@functools.lru_cache(maxsize=4096)
def _period_ends(frequency: str, start: date, end: date, until: date | None) -> tuple[date, ...]:
    step = MONTHS_PER_PERIOD[frequency]
    # Dates outside the portal's years (legacy data) are read as its first and last day: the
    # periods stay a bounded list and never step past the last year a date can hold.
    start, end = max(start, DATE_MIN), min(end, DATE_MAX)
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
    return tuple(result)


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
        ordering = ["kpi_id", "date"]
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
    from escp_portal.uploads import megabytes, too_large

    if too_large(file, settings.EVIDENCE_MAX_BYTES):
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": megabytes(settings.EVIDENCE_MAX_BYTES)}
        )


def validate_evidence_content(file) -> None:
    """The content must be what the extension says (a renamed file is refused). Checked on
    upload only: a file already stored was checked then."""
    if getattr(file, "_committed", False) or file.size > settings.EVIDENCE_MAX_BYTES:
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

    # No index of its own: the unique (kpi, period_end, partner) leads with it, and in that
    # order the values of many KPIs come out grouped by period without a sort (the recompute).
    kpi = models.ForeignKey(
        KPI,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("KPI"),
        db_index=False,
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
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = [
            "kpi_id",
            "period_end",
            "partner__cluster__country",
            "partner__cluster__name",
            "partner_id",
        ]
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
    """A value as it was before a correction, with the reason given: the value, its note and
    its evidence (link and file: the file stays stored, downloaded from the KPI's page)."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="revisions")
    old_value = models.DecimalField(max_digits=15, decimal_places=2)
    new_value = models.DecimalField(max_digits=15, decimal_places=2)
    old_status = models.CharField(max_length=10, choices=Measurement.Status.choices)
    old_note = models.TextField(_("note before the correction"), blank=True)
    old_evidence_url = models.URLField(_("evidence (link) before the correction"), blank=True)
    old_evidence_file = models.FileField(
        _("evidence (file) before the correction"), upload_to=evidence_path, blank=True
    )
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measurement_id", "changed_at"]

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
        ordering = ["partnership_id", "period_end"]
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
