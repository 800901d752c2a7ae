"""An integrator's day with the Python client generated from the schema (openapi-python-client),
against a live server with a real worker: tokens, the partnerships a coordinator sees, a cluster
manager's quarter reported in bulk, the coordinator's approvals, the scoreboard the worker
recomputes. Only the client's typed functions talk to the server, so a schema that drifts from
what the server does (a field missing, a list answered as a page, a body the client cannot
send) fails here.

The integrator's system also subscribes to the webhooks (its receiver refuses the first request,
which the worker retries) and keeps a copy in sync with ``updated_since`` and the record of
deletions."""

import json
import time
import uuid
from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.utils import timezone

from escp_portal.accounts.models import Role, RoleAssignment
from partnerships.models import Partner, Partnership
from tests import factories
from tests.webhooks.receiver import Receiver, verify

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

RECOMPUTE_SECONDS = 60  # the recompute is coalesced for 5 s, then waits for the worker


@pytest.fixture
def scenario(world):
    """Partnership ALPHA with an adopted strategy: two quarterly KPIs that ALPHA's partner
    cluster (managed by manager_a) reports; BETA's coordinator also runs a draft, HIDDEN."""
    hidden = factories.partnership(
        "HIDDEN", status=Partnership.Status.DRAFT, coordinator=world.cluster_b
    )
    RoleAssignment.objects.create(user=world.coord_b, role=Role.COORDINATOR, partnership=hidden)
    responsible = Partner.objects.get(partnership=world.a, cluster=world.cluster_a)
    plan = factories.make_strategy_with_kpi(
        world.a, name="SMEs in talks abroad", target_value=Decimal(40), responsible=responsible
    )
    trade = factories.kpi(
        plan.objective,
        name="Business contracts signed",
        unit="contracts",
        target_value=Decimal(20),
        responsible=responsible,
    )
    return {
        "world": world,
        "hidden": hidden,
        "talks": plan.kpi,
        "trade": trade,
        "objective": plan.objective,
    }


def _token(generated, base_url: str, email: str) -> str:
    from escp_portal_client.api.auth import auth_token_create
    from escp_portal_client.models import TokenRequestRequest, TokenResponse

    issued = auth_token_create.sync(
        client=generated.client(base_url),
        body=TokenRequestRequest(email=email, password=factories.PASSWORD),
    )
    assert isinstance(issued, TokenResponse)
    assert issued.token.startswith(issued.token_key) and len(issued.token) > 20
    return issued.token


def _wait_for_scoreboard(generated, client, partnership_id: int, condition):
    from escp_portal_client.api.scoreboards import scoreboards_retrieve

    deadline = time.monotonic() + RECOMPUTE_SECONDS
    while True:
        board = scoreboards_retrieve.sync(partnership_id, client=client)
        if condition(board) or time.monotonic() > deadline:
            return board
        time.sleep(0.5)


def _subscribe(generated, client, receiver: Receiver):
    """A subscription through the client to the reporting events and the recompute."""
    from escp_portal_client.api.webhooks import webhooks_create
    from escp_portal_client.models import EventsEnum, SubscriptionCreatedRequest

    events = [
        EventsEnum.MEASUREMENT_SUBMITTED,
        EventsEnum.MEASUREMENT_APPROVED,
        EventsEnum.SCOREBOARD_RECOMPUTED,
    ]
    created = webhooks_create.sync(
        client=client, body=SubscriptionCreatedRequest(url=receiver.url, events=events)
    )
    assert sorted(created.events) == sorted(events)
    assert len(created.secret) == 64
    return created


def _received(receiver: Receiver, event: str) -> list[dict]:
    """The bodies of one event the receiver accepted (answered 2xx), each once."""
    seen, bodies = set(), []
    for _at, _headers, body, status in receiver.received:
        payload = json.loads(body)
        if status < 300 and payload["event"] == event and payload["id"] not in seen:
            seen.add(payload["id"])
            bodies.append(payload)
    return bodies


def _receive_webhooks(
    generated, client, *, receiver, subscription, other, partnership_id, approved
):
    """The worker delivered, signed, one event per reported and per approved value and the
    scoreboard's recompute; the first attempt was refused (500) and retried. The subscriber of
    another partnership received nothing of these."""
    from escp_portal_client.api.webhooks import webhooks_deliveries_list

    ids = sorted(m.id for m in approved)
    deadline = time.monotonic() + RECOMPUTE_SECONDS
    while time.monotonic() < deadline:
        if (
            len(_received(receiver, "measurement.approved")) == len(ids)
            and _received(receiver, "scoreboard.recomputed")
            and len(_received(receiver, "measurement.submitted")) == len(ids)
        ):
            break
        time.sleep(0.2)
    submitted = _received(receiver, "measurement.submitted")
    approvals = _received(receiver, "measurement.approved")
    recomputed = _received(receiver, "scoreboard.recomputed")
    assert sorted(body["data"]["id"] for body in submitted) == ids
    assert sorted(body["data"]["id"] for body in approvals) == ids
    assert {body["data"]["object"]["status"] for body in approvals} == {"approved"}
    assert {body["data"]["partnership_id"] for body in submitted + approvals + recomputed} == {
        partnership_id
    }
    assert recomputed, "no scoreboard.recomputed delivered"
    # Every request is signed with the subscription's secret; the refused first one came again.
    assert all(verify(subscription.secret, h, b) for _t, h, b, _s in receiver.received)
    assert receiver.received[0][3] == 500
    first_id = json.loads(receiver.received[0][2])["id"]
    assert [json.loads(b)["id"] for _t, _h, b, _s in receiver.received].count(first_id) == 2
    # The delivery log says the same: the retried delivery has two attempts, 500 then 2xx.
    log = webhooks_deliveries_list.sync(subscription.id, client=client, page_size=100)
    retried = [d for d in log.results if str(d.event_id) == first_id]
    assert [a.status_code for a in retried[0].attempt_log] == [500, 200]
    assert {d.status.value for d in log.results} == {"succeeded"}
    # Nothing of this partnership reached the other partnership's coordinator.
    assert [
        body for body in other.bodies() if body["data"].get("partnership_id") == partnership_id
    ] == []
    events = sorted({json.loads(b)["event"] for _t, _h, b, _s in receiver.received})
    print(
        f"\nwebhooks delivered in the scenario: {len(submitted)} measurement.submitted, "
        f"{len(approvals)} measurement.approved, {len(recomputed)} scoreboard.recomputed "
        f"({len(receiver.received)} requests: {events}, the first refused once)"
    )


def _sync_since(generated, client, *, since, after, changed, objective, other_client):
    """Reading with ``updated_since`` answers exactly the rows written or approved since the
    moment (none from a later one); a task made and deleted meanwhile is in the record of
    deletions for its partnership's coordinator only."""
    from escp_portal_client.api.deletions import deletions_list
    from escp_portal_client.api.measurements import measurements_list
    from escp_portal_client.api.tasks import tasks_create, tasks_destroy, tasks_list
    from escp_portal_client.models import DeletionsListResource, TaskRequest

    recent = measurements_list.sync(client=client, updated_since=since, page_size=100)
    assert sorted(m.id for m in recent.results) == sorted(m.id for m in changed)
    later = measurements_list.sync(client=client, updated_since=after, page_size=100)
    assert later.count == 0

    task = tasks_create.sync(
        client=client, body=TaskRequest(objective=objective.pk, title="Draft the joint brochure")
    )
    assert tasks_destroy.sync_detailed(task.id, client=client).status_code == HTTPStatus.NO_CONTENT
    tasks = tasks_list.sync(client=client, updated_since=since, page_size=100)
    assert task.id not in {t.id for t in tasks.results}
    gone = deletions_list.sync(client=client, since=since, resource=DeletionsListResource.TASKS)
    assert [(d.resource, d.object_id) for d in gone.results] == [("tasks", task.id)]
    theirs = deletions_list.sync(
        client=other_client, since=since, resource=DeletionsListResource.TASKS
    )
    assert theirs.count == 0


def test_an_integrator_reports_approves_and_reads_the_scoreboard_with_the_generated_client(
    generated_client, live_server, broker_tasks, webhook_worker, scenario, request
):
    from escp_portal_client.api.measurements import (
        measurements_approve_create,
        measurements_bulk_create,
        measurements_list,
    )
    from escp_portal_client.api.partnerships import partnerships_list
    from escp_portal_client.api.scoreboards import scoreboards_retrieve
    from escp_portal_client.models import (
        KPIStatusStatusEnum,
        MeasurementRowRequest,
        MeasurementsListStatus,
        MeasurementStatusEnum,
        ReviewRequest,
    )

    world, talks, trade = scenario["world"], scenario["talks"], scenario["trade"]
    base = live_server.url
    started = timezone.now()

    # 1. Tokens: the coordinator's and the reporting cluster manager's, by email and password.
    coordinator = generated_client.client(base, _token(generated_client, base, world.coord_a.email))
    manager = generated_client.client(base, _token(generated_client, base, world.manager_a.email))
    coord_b = generated_client.client(base, _token(generated_client, base, world.coord_b.email))

    # The coordinator's system subscribes to the reporting events; its receiver refuses the
    # first request (500), to be retried. B's coordinator subscribes to the same events.
    receiver, other_receiver = Receiver([500]), Receiver()
    request.addfinalizer(receiver.close)
    request.addfinalizer(other_receiver.close)
    subscription = _subscribe(generated_client, coordinator, receiver)
    _subscribe(generated_client, coord_b, other_receiver)

    # 2. The partnerships the coordinator sees: their own (published and draft) and the public
    # directory, not another coordinator's draft.
    listed = partnerships_list.sync(client=coordinator, page_size=100)
    acronyms = {p.acronym for p in listed.results}
    assert {"ALPHA", "DRAFTY", "BETA"} <= acronyms
    assert "HIDDEN" not in acronyms
    assert listed.count == len(listed.results) == len(acronyms)

    # 3. The cluster manager reports the last quarter of both KPIs at once; retried with the
    # same key, the same values come back and nothing more is written.
    quarter = talks.periods(date.today())[-1]
    rows = [
        MeasurementRowRequest(kpi=talks.pk, period_end=quarter, value="40.00"),
        MeasurementRowRequest(kpi=trade.pk, period_end=quarter, value="5.00", note="2 in Canada"),
    ]
    key = f"client-{uuid.uuid4().hex[:16]}"
    reported = measurements_bulk_create.sync(client=manager, body=rows, idempotency_key=key)
    assert [(m.kpi, m.period_end, m.value, m.status) for m in reported] == [
        (talks.pk, quarter, "40.00", MeasurementStatusEnum.SUBMITTED),
        (trade.pk, quarter, "5.00", MeasurementStatusEnum.SUBMITTED),
    ]
    assert reported[1].note == "2 in Canada"
    again = measurements_bulk_create.sync(client=manager, body=rows, idempotency_key=key)
    assert [m.id for m in again] == [m.id for m in reported]

    # Submitted values do not count yet: the scoreboard has no data on either KPI.
    board = scoreboards_retrieve.sync(world.a.pk, client=coordinator)
    assert {row.kpi: row.current_value for row in board.kpis} == {talks.pk: None, trade.pk: None}
    assert {row.status for row in board.kpis} == {KPIStatusStatusEnum.NO_DATA}

    # 4. The coordinator finds the two values waiting and approves each as seen; the cluster
    # manager may not approve.
    waiting = measurements_list.sync(
        client=coordinator, partnership=world.a.pk, status=MeasurementsListStatus.SUBMITTED
    )
    assert waiting.count == 2
    assert {m.id for m in waiting.results} == {m.id for m in reported}
    refused = measurements_approve_create.sync_detailed(
        reported[0].id,
        client=generated_client.client(base, manager.token, strict=False),
        body=ReviewRequest(value=reported[0].value),
    )
    assert refused.status_code == HTTPStatus.FORBIDDEN
    for measurement in waiting.results:
        approved = measurements_approve_create.sync(
            measurement.id, client=coordinator, body=ReviewRequest(value=measurement.value)
        )
        assert approved.status == MeasurementStatusEnum.APPROVED
        assert approved.value == measurement.value
        assert approved.reviewed_at is not None
    left = measurements_list.sync(
        client=coordinator, partnership=world.a.pk, status=MeasurementsListStatus.SUBMITTED
    )
    assert left.count == 0

    # 5. The worker recomputes the scoreboard: the approved values, their progress and status.
    # (A scoreboard never stored is computed on the read: the stored day's snapshot in the
    # history is the worker's.)
    def shows_the_approved_values(board) -> bool:
        stored = [snap for snap in board.history if snap.date == timezone.localdate()]
        return bool(stored) and stored[-1].statuses.additional_properties.get("achieved") == 1

    board = _wait_for_scoreboard(
        generated_client, coordinator, world.a.pk, shows_the_approved_values
    )
    rows_by_kpi = {row.kpi: row for row in board.kpis}
    assert board.partnership == world.a.pk
    assert rows_by_kpi[talks.pk].current_value == "40.00", "not recomputed by the worker"
    assert rows_by_kpi[talks.pk].progress == "100.0"
    assert rows_by_kpi[talks.pk].status == KPIStatusStatusEnum.ACHIEVED
    assert rows_by_kpi[trade.pk].current_value == "5.00"
    assert rows_by_kpi[trade.pk].progress == "25.0"
    assert rows_by_kpi[trade.pk].status == KPIStatusStatusEnum.OFF_TRACK
    assert {row.last_reported for row in board.kpis} == {quarter}
    assert [snap.date for snap in board.history][-1] == timezone.localdate()
    assert board.history[-1].statuses.additional_properties == {"achieved": 1, "off_track": 1}
    # Another partnership's scoreboard is not the coordinator's to read.
    other = scoreboards_retrieve.sync_detailed(
        world.b.pk, client=generated_client.client(base, coordinator.token, strict=False)
    )
    assert other.status_code == HTTPStatus.NOT_FOUND

    after = timezone.now()

    # 6. The webhooks the reports, the approvals and the recompute sent, through the worker.
    _receive_webhooks(
        generated_client,
        coordinator,
        receiver=receiver,
        subscription=subscription,
        other=other_receiver,
        partnership_id=world.a.pk,
        approved=waiting.results,
    )

    # 7. What changed since the scenario started, and what was deleted.
    _sync_since(
        generated_client,
        coordinator,
        since=started,
        after=after,
        changed=waiting.results,
        objective=scenario["objective"],
        other_client=coord_b,
    )
