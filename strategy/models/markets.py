"""Target markets of a partnership and their market studies."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from escp_portal.accounts.policy import PolicyQuerySet


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

    # When the row last changed (an incremental sync asks for the rows changed since).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "priority", "country"]
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
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = [
            "target_market__partnership_id",
            "target_market__priority",
            "target_market__country",
            "target_market_id",
        ]
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
