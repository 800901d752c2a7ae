from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions and outcomes")

    def ready(self):
        from auditlog.registry import auditlog

        from partnerships.selectors import register_partnership_country_figures
        from partnerships.services.members import register_member_list

        from . import models, rules, selectors  # noqa: F401 - rules registers the access rules

        # Outcomes and export groups list members: an erasure rewrites their audit entries too.
        register_member_list(models.Outcome)
        register_member_list(models.ExportGroup)
        # A partnership's page draws its missions and outcomes on its world map.
        register_partnership_country_figures(selectors.partnership_country_figures)
        # The strategy's balance view counts each partner's missions and outcomes too.
        from strategy.selectors.balance import register_balance_figure

        from .selectors.balance import BALANCE_FIGURES

        for key, label, function in BALANCE_FIGURES:
            register_balance_figure(key, label, function)

        auditlog.register(models.Mission, exclude_fields=["created_at", "updated_at"])
        auditlog.register(models.Participation, exclude_fields=["registered_at"])
        for model in (models.Outcome, models.ExportGroup):
            auditlog.register(
                model, exclude_fields=["created_at", "updated_at"], m2m_fields={"members"}
            )
        # B2B meetings: a counterpart's contact person is masked, as a member's is.
        auditlog.register(
            models.MeetingProfile, exclude_fields=["updated_at"], m2m_fields={"competences"}
        )
        auditlog.register(
            models.LocalCounterpart,
            exclude_fields=["created_at", "updated_at"],
            mask_fields=["contact_name", "contact_email", "contact_phone"],
        )
        auditlog.register(models.Meeting, exclude_fields=["updated_at", "pair"])
        # Not audited (tests/security/test_audit_trail.py keeps the list): ReminderLog is the
        # reminder job's note of what it sent, MeetingNotice the meeting emails'.
