from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Joint strategy")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Strategy,
            models.Objective,
            models.KPI,
            models.Task,
            models.TargetMarket,
            models.MarketStudy,
            models.ValueChain,
        ):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
