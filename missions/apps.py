from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions and outcomes")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Mission, models.Outcome, models.ExportGroup):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
