import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from escp_portal.accounts.policy import PolicyQuerySet

from .nace import validate_nace


class Programme(models.Model):
    """A call of the cluster programme (ESCP-4i, ESCP-S3, …): new calls appear every year."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.code


class Sector(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name


class Partnership(models.Model):
    class Phase(models.TextChoices):
        PREPARATORY = "preparatory", _("Preparatory")
        IMPLEMENTATION = "implementation", _("Implementation")
        INVESTMENT = "investment", _("Investment")
        VOLUNTARY = "voluntary", _("Voluntary")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (visible to its coordinators only)")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")

    acronym = models.CharField(_("acronym"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("programme"),
    )
    generation = models.PositiveSmallIntegerField(
        _("generation"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("Which call of the programme funded it (1 for the first call)."),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    eu_funding = models.DecimalField(
        _("EU funding (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    sme_count = models.PositiveIntegerField(
        _("SMEs involved (declared)"),
        null=True,
        blank=True,
        help_text=_("The number of SMEs the partnership reports it involves."),
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="partnerships", verbose_name=_("sectors")
    )
    objectives = models.TextField(_("objectives"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["acronym", "generation"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "generation", "acronym"],
                name="partnership_acronym_unique_per_call",
                violation_error_message=_(
                    "This programme and generation already have a partnership with this acronym."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="partnership_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(eu_funding__isnull=True) | Q(eu_funding__gte=0),
                name="partnership_funding_not_negative",
            ),
        ]

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("partnerships:partnership_detail", args=[self.pk])

    @property
    def label(self):
        return f"{self.acronym} ({self.programme.code}, {self.generation})"


class ClusterOrganisation(models.Model):
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True)
    country = CountryField(_("country"))
    nuts_region = models.CharField(
        _("NUTS region"),
        max_length=5,
        blank=True,
        help_text=_("NUTS code of the region, e.g. DE11 or FR101."),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="clusters", verbose_name=_("sectors")
    )
    declared_member_count = models.PositiveIntegerField(
        _("members (declared)"), null=True, blank=True
    )
    share_member_contacts = models.BooleanField(
        _("share member contacts with partnership coordinators"),
        default=True,
        help_text=_(
            "When on, the coordinators of partnerships this cluster belongs to see the contact "
            "persons of its members. Member figures are shared either way."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster organisation")
        verbose_name_plural = _("cluster organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"],
                name="cluster_name_unique_per_country",
                violation_error_message=_(
                    "A cluster with this name already exists in this country."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:cluster_detail", args=[self.pk])

    def clean(self):
        if self.nuts_region and not self.nuts_region.upper().startswith(
            {"GR": "EL", "GB": "UK"}.get(str(self.country), str(self.country))
        ):
            raise ValidationError(
                {"nuts_region": _("A NUTS code starts with the code of its country.")}
            )
        self.nuts_region = self.nuts_region.upper()


class Partner(models.Model):
    """A cluster organisation taking part in a partnership."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Partner")
        AFFILIATED = "affiliated", _("Affiliated")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("partnership"),
    )
    cluster = models.ForeignKey(
        ClusterOrganisation,
        on_delete=models.PROTECT,
        related_name="partnerships_joined",
        verbose_name=_("cluster organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "cluster__country", "cluster__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "cluster"],
                name="partner_once_per_partnership",
                violation_error_message=_("This cluster is already a partner of the partnership."),
            ),
            # At most one coordinator at a time: the current (not yet left) coordinator row.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(role="coordinator", left_on__isnull=True),
                name="one_current_coordinator_per_partnership",
                violation_error_message=_("The partnership already has a coordinator."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="partner_leaves_after_joining",
                violation_error_message=_(
                    "The date of leaving cannot be before the date of joining."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.cluster} in {self.partnership}"

    @property
    def is_current(self):
        return self.left_on is None

    def get_additional_data(self):
        # Lets the audit trail of a partnership include changes to its partners.
        return {"partnership_id": self.partnership_id}


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
SIZE_LIMITS = (
    ("micro", 10, Decimal("2000000"), Decimal("2000000")),
    ("small", 50, Decimal("10000000"), Decimal("10000000")),
    ("medium", 250, Decimal("50000000"), Decimal("43000000")),
)


def _within(headcount: int, turnover: Decimal, balance: Decimal) -> Q:
    financial = (
        Q(annual_turnover__lte=turnover)
        | Q(balance_sheet_total__lte=balance)
        | Q(annual_turnover__isnull=True, balance_sheet_total__isnull=True)
    )
    return Q(employees__lt=headcount) & financial


def size_class_expression():
    return Case(
        When(employees__isnull=True, then=Value("")),
        *[When(_within(n, t, b), then=Value(name)) for name, n, t, b in SIZE_LIMITS],
        default=Value("large"),
        output_field=models.CharField(max_length=6),
    )


def size_class_of(employees, turnover, balance) -> str:
    """The same rule in Python, for rows not yet saved (import previews)."""
    if employees is None:
        return ""
    for name, headcount, turnover_limit, balance_limit in SIZE_LIMITS:
        financial = (
            (turnover is not None and turnover <= turnover_limit)
            or (balance is not None and balance <= balance_limit)
            or (turnover is None and balance is None)
        )
        if employees < headcount and financial:
            return name
    return "large"


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class MemberQuerySet(PolicyQuerySet):
    pass


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
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE)
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
    # Derived by the database from the figures above: never typed in.
    size_class = models.GeneratedField(
        expression=size_class_expression(),
        output_field=models.CharField(max_length=6, choices=Size.choices),
        db_persist=True,
        verbose_name=_("size class"),
    )
    is_sme = models.GeneratedField(
        expression=Case(
            When(employees__isnull=True, then=Value(None)),
            When(_within(*SIZE_LIMITS[-1][1:]), then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(null=True),
        db_persist=True,
        verbose_name=_("SME"),
    )
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

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

    class Meta:
        ordering = ["cluster", "member"]
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
    def finished(self) -> bool:
        return self.status not in (self.Status.VALIDATING, self.Status.IMPORTING)
