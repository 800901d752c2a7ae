from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Finding partners")

    def ready(self):
        from auditlog.registry import auditlog

        from missions.selectors import register_export_group_section
        from partnerships.services.members import register_member_change
        from strategy.selectors import register_value_chain_section

        from . import models, rules  # noqa: F401 - rules registers the access rules
        from .selectors.suggestions import export_group_link_section, gap_suggestions_section
        from .services.profiles import profiles_refresh

        # A findable profile keeps a copy of the shown fields for the search: it follows every
        # change to its member (an edit, an import, leaving the cluster, an erasure).
        register_member_change(profiles_refresh)
        # A value chain's page suggests who could cover the stages nobody covers; the export
        # groups' page links to the groups this app suggests.
        register_value_chain_section(gap_suggestions_section)
        register_export_group_section(export_group_link_section)

        # The consent itself (which fields), not the copy the search reads.
        auditlog.register(
            models.FindableProfile,
            include_fields=[
                "member",
                "cluster",
                *models.FindableProfile.SHOW_FLAGS,
                "findable_since",
                "set_by",
            ],
        )
        # The member's name as found is in the trail's label (scrubbed on erasure), not in its
        # changes; the contact released is masked there.
        auditlog.register(
            models.ContactRequest,
            exclude_fields=[
                "created_at",
                "updated_at",
                "notified_at",
                "answer_notified_at",
                "member_name",
            ],
            mask_fields=["released_name", "released_email", "released_phone"],
        )
        auditlog.register(models.PartnerRequest, exclude_fields=["created_at", "updated_at"])
        auditlog.register(models.PartnerRequestAnswer, exclude_fields=["created_at", "notified_at"])
