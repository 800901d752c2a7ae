"""Logs and error reports: every line has its time, level, logger and the request id; a request's
id is the id of the jobs it starts (in-process, through the outbox, and sent later by a relay);
with SENTRY_DSN set, a failing page reaches Sentry tagged with its request id."""

import gzip
import io
import json
import logging
import logging.config
import re
import threading
import uuid
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from celery.signals import after_task_publish
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from escp_portal import logs, request_ids
from escp_portal.accounts.tasks import ping
from escp_portal.celery import app as celery_app
from escp_portal.jobs import outbox
from escp_portal.jobs.models import QueuedJob
from escp_portal.jobs.tasks import relay_outbox
from tests.strategy.conftest import plan  # noqa: F401 - fixture used by name
from tests.test_settings import PRODUCTION_ENV, run

FRESH_ID = re.compile(r"[0-9a-f]{32}")


def new_id() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def console():
    """What the configured console handler (settings.LOGGING) writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def lines_with(buffer: io.StringIO, text: str) -> list[str]:
    return [line for line in buffer.getvalue().splitlines() if text in line]


# --- the request id ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_answers_the_id_nginx_gave_it_and_its_log_lines_carry_it(client, console):
    request_id = new_id()  # nginx's $request_id: 32 hex digits
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=request_id)
    assert response.status_code == 404
    assert response["X-Request-ID"] == request_id
    [line] = lines_with(console, "Not Found: /no-such-page/")
    assert f"WARNING django.request [{request_id}]" in line
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", line)  # the time comes first


@pytest.mark.django_db
def test_a_uuid_written_the_usual_way_is_taken_as_it_is(client):
    request_id = str(uuid.uuid4())
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID=request_id)["X-Request-ID"] == (
        request_id
    )


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_fresh_one_each_time(client):
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]
    assert FRESH_ID.fullmatch(first) and FRESH_ID.fullmatch(second) and first != second


@pytest.mark.parametrize(
    "sent",
    [
        "not-an-id",
        "<script>alert(1)</script>",
        "0123456789abcdef0123456789abcdef\r\nSet-Cookie: x=1",
        "0123456789abcdef0123456789abcdeg",  # one letter that is not hex
        "0123456789abcdef0123456789abcdef0",  # one digit too many
        "{01234567-89ab-cdef-0123-456789abcdef}",
        "urn:uuid:01234567-89ab-cdef-0123-456789abcdef",
        "-" * 3000 + "0123456789abcdef0123456789abcdef",  # django-guid alone would take it
        " 0123456789abcdef0123456789abcdef",
    ],
)
@pytest.mark.django_db
def test_an_id_that_is_not_a_plain_id_is_replaced_not_echoed(client, console, sent):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=sent)
    answered = response["X-Request-ID"]
    assert FRESH_ID.fullmatch(answered) and answered not in sent
    [line] = lines_with(console, "Not Found: /no-such-page/")
    assert f"[{answered}]" in line
    assert sent not in console.getvalue()


def test_a_line_outside_any_request_or_job_has_a_dash_for_its_id(console):
    logging.getLogger("escp_portal.test").warning("nothing to do with a request")
    [line] = lines_with(console, "nothing to do with a request")
    assert "WARNING escp_portal.test [-] nothing to do with a request" in line


# --- the JSON format ----------------------------------------------------------------------------


def json_handler(stream) -> logging.Handler:
    """A console handler as ``logging_config("json")`` builds it, writing to ``stream``."""
    config = logs.logging_config("json", "INFO")
    configurator = logging.config.DictConfigurator(config)
    spec = config["handlers"]["console"]
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configurator.configure_formatter(config["formatters"][spec["formatter"]]))
    for name in spec["filters"]:
        handler.addFilter(configurator.configure_filter(config["filters"][name]))
    return handler


def test_the_json_format_writes_one_object_a_line_with_time_level_logger_message_and_id():
    stream = io.StringIO()
    logger = logging.getLogger("escp_portal.test.json")
    handler = json_handler(stream)
    logger.addHandler(handler)
    request_id = new_id()
    try:
        request_ids.run_with(request_id, logger.warning, "member file %s read", "members.csv")
        logger.info("no request here")
        try:
            raise ValueError("a broken row\nover two lines")
        except ValueError:
            request_ids.run_with(request_id, logger.exception, "import failed")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    first, second, third = records
    for record in records:
        assert {"time", "level", "logger", "message", "request_id"} <= record.keys()
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", record["time"])
        assert record["logger"] == "escp_portal.test.json"
    assert (first["level"], first["message"], first["request_id"]) == (
        "WARNING",
        "member file members.csv read",
        request_id,
    )
    assert (second["level"], second["request_id"]) == ("INFO", "-")
    assert third["level"] == "ERROR" and "ValueError: a broken row" in third["exc_info"]


def test_production_logs_json_by_default_and_text_on_request():
    code = "import django, logging; django.setup(); logging.getLogger('escp.check').warning('up')"
    json_run = run(["-c", code], PRODUCTION_ENV)
    assert json_run.returncode == 0, json_run.stderr
    record = json.loads(json_run.stderr.strip().splitlines()[-1])
    assert record["message"] == "up" and record["level"] == "WARNING"
    assert record["logger"] == "escp.check" and record["request_id"] == "-"

    text_run = run(["-c", code], {**PRODUCTION_ENV, "DJANGO_LOG_FORMAT": "text"})
    assert text_run.returncode == 0, text_run.stderr
    assert "WARNING escp.check [-] up" in text_run.stderr


def test_an_unknown_log_format_stops_start_up_with_a_clear_message():
    result = run(["manage.py", "check"], {**PRODUCTION_ENV, "DJANGO_LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be one of text, json" in result.stderr


# --- jobs started by a request ------------------------------------------------------------------


def post_measurement(client, world, plan, request_id):  # noqa: F811 - the fixture
    client.force_login(world.coord_a)
    cache.clear()  # no recompute of an earlier test still counted as pending
    return client.post(
        "/api/v1/measurements/",
        {
            "kpi": plan["kpi"].pk,
            "period_end": plan["kpi"].periods(date.today())[0].isoformat(),
            "value": "7",
        },
        content_type="application/json",
        HTTP_X_REQUEST_ID=request_id,
    )


@pytest.mark.django_db(transaction=True)
def test_a_job_run_in_process_logs_under_the_id_of_the_request_that_started_it(
    client,
    world,
    plan,  # noqa: F811 - the fixture
    console,
):
    request_id = new_id()
    response = post_measurement(client, world, plan, request_id)
    assert response.status_code == 201, response.content
    [done] = lines_with(console, "recompute_scoreboard[")
    assert "succeeded" in done and f"[{request_id}]" in done
    # The job ran inside the request and left the request's id as it was.
    assert response["X-Request-ID"] == request_id


@pytest.mark.django_db
def test_a_job_started_by_the_schedule_has_an_id_of_its_own(console):
    ping.apply()
    ping.apply()
    ids = [re.search(r"\[(\w+)\] Task", line).group(1) for line in lines_with(console, "ping[")]
    assert len(ids) == 2 and ids[0] != ids[1]
    assert all(FRESH_ID.fullmatch(found) for found in ids)


@pytest.fixture
def published():
    """Tasks go to the broker (the in-memory one of the test settings) instead of running; the
    headers of every message sent are recorded."""
    sent = []

    def record(sender=None, headers=None, **kwargs):
        sent.append((sender, dict(headers or {})))

    after_task_publish.connect(record, weak=False)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield sent
    celery_app.conf.task_always_eager = eager
    celery_app.conf.broker_write_url = None
    after_task_publish.disconnect(record)
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")


@pytest.mark.django_db(transaction=True)
def test_a_job_that_waited_in_the_outbox_is_sent_later_with_the_id_of_its_request(
    client,
    world,
    plan,  # noqa: F811 - the fixture
    published,
):
    celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # the broker is away
    request_id = new_id()
    response = post_measurement(client, world, plan, request_id)
    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == request_id
    job = QueuedJob.objects.get()
    assert (job.task, job.request_id) == ("evaluation.tasks.recompute_scoreboard", request_id)
    assert published == []

    # The broker is back; later, beat's relay job (an id of its own) sends what waited.
    celery_app.conf.broker_write_url = None
    QueuedJob.objects.update(next_attempt_at=timezone.now())
    assert relay_outbox.apply().get() == 1
    [(task, headers)] = published
    assert task == "evaluation.tasks.recompute_scoreboard"
    assert headers[request_ids.HEADER] == request_id
    assert not QueuedJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_sent_at_once_carries_its_request_id_and_one_asked_for_outside_a_request_none(
    client,
    world,
    plan,  # noqa: F811 - the fixture
    published,
):
    request_id = new_id()
    assert post_measurement(client, world, plan, request_id).status_code == 201
    outbox.enqueue(ping)  # no request: the worker will give the job an id of its own
    assert [(task, headers[request_ids.HEADER]) for task, headers in published] == [
        ("evaluation.tasks.recompute_scoreboard", request_id),
        ("escp_portal.accounts.tasks.ping", None),
    ]
    assert not QueuedJob.objects.exists()


# --- Sentry -------------------------------------------------------------------------------------


class SentryStub(BaseHTTPRequestHandler):
    """Records the envelopes a Sentry client sends."""

    received: list[bytes]

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), SentryStub)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    # No Sentry client left for the tests that follow.
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)
    server.shutdown()
    server.server_close()


def envelope_items(body: bytes) -> list[tuple[dict, dict]]:
    """(item header, payload) of each item of an envelope (a JSON header line, then items)."""
    lines = body.split(b"\n")
    items = []
    index = 1
    while index + 1 < len(lines):
        header = json.loads(lines[index])
        if "length" in header:
            start = sum(len(line) + 1 for line in lines[: index + 1])
            payload = body[start : start + header["length"]]
            rest = body[start + header["length"] :].lstrip(b"\n").split(b"\n")
            lines = [b"{}", *rest]
            index = 1
        else:
            payload = lines[index + 1]
            index += 2
        items.append((header, json.loads(payload)))
    return items


@pytest.mark.urls("tests.logging_urls")
@pytest.mark.django_db
def test_with_a_dsn_a_failing_page_is_reported_to_sentry_with_its_request_id(sentry_server):
    dsn = f"http://publickey@127.0.0.1:{sentry_server.server_port}/1"
    assert logs.init_sentry(dsn, environment="ci-check") is True
    request_id = new_id()
    response = Client(raise_request_exception=False).get(
        "/fail-on-purpose/", HTTP_X_REQUEST_ID=request_id, HTTP_COOKIE="sessionid=secret"
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=10)

    events = [
        payload
        for path, body in sentry_server.received
        if path == "/api/1/envelope/"
        for header, payload in envelope_items(body)
        if header.get("type") == "event"
    ]
    [event] = events
    [exception] = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == ("RuntimeError", "a page failed on purpose")
    assert event["tags"]["request_id"] == request_id
    assert event["environment"] == "ci-check"
    # Nothing personal is sent: no cookies, no address.
    assert "secret" not in json.dumps(event)
    assert "ip_address" not in event.get("user", {})


def test_without_a_dsn_no_sentry_client_starts():
    assert logs.init_sentry("") is False
    assert not sentry_sdk.get_client().is_active()
