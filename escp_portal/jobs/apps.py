from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "escp_portal.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from celery.signals import worker_ready

        from . import outbox

        # A worker coming up (after a broker outage, say) sends what waited in the outbox.
        worker_ready.connect(outbox.relay_on_worker_ready, weak=False)
