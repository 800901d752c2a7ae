import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escp_portal.settings.production")

application = get_wsgi_application()


def tune_garbage_collector(threshold) -> None:
    """Everything loaded so far lives as long as the process: move it to the permanent
    generation, so that no collection scans it again, and collect less often
    (``WSGI_GC_THRESHOLD``, README "Capacity"). About a twentieth of a request's CPU here."""
    if not threshold:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*threshold)


tune_garbage_collector(settings.WSGI_GC_THRESHOLD)
