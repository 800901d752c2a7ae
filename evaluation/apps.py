from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from auditlog.registry import auditlog

        from strategy.selectors import register_kpi_page_section

        from . import models, rules, signals  # noqa: F401 - access rules, recompute triggers
        from .selectors.statistics import kpi_ambition_section

        # The KPI page of the strategy shows how ambitious its target is, and the review form.
        register_kpi_page_section(kpi_ambition_section)

        # What people write: a coordinator's assessments, an officer's review and its answer.
        # Not audited: KPIStatus and the daily snapshots are recomputed, never typed in; a
        # signed-off snapshot records who signed it and when, and is never changed.
        auditlog.register(models.Assessment)
        auditlog.register(models.Review, exclude_fields=["created_at"])
