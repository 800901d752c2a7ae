"""Faults with real processes: the broker (Redis) stopped under a running portal, PostgreSQL
restarted under a running worker, and a worker SIGKILLed in the middle of a job. Each scenario
prints what happened; the assertions are what a user would notice (answers, saved data,
jobs done, each email once)."""

import os
import re
import shutil
import subprocess
import time
from datetime import date

import pytest
import requests
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken

from escp_portal.jobs.models import QueuedJob
from evaluation.models import KPIStatus
from missions.models import ReminderLog
from missions.tasks import send_mission_reminders
from strategy.models import Measurement
from tests.factories import PASSWORD
from tests.integration.test_mission_reminders import mail_env, many_due_reminders
from tests.services import require
from tests.slow_email import count_messages
from tests.stack import RedisServer, django_env, start_beat, start_web, start_worker
from tests.strategy.conftest import plan  # noqa: F401 - fixture used by name
from tests.worker_fixtures import WorkerProcess, _database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def wait_until(condition, timeout=90, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def log_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    reply = session.post(
        f"{base}/accounts/login/",
        data={
            "username": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert reply.status_code == 302, reply.text[:500]
    return session


@pytest.fixture
def private_redis():
    require(shutil.which("redis-server") is not None, "redis-server")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def test_with_redis_stopped_the_portal_answers_and_queued_jobs_run_once_it_is_back(
    world,
    plan,  # noqa: F811 - the fixture
    private_redis,
    tmp_path,
):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    env = django_env(_database_url(), private_redis.url, OUTBOX_RELAY_SECONDS="1")
    processes = []
    try:
        worker = start_worker("outbox", env)
        processes.append(worker)
        web, base = start_web(env)
        processes.append(web)
        processes.append(start_beat(env, tmp_path / "beat-schedule"))
        token = AuthToken.objects.create(user=world.coord_a)[1]
        api = {"Authorization": f"Token {token}"}
        page = log_in(base, world.coord_a.email)

        private_redis.stop()
        assert not private_redis.answers()

        # Pages and the API answer without the broker and the cache.
        pages = {
            "home": page.get(f"{base}/", timeout=30),
            "scoreboard": page.get(f"{base}/partnerships/{world.a.pk}/scoreboard/", timeout=30),
            "api list": requests.get(f"{base}/api/v1/partnerships/", headers=api, timeout=30),
        }
        assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(pages, 200)

        # A write commits and its job waits in the outbox.
        started = time.monotonic()
        reply = requests.post(
            f"{base}/api/v1/measurements/",
            json={
                "kpi": plan["kpi"].pk,
                "period_end": plan["kpi"].periods(date.today())[0].isoformat(),
                "value": "7",
            },
            headers=api,
            timeout=30,
        )
        write_seconds = time.monotonic() - started
        assert reply.status_code == 201, reply.text
        written_at = timezone.now()
        assert Measurement.objects.filter(pk=reply.json()["id"]).exists()
        waiting = list(QueuedJob.objects.values_list("task", flat=True))
        assert waiting == ["evaluation.tasks.recompute_scoreboard"]
        health = requests.get(f"{base}/health/", timeout=30).json()
        assert health["status"] == "degraded" and health["outbox"]["waiting"] == 1
        assert not KPIStatus.objects.filter(kpi=plan["kpi"], computed_at__gte=written_at).exists()

        # Redis is back: beat's relay sends the job, the worker recomputes the scoreboard.
        private_redis.start()
        back_at = time.monotonic()

        def recompute_runs():
            return len(re.findall(r"recompute_scoreboard\[[^\]]+\] succeeded", worker.log_text()))

        # Done when the figures are there and the worker has logged the job's end (it logs it
        # once the job returns, a moment after the figures' commit).
        assert wait_until(
            lambda: (
                KPIStatus.objects.filter(kpi=plan["kpi"], computed_at__gte=written_at).exists()
                and not QueuedJob.objects.exists()
                and recompute_runs() >= 1
            )
        ), f"the job did not run after Redis came back: see {worker.log_path}"
        recovered = time.monotonic() - back_at
        time.sleep(2)  # a second run, if the job were sent twice, would show by now
        runs = recompute_runs()
        print(
            f"\nredis stopped: pages {[r.status_code for r in pages.values()]}, write 201 in "
            f"{write_seconds:.2f} s, 1 job waited; Redis back -> scoreboard recomputed in "
            f"{recovered:.1f} s; outbox empty; recompute ran {runs} time(s)"
        )
        assert runs == 1, worker.log_text()[-3000:]
    finally:
        for process in reversed(processes):
            process.stop()


def _cluster_of_this_database():
    port = str(connection.settings_dict["PORT"] or 5432)
    lines = subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for line in lines:
        version, name, cluster_port, *_ = line.split()
        if cluster_port == port:
            return version, name
    return None


def test_postgresql_restarted_under_a_running_worker_the_job_completes_each_email_once(
    world, broker_tasks, redis_url, tmp_path
):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    can_restart = shutil.which("pg_lsclusters") is not None and os.geteuid() == 0
    require(can_restart, "root and pg_ctlcluster to restart PostgreSQL")
    cluster = _cluster_of_this_database()
    require(cluster is not None, "a local PostgreSQL cluster on the test database's port")
    expected = many_due_reminders(world)
    queue = f"reminders-{os.getpid()}-pgrestart"
    worker = WorkerProcess("pg-restart", queue, redis_url, mail_env(tmp_path, 0.3))
    try:
        result = send_mission_reminders.apply_async(queue=queue)
        assert wait_until(lambda: len(count_messages(tmp_path)) >= 3, timeout=60)
        connection.close()
        started = time.monotonic()
        subprocess.run(
            ["pg_ctlcluster", cluster[0], cluster[1], "restart", "-m", "fast"],
            check=True,
            capture_output=True,
        )
        restart_seconds = time.monotonic() - started
        before = len(count_messages(tmp_path))
        result.get(timeout=180)
    finally:
        worker.stop()
    connection.close()
    messages = count_messages(tmp_path)
    log = worker.log_path.read_text(errors="replace")
    retries = len(re.findall(r"Retry in", log))
    recorded_again = log.count("the claim was recorded again")
    print(
        f"\npostgres restart: took {restart_seconds:.1f} s with {before} of {expected} emails "
        f"sent; job retried {retries} times, {recorded_again} sent email(s) recorded after "
        f"reconnecting; {len(messages)} emails in all, "
        f"{ReminderLog.objects.count()} recorded"
    )
    assert before < expected, "PostgreSQL should have restarted in the middle of the run"
    assert retries + recorded_again > 0, "the restart should have hit the running job"
    assert len(messages) == len(set(messages)) == expected
    assert ReminderLog.objects.count() == expected


def test_a_worker_killed_mid_job_gets_the_job_back_and_finishes_it_without_duplicates(
    world, broker_tasks, redis_url, tmp_path
):
    """No one sends the job again: the broker gives the unacknowledged message to the next
    worker once its visibility timeout (short here) has passed."""
    expected = many_due_reminders(world)
    queue = f"reminders-{os.getpid()}-sigkill"
    doomed = WorkerProcess("sigkill", queue, redis_url, mail_env(tmp_path, 0.3))
    try:
        result = send_mission_reminders.apply_async(queue=queue)
        assert wait_until(lambda: len(count_messages(tmp_path)) >= 3, timeout=60, step=0.05)
        time.sleep(0.1)  # into the next message's sending, before it is written
    finally:
        doomed.kill()
    before = len(count_messages(tmp_path))
    assert 0 < before < expected, "the worker should have died part-way"
    restore = {
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    again = WorkerProcess("sigkill-restart", queue, redis_url, {**mail_env(tmp_path, 0), **restore})
    started = time.monotonic()
    try:
        rest = result.get(timeout=120)
    finally:
        again.stop()
    messages = count_messages(tmp_path)
    print(
        f"\nSIGKILL: {before} sent before the kill, the same job redelivered and finished in "
        f"{time.monotonic() - started:.1f} s sending {rest}; {len(messages)} emails in all, "
        f"expected {expected}"
    )
    assert before + rest == expected
    assert len(messages) == len(set(messages)) == expected
    assert ReminderLog.objects.count() == expected
