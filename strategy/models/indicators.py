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


# The programme's figures, seeded by the migration and kept by staff afterwards.
SEED = [
    (
        "smes_involved",
        "SMEs involved",
        "SMEs",
        "stock",
        "Distinct SMEs that took part in at least one of the partnership's activities.",
    ),
    (
        "clusters_involved",
        "Cluster organisations involved",
        "cluster organisations",
        "stock",
        "Cluster organisations (partners and others) that took part in the partnership's work.",
    ),
    (
        "c2c_events",
        "Cluster-to-cluster events",
        "events",
        "flow",
        "Meetings between the partnership's clusters and clusters of other countries.",
    ),
    (
        "b2b_meetings",
        "B2B meetings",
        "meetings",
        "flow",
        "Pre-arranged meetings between companies, held at missions, fairs or online.",
    ),
    (
        "missions",
        "Missions",
        "missions",
        "flow",
        "Missions to or from a third country that took place.",
    ),
    (
        "agreements",
        "Agreements and MoUs",
        "agreements",
        "flow",
        "Memoranda of understanding and other formal agreements signed with foreign partners.",
    ),
    (
        "contracts",
        "Business contracts",
        "contracts",
        "flow",
        "Contracts signed by SMEs with partners met through the partnership.",
    ),
    (
        "joint_projects",
        "Joint projects",
        "projects",
        "flow",
        "Collaboration projects (R&D, innovation, trade) started with partners abroad.",
    ),
    (
        "investment",
        "Investment mobilised",
        "EUR",
        "flow",
        "Money invested in or by the SMEs through the partnership's actions, in euro.",
    ),
]
