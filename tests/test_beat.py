"""The beat scheduler of deploy/beat.sh leaves a heartbeat that its health check reads."""

import os
import subprocess
import time
from pathlib import Path

from escp_portal.beat import HeartbeatScheduler
from escp_portal.celery import app

ROOT = Path(__file__).resolve().parent.parent


def test_every_tick_touches_the_heartbeat_file(tmp_path, settings):
    heartbeat = tmp_path / "heartbeat"
    settings.CELERY_BEAT_HEARTBEAT_FILE = str(heartbeat)
    scheduler = HeartbeatScheduler(app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
    scheduler.setup_schedule()
    try:
        assert not heartbeat.exists()
        scheduler.tick()
        assert heartbeat.exists()
        first = heartbeat.stat().st_mtime
        os.utime(heartbeat, (first - 600, first - 600))  # ten minutes without a tick
        scheduler.tick()
        assert heartbeat.stat().st_mtime > first - 60
    finally:
        scheduler.close()


def healthcheck(heartbeat):
    return subprocess.run(
        ["deploy/healthcheck.sh", "beat"],
        cwd=ROOT,
        env={**os.environ, "CELERY_BEAT_HEARTBEAT_FILE": str(heartbeat)},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_beat_health_check_fails_when_beat_stopped_ticking(tmp_path):
    heartbeat = tmp_path / "heartbeat"
    assert healthcheck(heartbeat).returncode == 1  # never ticked
    heartbeat.touch()
    assert healthcheck(heartbeat).returncode == 0
    stale = time.time() - 300
    os.utime(heartbeat, (stale, stale))
    result = healthcheck(heartbeat)
    assert result.returncode == 1
    assert "has not ticked" in result.stderr
