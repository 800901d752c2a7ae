"""The programme's core indicators: one set of figures every partnership reports into, so that
the Commission can add them up across partnerships (SMEs involved, agreements signed, investment
mobilised…). A partnership KPI links to at most one of them, in the same unit; a KPI derived
from the portal's records links through its source."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet


class CoreIndicator(models.Model):
    class Aggregation(models.TextChoices):
        FLOW = "flow", _("Added up over the periods (events, agreements, investment)")
        STOCK = "stock", _("Latest value of each partnership (SMEs, clusters reached)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(
        _("unit"), max_length=40, help_text=_("A linked KPI is counted in this unit.")
    )
    definition = models.TextField(_("definition"), help_text=_("What is counted, and what not."))
    aggregation = models.CharField(
        _("how it adds up"), max_length=10, choices=Aggregation.choices, default=Aggregation.FLOW
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("open for new links"),
        default=True,
        help_text=_("A retired indicator keeps its links but takes no new ones."),
    )

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("core indicator")
        verbose_name_plural = _("core indicators")

    def __str__(self):
        return self.name

    def same_unit(self, unit: str) -> bool:
        return self.unit.strip().lower() == (unit or "").strip().lower()
