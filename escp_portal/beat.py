"""The beat scheduler of deploy/beat.sh: Celery's persistent scheduler that also leaves a sign of
life. Every tick touches ``CELERY_BEAT_HEARTBEAT_FILE``, so a health check can tell a beat that
still schedules from one that hangs (``deploy/healthcheck.sh beat``). The beat schedule sends the
outbox relay every ``OUTBOX_RELAY_SECONDS``, so a live beat ticks at least that often."""

from contextlib import suppress
from pathlib import Path

from celery.beat import PersistentScheduler
from django.conf import settings


class HeartbeatScheduler(PersistentScheduler):
    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        # A heartbeat that cannot be written shows up as a failing health check.
        with suppress(OSError):
            Path(settings.CELERY_BEAT_HEARTBEAT_FILE).touch()
        return interval
