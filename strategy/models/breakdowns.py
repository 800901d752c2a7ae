"""Breakdowns of a KPI's values: the dimensions a KPI may declare (by partner, by country, by
size of the SMEs) and the parts a reported value is split into along them. The parts of one
dimension add up to the value (``strategy.services.breakdowns`` checks it)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Breakdown(models.TextChoices):
    PARTNER = "partner", _("Partner")
    COUNTRY = "country", _("Country")
    SME_SIZE = "sme_size", _("SME size")


class SmeSize(models.TextChoices):
    """Size classes of the EU SME definition (Recommendation 2003/361), and the rest."""

    MICRO = "micro", _("Micro (fewer than 10 employees)")
    SMALL = "small", _("Small (10 to 49 employees)")
    MEDIUM = "medium", _("Medium-sized (50 to 249 employees)")
    LARGE = "large", _("Not an SME (250 employees or more)")


def validate_breakdowns(value) -> None:
    """A list of distinct dimensions among ``Breakdown``'s."""
    if (
        not isinstance(value, list)
        or any(item not in Breakdown.values for item in value)
        or len(set(value)) < len(value)
    ):
        raise ValidationError(
            _("Choose breakdowns among: %(choices)s (each once).")
            % {"choices": ", ".join(Breakdown.values)},
            code="breakdowns",
        )


class MeasurementPart(models.Model):
    """The share of a reported value that falls on one partner, country or SME size."""

    measurement = models.ForeignKey(
        "strategy.Measurement", on_delete=models.CASCADE, related_name="parts"
    )
    dimension = models.CharField(_("breakdown"), max_length=10, choices=Breakdown.choices)
    # A partner's id, an ISO 3166 country code or an SME size.
    key = models.CharField(_("part"), max_length=20)
    value = models.DecimalField(_("value"), max_digits=15, decimal_places=2)

    class Meta:
        ordering = ["measurement_id", "dimension", "key"]
        verbose_name = _("part of a value")
        verbose_name_plural = _("parts of values")
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "dimension", "key"], name="measurement_part_once"
            ),
        ]

    def __str__(self):
        return f"{self.measurement_id} {self.dimension} {self.key}: {self.value}"
