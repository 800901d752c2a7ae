"""With a real worker: the job a request starts logs under the request's id, whether it is sent
at once or waits in the outbox and is sent later by another process's relay."""

import re
import time
import uuid
from datetime import date

import pytest
from django.core.cache import cache

from escp_portal import request_ids
from escp_portal.jobs import outbox
from escp_portal.jobs.models import QueuedJob
from evaluation import services
from tests.strategy.conftest import plan  # noqa: F401 - fixture used by name

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def worker_lines(worker, pattern: str, timeout: float = 60) -> list[str]:
    """The worker's log lines matching ``pattern``, waiting until there is one."""
    deadline = time.monotonic() + timeout
    while True:
        found = [line for line in worker.log_text().splitlines() if re.search(pattern, line)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_a_write_through_the_api_starts_a_job_that_logs_under_the_requests_id(
    client,
    world,
    plan,  # noqa: F811 - the fixture
    broker_tasks,
    celery_worker_process,
):
    cache.delete(services._pending_key(world.a.pk))  # no recompute still counted as pending
    client.force_login(world.coord_a)
    request_id = uuid.uuid4().hex
    response = client.post(
        "/api/v1/measurements/",
        {
            "kpi": plan["kpi"].pk,
            "period_end": plan["kpi"].periods(date.today())[0].isoformat(),
            "value": "7",
        },
        content_type="application/json",
        HTTP_X_REQUEST_ID=request_id,
    )
    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == request_id
    assert not QueuedJob.objects.exists()  # sent to the broker at once
    done = worker_lines(
        celery_worker_process, rf"\[{request_id}\] Task evaluation\.tasks\.recompute_scoreboard"
    )
    assert done and "succeeded" in done[0], celery_worker_process.log_text()[-3000:]


def test_a_job_that_waited_in_the_outbox_logs_under_its_requests_id_when_relayed_later(
    broker_tasks, celery_worker_process
):
    """The row a request wrote while the broker was away; a relay (beat's, with an id of its
    own) sends it later from another process."""
    request_id = uuid.uuid4().hex
    QueuedJob.objects.create(task="escp_portal.accounts.tasks.ping", request_id=request_id)
    assert request_ids.run_with(uuid.uuid4().hex, outbox.relay) == 1
    done = worker_lines(
        celery_worker_process, rf"\[{request_id}\] Task escp_portal\.accounts\.tasks\.ping"
    )
    assert done and "succeeded" in done[0], celery_worker_process.log_text()[-3000:]
