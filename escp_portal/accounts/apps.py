from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "escp_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self):
        from auditlog.registry import auditlog

        from escp_portal.fragments import mark_orm_reads_as_orm

        from . import signals
        from .models import Invitation

        signals.connect()
        mark_orm_reads_as_orm()

        # Who invited whom to what, and every answer; never the token's hash.
        auditlog.register(Invitation, exclude_fields=["token_hash", "created_at"])
