"""Member data that cluster managers keep: members (companies and other bodies), their
memberships of clusters, competences, and the record of each member file uploaded."""

import re
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.lookups import LessThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from escp_portal.accounts.policy import PolicyQuerySet

from ..nace import validate_nace
from .directory import ClusterOrganisation


class Competence(models.Model):
    """What a member is good at, as its cluster manager words it (a tag)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self):
        return self.name


# EU SME definition (Commission Recommendation 2003/361/EC): fewer than 250 persons employed and
# an annual turnover not above EUR 50 m or a balance-sheet total not above EUR 43 m. The smaller
# classes use 10 / EUR 2 m and 50 / EUR 10 m. When no financial figure is given, the headcount
# decides; without a headcount the size is unknown.
# Only enterprises can be SMEs: a university, a research centre or a public body never is, and has
# no size class. An enterprise's figures are tested together with those of its linked enterprises
# (in full) and its partner enterprises (in proportion to the share), which services keep in the
# ``group_*`` fields (see partnerships.models.groups).
SIZE_LIMITS = (
    ("micro", 10, Decimal("2000000"), Decimal("2000000")),
    ("small", 50, Decimal("10000000"), Decimal("10000000")),
    ("medium", 250, Decimal("50000000"), Decimal("43000000")),
)
ENTERPRISE = "enterprise"


def _sum(own: str, added: str, digits: int):
    return ExpressionWrapper(
        F(own) + F(added),
        output_field=models.DecimalField(max_digits=digits, decimal_places=2),
    )


def _within(headcount: int, turnover: Decimal, balance: Decimal) -> Q:
    financial = (
        Q(LessThanOrEqual(_sum("annual_turnover", "group_turnover", 17), turnover))
        | Q(LessThanOrEqual(_sum("balance_sheet_total", "group_balance", 17), balance))
        | Q(annual_turnover__isnull=True, balance_sheet_total__isnull=True)
    )
    return Q(LessThan(_sum("employees", "group_employees", 14), headcount)) & financial


def size_class_expression():
    return Case(
        When(~Q(kind=ENTERPRISE), then=Value("")),
        When(employees__isnull=True, then=Value("")),
        *[When(_within(n, t, b), then=Value(name)) for name, n, t, b in SIZE_LIMITS],
        default=Value("large"),
        output_field=models.CharField(max_length=6),
    )


def sme_expression():
    return Case(
        When(~Q(kind=ENTERPRISE), then=Value(False)),
        When(employees__isnull=True, then=Value(None)),
        When(_within(*SIZE_LIMITS[-1][1:]), then=Value(True)),
        default=Value(False),
        output_field=models.BooleanField(),
    )


def size_class_of(employees, turnover, balance, kind=ENTERPRISE, group=None) -> str:
    """The same rule in Python, for rows not yet saved (import previews). ``group``: the
    ``(employees, turnover, balance)`` added from partner and linked enterprises."""
    if kind != ENTERPRISE or employees is None:
        return ""
    added = [Decimal(v or 0) for v in (group or (0, 0, 0))]
    employees = employees + added[0]
    turnover = None if turnover is None else Decimal(turnover) + added[1]
    balance = None if balance is None else Decimal(balance) + added[2]
    for name, headcount, turnover_limit, balance_limit in SIZE_LIMITS:
        financial = (
            (turnover is not None and turnover <= turnover_limit)
            or (balance is not None and balance <= balance_limit)
            or (turnover is None and balance is None)
        )
        if employees < headcount and financial:
            return name
    return "large"


def is_sme_of(employees, turnover, balance, kind=ENTERPRISE, group=None) -> bool | None:
    """Whether such a row is an SME (``None``: unknown, an enterprise without a headcount)."""
    if kind != ENTERPRISE:
        return False
    size = size_class_of(employees, turnover, balance, kind, group)
    return None if size == "" else size != "large"


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
# What a cluster manager keeps of a member: the fields the pages, the API and the member file set
# (the SME status and the size class are derived from them).
MEMBER_FIELDS = [
    "name",
    "kind",
    "country",
    "nuts_region",
    "city",
    "nace_code",
    "employees",
    "annual_turnover",
    "balance_sheet_total",
    "founded_year",
    "export_markets",
    "website",
    *CONTACT_FIELDS,
]


class Member(models.Model):
    """A company or other body that belongs to one or more cluster organisations."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        RESEARCH = "research", _("Research or technology centre")
        UNIVERSITY = "university", _("University")
        PUBLIC_BODY = "public_body", _("Public body")
        OTHER = "other", _("Other")

    class Size(models.TextChoices):
        MICRO = "micro", _("Micro")
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.ENTERPRISE,
        help_text=_(
            "Only an enterprise can be an SME. For a university, a research centre, a public "
            'body or another kind of body the portal always records "not an SME" and no size '
            "class, whatever its staff and turnover; the figures are kept all the same."
        ),
    )
    country = CountryField(_("country"))
    nuts_region = models.CharField(
        _("NUTS region"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2}[0-9A-Z]{0,3}$", _("A NUTS code looks like DE21."))],
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    nace_code = models.CharField(
        _("NACE code"),
        max_length=5,
        blank=True,
        validators=[validate_nace],
        help_text=_("Main activity, NACE Rev. 2 (e.g. 62.01)."),
    )
    employees = models.PositiveIntegerField(
        _("employees"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
        help_text=_("Persons employed, in full-time equivalents."),
    )
    annual_turnover = models.DecimalField(
        _("annual turnover (EUR)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    balance_sheet_total = models.DecimalField(
        _("balance-sheet total (EUR)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1500), MaxValueValidator(2100)],
    )
    competences = models.ManyToManyField(
        Competence, blank=True, related_name="members", verbose_name=_("competences")
    )
    export_markets = CountryField(
        _("exports to"),
        multiple=True,
        blank=True,
        help_text=_("Countries the member already sells to."),
    )
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    # What the member's partner and linked enterprises add to its figures for the SME test
    # (linked in full, partners in proportion to the share); written by the services that keep
    # the links (partnerships.services.groups), never typed in.
    group_employees = models.DecimalField(
        _("employees of partner and linked enterprises"),
        max_digits=12,
        decimal_places=2,
        default=0,
        db_default=0,
        editable=False,
    )
    group_turnover = models.DecimalField(
        _("turnover of partner and linked enterprises (EUR)"),
        max_digits=15,
        decimal_places=2,
        default=0,
        db_default=0,
        editable=False,
    )
    group_balance = models.DecimalField(
        _("balance-sheet total of partner and linked enterprises (EUR)"),
        max_digits=15,
        decimal_places=2,
        default=0,
        db_default=0,
        editable=False,
    )
    # Derived by the database from the figures above: never typed in. Only an enterprise has a
    # size class and can be an SME.
    size_class = models.GeneratedField(
        expression=size_class_expression(),
        output_field=models.CharField(max_length=6, choices=Size.choices),
        db_persist=True,
        verbose_name=_("size class"),
    )
    is_sme = models.GeneratedField(
        expression=sme_expression(),
        output_field=models.BooleanField(null=True),
        db_persist=True,
        verbose_name=_("SME"),
    )
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            # Lists are in name order: the first page of a million members is an index walk,
            # not a sort; by country too, the most common filter.
            models.Index(fields=["name", "id"], name="member_name_order"),
            models.Index(fields=["country", "name", "id"], name="member_country_name"),
            # Counts per country and SME status from the index alone.
            models.Index(fields=["country", "is_sme"], name="member_country_sme"),
            models.Index(fields=["nace_code"], name="member_nace"),
            models.Index(fields=["is_sme"], name="member_is_sme"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_turnover__isnull=True) | Q(annual_turnover__gte=0),
                name="member_turnover_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(balance_sheet_total__isnull=True) | Q(balance_sheet_total__gte=0),
                name="member_balance_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:member_detail", args=[self.pk])

    def clean(self):
        for name in ("name", "city", "website", "contact_name", "contact_email", "contact_phone"):
            if CONTROL_CHARACTERS.search(getattr(self, name) or ""):
                raise ValidationError({name: _("Remove the control characters from this value.")})
        if self.nuts_region:
            self.nuts_region = self.nuts_region.upper()
            prefix = {"GR": "EL", "GB": "UK"}.get(str(self.country), str(self.country))
            if self.country and not self.nuts_region.startswith(prefix):
                raise ValidationError(
                    {"nuts_region": _("A NUTS code starts with the code of its country.")}
                )


class ClusterMembership(models.Model):
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("member")
    )
    cluster = models.ForeignKey(
        ClusterOrganisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("cluster organisation"),
    )
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyQuerySet.as_manager()
    # A member's clusters as its page and its data export list them.
    BY_CLUSTER_NAME = ("cluster__name", "cluster_id")

    class Meta:
        ordering = ["cluster_id", "member__name", "member_id"]
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "member"],
                name="membership_once_per_cluster",
                violation_error_message=_("This member already belongs to the cluster."),
            ),
        ]

    def __str__(self):
        return f"{self.member} in {self.cluster}"

    def get_additional_data(self):
        # Lets an erasure find (and scrub) the trail entries that name the member.
        return {"member_id": self.member_id, "cluster_id": self.cluster_id}


# What a failed import's page says when its job broke or stopped (nothing was written).
IMPORT_CRASHED = _(
    "The file could not be processed: an unexpected error stopped the work. Nothing was "
    "written. Discard this upload and try again; if it happens again, tell the portal's support."
)
IMPORT_STALLED = _(
    "The work on this file stopped before it finished (the job was interrupted). Nothing was "
    "written. Discard this upload and upload the file again."
)


class MemberImport(models.Model):
    """One upload of a member file: validated first (preview), written only when confirmed.

    It is also the record of the import: who, when, what was created or changed.
    """

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Checking the file")
        INVALID = "invalid", _("The file has errors")
        READY = "ready", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Import failed")

    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="member_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VALIDATING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the file began to be checked, or (once confirmed) to be written: a job that has not
    # finished a stage long after it began was stopped (MEMBER_IMPORT_STALE_MINUTES).
    stage_started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self):
        return f"{self.file_name} → {self.cluster}"

    def get_absolute_url(self):
        return reverse("partnerships:member_import_detail", args=[self.pk])

    @property
    def progress(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (self.Status.DONE, self.Status.READY) else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def stalled(self) -> bool:
        """Still checking or writing long after the stage began: its job was stopped. It is
        shown as failed at once, and marked so by the periodic purge."""
        limit = timedelta(minutes=settings.MEMBER_IMPORT_STALE_MINUTES)
        return (
            self.status in (self.Status.VALIDATING, self.Status.IMPORTING)
            and self.stage_started_at < timezone.now() - limit
        )

    @property
    def shown_status(self) -> str:
        return self.Status.FAILED if self.stalled else self.status

    def get_shown_status_display(self) -> str:
        return str(self.Status(self.shown_status).label)

    @property
    def finished(self) -> bool:
        return self.shown_status not in (self.Status.VALIDATING, self.Status.IMPORTING)
