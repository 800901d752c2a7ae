from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Joint strategy")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from .seed import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="strategy-core-indicators")

        from . import models, rules  # noqa: F401 - rules registers the access rules

        # Many-to-many choices are audited with who, when, before and after, as field changes.
        m2m_fields = {
            models.Task: {"responsible"},
            models.ValueChainStage: {"depends_on"},
            models.PartnershipMeeting: {"attendees"},
        }
        for model in (
            models.Strategy,
            models.Objective,
            models.KPI,
            models.Task,
            models.TargetMarket,
            models.MarketStudy,
            models.ValueChain,
            models.ValueChainStage,
            models.StageAssignment,
            models.Milestone,
            models.Measurement,
            models.MeasurementPart,
            models.PeriodLock,
            models.CoreIndicator,
            models.StrategyFeedback,
            models.PartnershipMeeting,
            models.Decision,
            models.Trademark,
            models.TrademarkLicence,
        ):
            auditlog.register(
                model,
                exclude_fields=["created_at", "updated_at", "reported_at", "locked_at"],
                m2m_fields=m2m_fields.get(model, set()),
            )
        # Not audited (tests/security/test_audit_trail.py keeps the list): MeasurementRevision is
        # itself a record of a correction, written with the audited Measurement change;
        # ReportingReminder is the reminder job's note of what it sent; StrategyNotice the strategy
        # emails'.
