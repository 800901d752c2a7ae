from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "escp_portal.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from celery.signals import task_prerun, worker_ready

        from escp_portal import request_ids

        from . import outbox

        # A worker coming up (after a broker outage, say) sends what waited in the outbox.
        worker_ready.connect(outbox.relay_on_worker_ready, weak=False)
        # After django-guid's own receiver (its app comes first in INSTALLED_APPS): a job run
        # in-process keeps the id of the request that asked for it.
        task_prerun.connect(request_ids.adopt_eager_request_id, weak=False)
