from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "escp_portal.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from . import rules  # noqa: F401  (registers the subscriptions' access rules)
