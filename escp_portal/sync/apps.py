from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "escp_portal.sync"
    label = "sync"
    verbose_name = _("Incremental sync")

    def ready(self):
        from . import rules, signals  # noqa: F401 - the Deletion rule; the delete receivers

        signals.connect()
