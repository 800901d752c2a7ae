from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = _("Brokers and investment")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, rules  # noqa: F401 - rules registers the access rules

        # Names and contacts of people are masked in the trail; an erasure empties the rest.
        auditlog.register(
            models.Broker,
            exclude_fields=["created_at", "updated_at"],
            mask_fields=["email", "phone"],
        )
        auditlog.register(
            models.InvestorContact,
            exclude_fields=["created_at", "updated_at"],
            mask_fields=["email", "phone"],
        )
        auditlog.register(
            models.Opportunity,
            exclude_fields=["created_at", "updated_at", "follow_up_notified_at"],
        )
        auditlog.register(models.InvestmentProject, exclude_fields=["created_at", "updated_at"])
