"""Mission reminders under real concurrency and real crashes: two worker processes running the
job at the same moment against PostgreSQL (a worker killed in the middle: test_faults.py)."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from escp_portal.accounts.models import Role, RoleAssignment
from missions.models import Mission, Participation, ReminderLog
from missions.tasks import send_mission_reminders
from tests import factories
from tests.slow_email import count_messages
from tests.worker_fixtures import WorkerProcess

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def many_due_reminders(world, missions=6):
    """Missions starting in five days, each with members of several clusters: every mission
    owes a week-before reminder to each participating cluster's managers and coordinators."""
    today = timezone.localdate()
    clusters = [factories.cluster(f"Extra {i}", "ES") for i in range(3)]
    for cluster in clusters:
        factories.Partner.objects.create(partnership=world.a, cluster=cluster)
        RoleAssignment.objects.create(
            user=factories.user(), role=Role.CLUSTER_MANAGER, cluster=cluster
        )
    for m in range(missions):
        mission = Mission.objects.create(
            partnership=world.a,
            title=f"Mission {m}",
            country="CA",
            start_date=today + timedelta(days=5),
            end_date=today + timedelta(days=6),
        )
        for cluster in clusters:
            member = factories.member(cluster, f"Member {m}-{cluster.pk}")
            Participation.objects.create(
                mission=mission, member=member, cluster=cluster, status="confirmed"
            )
    # Per mission: the three clusters' managers and partnership A's coordinator.
    return missions * 4


def wait_until_consuming(workers, queues, timeout=60):
    """A worker answers a ping before it consumes its queue: wait until each consumes its own,
    so that the two jobs (one sent to each queue) run at once."""
    import time

    from escp_portal.celery import app

    names = [worker.name for worker in workers]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        active = app.control.inspect(destination=names, timeout=1).active_queues() or {}
        if all(
            any(q["name"] == queue for q in active.get(name, []))
            for name, queue in zip(names, queues, strict=True)
        ):
            return
    pytest.fail(f"the workers did not consume {queues} within {timeout} s")


def mail_env(tmp_path, delay):
    return {
        "TEST_EMAIL_BACKEND": "tests.slow_email.SlowFileBackend",
        "TEST_EMAIL_FILE_PATH": str(tmp_path),
        "TEST_EMAIL_DELAY": str(delay),
    }


def test_two_workers_running_the_job_at_once_send_each_email_once(
    world, broker_tasks, redis_url, tmp_path
):
    expected = many_due_reminders(world)
    # A queue for each worker and a job sent to each: on one shared queue, a worker could take
    # both jobs (one running, one prefetched) and run them one after the other. Each message
    # takes 0.25 s to send, so a run lasts about 6 s: the two runs overlap even on a busy
    # machine.
    queues = [f"reminders-{os.getpid()}-concurrent-{i}" for i in range(2)]
    workers = [
        WorkerProcess(f"twin{i}", queue, redis_url, mail_env(tmp_path, 0.25))
        for i, queue in enumerate(queues)
    ]
    try:
        wait_until_consuming(workers, queues)
        results = [send_mission_reminders.apply_async(queue=queue) for queue in queues]
        counts = [r.get(timeout=120) for r in results]
    finally:
        for worker in workers:
            worker.stop()
    messages = count_messages(tmp_path)
    print(
        f"\nconcurrent run: sent per worker {counts}, messages {len(messages)}, expected {expected}"
    )
    assert sum(counts) == expected
    assert len(messages) == len(set(messages)) == expected
    assert ReminderLog.objects.count() == expected
    assert all(c > 0 for c in counts), "both workers should have sent part of the run"
