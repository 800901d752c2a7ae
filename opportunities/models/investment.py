"""Investors met at events (Action 14) and the joint investment projects the partnership
prepares with technical assistance (Action 15)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from escp_portal.accounts.policy import PolicyQuerySet


class InvestorContact(models.Model):
    """Someone from a venture capital firm, a larger company or another private investor whom
    the partnership met, usually at an investor event or a pitch session. Personal data."""

    class Kind(models.TextChoices):
        VENTURE = "venture", _("Venture capital")
        CORPORATE = "corporate", _("Larger company")
        ANGEL = "angel", _("Business angel")
        FUND = "fund", _("Investment fund or bank")
        PUBLIC = "public", _("Public investor")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="investor_contacts",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.VENTURE)
    country = CountryField(_("country"))
    event = models.ForeignKey(
        "missions.Mission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investor_contacts",
        verbose_name=_("met at"),
        help_text=_("The partnership's event where you met (an investor event, a pitch session)."),
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    interests = models.TextField(
        _("interests"), blank=True, help_text=_("Sectors, stages and ticket sizes they look at.")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "organisation", "name", "pk"]
        verbose_name = _("investor contact")
        verbose_name_plural = _("investor contacts")

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def get_absolute_url(self):
        return reverse("opportunities:investor_edit", args=[self.pk])


class InvestmentProject(models.Model):
    """A joint investment project of partners from two or more regions, in a smart
    specialisation priority area: what it seeks, what it has mobilised so far (counted towards
    the investment core indicator on the date it was mobilised) and where its technical
    assistance stands."""

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        PREPARING = "preparing", _("Preparing the business plan")
        SEEKING = "seeking", _("Seeking investors")
        FINANCED = "financed", _("Financed")
        DROPPED = "dropped", _("Dropped")

    class Assistance(models.TextChoices):
        NONE = "none", _("Not asked for")
        PLANNED = "planned", _("Planned")
        APPLIED = "applied", _("Applied for")
        GRANTED = "granted", _("Granted")
        COMPLETED = "completed", _("Completed")
        REFUSED = "refused", _("Refused")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="investment_projects",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    s3_area = models.CharField(
        _("S3 priority area"),
        max_length=200,
        help_text=_("The smart specialisation priority area the project belongs to."),
    )
    regions = models.CharField(
        _("partner regions"),
        max_length=500,
        help_text=_("The regions taking part, separated by commas (at least two)."),
    )
    lead_partner = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investment_projects",
        verbose_name=_("lead partner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDEA
    )
    investment_sought = models.DecimalField(
        _("investment sought (EUR)"),
        max_digits=15,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    investment_mobilised = models.DecimalField(
        _("investment mobilised (EUR)"),
        max_digits=15,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    mobilised_on = models.DateField(
        _("mobilised on"),
        null=True,
        blank=True,
        help_text=_("When the investment was committed: the period it counts in."),
    )
    assistance = models.CharField(
        _("technical assistance"),
        max_length=12,
        choices=Assistance.choices,
        default=Assistance.NONE,
    )
    assistance_provider = models.CharField(
        _("assistance provider"),
        max_length=200,
        blank=True,
        help_text=_("The EU facility or advisory service that helps (if any)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "title", "pk"]
        verbose_name = _("joint investment project")
        verbose_name_plural = _("joint investment projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(investment_mobilised=0) | models.Q(mobilised_on__isnull=False),
                name="investment_mobilised_dated",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("opportunities:project_edit", args=[self.pk])

    @property
    def region_list(self) -> list[str]:
        return [r.strip() for r in self.regions.split(",") if r.strip()]
