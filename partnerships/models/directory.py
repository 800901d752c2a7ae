"""The directory: programmes (calls), sectors, partnerships, cluster organisations and the
partners that join them (public, but for draft partnerships)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from escp_portal.accounts.policy import PolicyQuerySet


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
    # The day of the latest activity recorded on the portal (a report, a mission, an outcome, a
    # change to its strategy), written by the nightly recompute. A partnership with no end date
    # and nothing recorded for a long time is shown as having no recent activity
    # (partnerships.selectors.quiet_q), not as active.
    last_activity_on = models.DateField(
        _("latest recorded activity"), null=True, blank=True, editable=False
    )
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
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["acronym", "generation"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        # The lists' default order, and a sort on the acronym or the start date.
        indexes = [
            models.Index(fields=["acronym", "generation"], name="partnership_acronym_order"),
            models.Index(fields=["name"], name="partnership_name"),
            models.Index(fields=["start_date"], name="partnership_start_date"),
        ]
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
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

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
    # Set when one of the cluster's managers ends its sharing with the partnership: from then
    # on the partnership sees the cluster's public profile only, whatever the dates say.
    sharing_ended_at = models.DateTimeField(_("sharing ended at"), null=True, blank=True)

    # When the row last changed (an incremental sync asks for the rows changed since).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "cluster__country", "cluster__name"]
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
        return self.left_on is None and self.sharing_ended_at is None

    def get_additional_data(self):
        # Lets the audit trail of a partnership include changes to its partners.
        return {"partnership_id": self.partnership_id}


def alias_key(name: str) -> str:
    """How names are compared: case, spacing, punctuation between words and a trailing full stop
    do not count ("BalticNet - PlasmaTec e.V." and "BalticNet-PlasmaTec e.V" are one)."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


class ClusterAlias(models.Model):
    """Another spelling of a cluster organisation's name (published lists spell the same
    organisation in several ways): imports and the published data match a cluster by its name
    or any of its aliases, in its country."""

    cluster = models.ForeignKey(
        ClusterOrganisation,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("cluster organisation"),
    )
    name = models.CharField(_("name"), max_length=300)
    country = CountryField(_("country"))
    key = models.CharField(max_length=300, editable=False)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["cluster_id", "name"]
        verbose_name = _("cluster alias")
        verbose_name_plural = _("cluster aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "country"],
                name="cluster_alias_once_per_country",
                violation_error_message=_("This spelling already names a cluster in this country."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = alias_key(self.name)
        super().save(*args, **kwargs)
