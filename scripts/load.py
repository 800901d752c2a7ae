#!/usr/bin/env python
"""Load test: N virtual users against a real stack on this machine, then the figures.

    .venv/bin/python scripts/load.py [--users 50] [--duration 60] [--ramp-up SECONDS]
        [--think-time 1.0] [--workers 4] [--threads 4] [--json PATH]
        [--database-url postgres://...] [--redis-url redis://...]

What it does, on loopback only and bounded in time:

1. Prepares a PostgreSQL database (default ``escp_load`` on the local server, created when
   missing; ``--recreate-db`` starts from an empty one): ``migrate``, ``load_demo --password
   P``, then one account per virtual user with password P (the demo coordinator, cluster
   manager and officer, plus ``load-*@load.escp.test`` users with their role assignments:
   two coordinators, two cluster managers and one EC officer in every five users) and a plan
   of what each may see and write.
2. Starts gunicorn (``escp_portal.wsgi:application``) on a free loopback port and a Celery
   worker, both with ``DJANGO_SETTINGS_MODULE=escp_portal.settings.local`` and
   ``DJANGO_DEBUG=false``; waits until ``/health/`` reports the database, broker and worker.
   Their logs go to ``test-artifacts/load-*.log``. They are always stopped at the end (also on
   Ctrl-C, errors and the hard timeout).
3. Runs N threads, each a user with its own ``requests.Session`` (and a second one for its
   API client): logs in through the login form, gets an API token, then browses (home,
   directory with and without filters, a partnership, its scoreboard, members, missions
   calendar, statistics, KPI pages), calls the API (lists with filters) and writes (KPI values
   through the API and the report form for coordinators and responsible cluster managers,
   member edits through the form for cluster managers; officers only read), with a think
   time between steps. Each user starts with one pass over everything its role does, then
   picks at random. At the end each revokes its token and logs out; the KPI values written
   are read back, and the worker's log tells the scoreboard recomputes they caused.
4. Prints one line per page or endpoint (requests, server and connection errors, unexpected
   statuses, p50/p95/max), the totals and the parameters; ``--json`` writes the same figures.

The database and Redis of the environment (``DATABASE_URL``, ``REDIS_URL``) are deliberately
not used: a load test writes, so it takes ``--database-url`` / ``LOAD_DATABASE_URL`` and
``--redis-url`` / ``LOAD_REDIS_URL`` and otherwise its own database and Redis DB 5.
The server runs with its API and login throttles raised (``API_THROTTLE_*``,
``AXES_FAILURE_LIMIT``): the test measures the application, not its rate limits.

Exit status: 0 when no request met a server error (5xx) or a connection error, 1 otherwise,
2 when the stack could not be set up, 3 on the hard timeout, 130 when interrupted.
"""

import argparse
import atexit
import contextlib
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://escp:escp@127.0.0.1:5432/escp_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
DEFAULT_PASSWORD = "escp-demo-2026"
DEMO_EMAILS = {
    "coordinator": "coordinator@demo.escp.eu",
    "cluster_manager": "manager@demo.escp.eu",
    "ec_officer": "officer@demo.escp.eu",
}
# Two coordinators, two cluster managers and one officer in every five users.
ROLE_CYCLE = ["coordinator", "cluster_manager", "ec_officer", "coordinator", "cluster_manager"]
UNTHROTTLED = "1000000/hour"
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "escp_portal.settings.local",
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "API_THROTTLE_ANON": UNTHROTTLED,
    "API_THROTTLE_USER": UNTHROTTLED,
    "API_THROTTLE_TOKEN_ISSUE": UNTHROTTLED,
    "AXES_FAILURE_LIMIT": "1000000",
    "PYTHONUNBUFFERED": "1",
}


# --- the database side: accounts and the plan of each virtual user ---------------------------

SETUP_CODE = r"""
import json
import os

import django

django.setup()

from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from knox.models import AuthToken

from escp_portal.accounts.models import Role, RoleAssignment, User
from partnerships.models import ClusterMembership, Partner, Partnership, Programme
from strategy.models import KPI, PeriodLock, TargetMarket
from strategy.selectors import live_strategy_id

spec = json.loads(os.environ["LOAD_SPEC"])
today = timezone.localdate()
demo = spec["demo_emails"]
coordinator = User.objects.filter(email=demo["coordinator"]).first()
if coordinator is None:
    raise SystemExit("No demo users in this database: run load_demo first.")
strategy_partnerships = sorted(
    pk
    for pk in RoleAssignment.objects.filter(
        user=coordinator, role=Role.COORDINATOR
    ).values_list("partnership_id", flat=True)
    if live_strategy_id(pk)
)
if not strategy_partnerships:
    raise SystemExit("The demo coordinator has no partnership with a strategy: run load_demo.")
live = {pk: live_strategy_id(pk) for pk in strategy_partnerships}
locks = dict(
    PeriodLock.objects.values("partnership_id")
    .annotate(last=Max("period_end"))
    .values_list("partnership_id", "last")
)
kpis = list(
    KPI.objects.filter(objective__strategy_id__in=live.values())
    .select_related("objective__strategy", "responsible")
    .order_by("pk")
)
kpis_by_partnership = {pk: [] for pk in strategy_partnerships}
reportable = []
for kpi in kpis:
    pid = kpi.objective.strategy.partnership_id
    kpis_by_partnership[pid].append(kpi.pk)
    if kpi.source != "manual" or kpi.responsible is None:
        continue
    lock = locks.get(pid)
    periods = [p for p in kpi.periods(until=today) if lock is None or p > lock]
    if periods:
        reportable.append(
            {
                "kpi": kpi.pk,
                "partnership": pid,
                "partner": kpi.responsible_id,
                "cluster": kpi.responsible.cluster_id,
                "periods": [p.isoformat() for p in periods],
            }
        )
current = Partner.objects.filter(left_on__isnull=True)
clusters_of = {
    pid: sorted(set(current.filter(partnership_id=pid).values_list("cluster_id", flat=True)))
    for pid in strategy_partnerships
}
with_members = set(ClusterMembership.objects.values_list("cluster_id", flat=True))
responsible = [r["cluster"] for r in reportable]
others = sorted({c for cs in clusters_of.values() for c in cs} - set(responsible))
manager_clusters = [
    c for c in dict.fromkeys(responsible + others) if c in with_members
]
if not manager_clusters:
    raise SystemExit("No partner cluster with members: run load_demo.")

password = make_password(spec["password"])
wanted = []
counts = {"coordinator": 0, "cluster_manager": 0}
for index in range(spec["users"]):
    role = spec["roles"][index % len(spec["roles"])]
    if index < len(spec["roles"]) and demo.get(role) and index == spec["roles"].index(role):
        wanted.append((demo[role], role, None))
        continue
    scope = None
    if role == "coordinator":
        scope = strategy_partnerships[counts[role] % len(strategy_partnerships)]
        counts[role] += 1
    elif role == "cluster_manager":
        scope = manager_clusters[counts[role] % len(manager_clusters)]
        counts[role] += 1
    short = {"coordinator": "coord", "cluster_manager": "manager", "ec_officer": "officer"}[role]
    wanted.append((f"load-{short}-{index:03d}@{spec['domain']}", role, scope))

with transaction.atomic():
    users = {}
    for email, role, scope in wanted:
        # The demo users keep their own roles (load_demo gave them); only the password is set.
        is_demo = email in demo.values()
        defaults = {"password": password, "is_active": True}
        if not is_demo:
            defaults["full_name"] = f"Load {role.replace('_', ' ')} {email.split('@')[0]}"
        user, _created = User.objects.update_or_create(email=email, defaults=defaults)
        users[email] = user
        if is_demo:
            continue
        fields = {"role": role, "partnership_id": None, "cluster_id": None}
        if role == "coordinator":
            fields["partnership_id"] = scope
        elif role == "cluster_manager":
            fields["cluster_id"] = scope
        user.role_assignments.exclude(**fields).delete()
        RoleAssignment.objects.get_or_create(user=user, **fields)
    AuthToken.objects.filter(user__in=users.values()).delete()
    AccessAttempt.objects.filter(username__in=list(users)).delete()

accounts = []
for email, role, _scope in wanted:
    user = users[email]
    assignments = list(user.role_assignments.all())
    if role == "coordinator":
        mine = sorted(a.partnership_id for a in assignments if a.role == role)
        partnerships = [p for p in mine if p in live] or mine
        clusters = sorted(
            {c for p in partnerships for c in clusters_of.get(p, []) if c in with_members}
        )
        reports = [r for r in reportable if r["partnership"] in partnerships]
        members = []
    elif role == "cluster_manager":
        clusters = sorted(a.cluster_id for a in assignments if a.role == role)
        partnerships = sorted(
            set(
                current.filter(cluster_id__in=clusters)
                .exclude(partnership__status="draft")
                .values_list("partnership_id", flat=True)
            )
        )
        reports = [r for r in reportable if r["cluster"] in clusters]
        members = list(
            ClusterMembership.objects.filter(
                cluster_id__in=clusters, member__erased_at__isnull=True
            )
            .order_by("member_id")
            .values_list("member_id", flat=True)[:40]
        )
    else:
        partnerships = list(strategy_partnerships)
        clusters, reports, members = [], [], []
    accounts.append(
        {
            "email": email,
            "role": role,
            "partnerships": partnerships,
            "strategy_partnerships": [p for p in partnerships if p in live],
            "clusters": clusters,
            "reports": reports,
            "members": members,
        }
    )

visible = Partnership.objects.exclude(status="draft")
plan = {
    "accounts": accounts,
    "partnerships": sorted(visible.values_list("pk", flat=True)),
    "strategy_partnerships": strategy_partnerships,
    "kpis_by_partnership": kpis_by_partnership,
    "programmes": sorted(Programme.objects.values_list("code", flat=True)),
    "generations": sorted(set(visible.values_list("generation", flat=True))),
    "phases": sorted(set(visible.values_list("phase", flat=True))),
    "statuses": sorted(set(visible.values_list("status", flat=True))),
    "partner_countries": sorted(
        {str(c) for c in current.values_list("cluster__country", flat=True).distinct()}
    ),
    "target_countries": sorted(
        {str(c) for c in TargetMarket.objects.values_list("country", flat=True).distinct()}
    ),
}
print("LOADPLAN " + json.dumps(plan))
"""


class SetupError(Exception):
    pass


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def ensure_database(database_url: str, recreate: bool) -> str:
    """Create the PostgreSQL database when missing (drop it first with ``recreate``)."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SetupError(f"--database-url must be PostgreSQL, not {parts.scheme}")
    name = parts.path.lstrip("/")
    if not name:
        raise SetupError("--database-url names no database")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    try:
        connection = psycopg2.connect(admin, connect_timeout=10)
    except psycopg2.Error as exc:
        raise SetupError(f"cannot reach PostgreSQL at {redact(admin)}: {exc}".strip()) from exc
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            if recreate:
                force = sql.SQL(" WITH (FORCE)") if connection.server_version >= 130000 else None
                statement = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
                cursor.execute(statement + force if force else statement)
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return "existing"
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return "created"
    except psycopg2.Error as exc:
        raise SetupError(f"cannot create the database {name}: {exc}".strip()) from exc
    finally:
        connection.close()


def service_identities(database_url: str, redis_url: str) -> dict:
    """When PostgreSQL started and which Redis process answers: compared before and after the
    run, they tell whether something restarted a service under the load (a shared machine)."""
    import psycopg2
    import redis

    found = {"postgres_started_at": None, "redis_run_id": None}
    with contextlib.suppress(psycopg2.Error):
        connection = psycopg2.connect(
            urlunsplit(urlsplit(database_url)._replace(scheme="postgresql")), connect_timeout=5
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_postmaster_start_time()")
                found["postgres_started_at"] = cursor.fetchone()[0].isoformat()
        finally:
            connection.close()
    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
        found["redis_run_id"] = client.info("server").get("run_id")
    return found


def run_step(command: list[str], env: dict, log, timeout: float, what: str) -> str:
    log.write(f"\n$ {' '.join(command)}\n")
    log.flush()
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    log.write(result.stdout)
    log.write(result.stderr)
    log.flush()
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-15:]
        raise SetupError(f"{what} failed (exit {result.returncode}):\n  " + "\n  ".join(tail))
    return result.stdout


# --- the stack: gunicorn and a Celery worker ---------------------------------------------------


class Stack:
    """The server processes, each in its own session so that one signal ends it and its
    children; stop() is safe to call more than once and from any thread."""

    def __init__(self, artifacts: Path):
        self.artifacts = artifacts
        self.processes: list[tuple[str, subprocess.Popen, object]] = []
        self.lock = threading.RLock()

    def start(self, name: str, command: list[str], env: dict, log_path: Path):
        log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        with self.lock:
            self.processes.append((name, process, log))
        return process

    def check_alive(self) -> None:
        for name, process, log in self.processes:
            if process.poll() is not None:
                raise SetupError(f"{name} exited with {process.returncode}: see {log.name}")

    def stop(self) -> None:
        """TERM to every process group, KILL to what is left after 20 s. A process leaves the
        list only once it is gone, so a stop cut short by a second Ctrl-C is finished by the
        next call (the atexit one at the latest)."""
        with self.lock:
            for _name, process, _log in self.processes:
                if process.poll() is None:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(process.pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            for entry in list(self.processes):
                _name, process, log = entry
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(process.pid, signal.SIGKILL)
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        process.wait(timeout=5)
                # What the group still holds once its leader is gone (a gunicorn worker).
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                log.close()
                self.processes.remove(entry)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, stack: Stack, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        stack.check_alive()
        try:
            response = requests.get(f"{base}/health/", timeout=5)
            body = response.json()
            if response.status_code == 200 and body.get("status") == "ok":
                return body
            last = f"{response.status_code} {body}"
        except (requests.RequestException, ValueError) as exc:
            last = exc.__class__.__name__
        time.sleep(0.5)
    raise SetupError(f"/health/ did not report ok within {timeout:.0f} s (last: {last})")


# --- measuring ---------------------------------------------------------------------------------


class Recorder:
    """One per virtual user (no lock needed); merged at the end."""

    def __init__(self):
        self.samples: list[tuple[str, float, float, str]] = []  # name, t_end, ms, outcome
        self.failures: list[dict] = []
        self.writes_ok = 0

    def add(self, name, t_end, ms, outcome, detail=None):
        self.samples.append((name, t_end, ms, outcome))
        if outcome != "ok" and detail is not None and len(self.failures) < 50:
            self.failures.append({"name": name, "outcome": outcome, **detail})


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


class FormParser(HTMLParser):
    """The forms of a page: action, method and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form["fields"].append([a["name"], a.get("value", default)])
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._select["options"] if selected]
            if not chosen and not self._select["multiple"] and self._select["options"]:
                chosen = [self._select["options"][0][0]]
            for value in chosen:
                self._form["fields"].append([self._select["name"], value])
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            value = self._textarea[1]
            self._form["fields"].append([self._textarea[0], value.removeprefix("\n")])
            self._textarea = None


def find_form(html: str, *, action_contains: str = "", field: str = "") -> dict | None:
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] != "post":
            continue
        names = {name for name, _value in form["fields"]}
        if action_contains and action_contains not in form["action"]:
            continue
        if field and field not in names:
            continue
        return form
    return None


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- the virtual users -------------------------------------------------------------------------

SEARCH_WORDS = ["cluster", "smart", "digital", "food", "health", "mobility", "energy", "textile"]


class VirtualUser(threading.Thread):
    def __init__(self, index, account, plan, config, start_at, end_at, stop, run_id):
        super().__init__(name=f"vu-{index}", daemon=True)
        self.index = index
        self.account = account
        self.role = account["role"]
        self.plan = plan
        self.config = config
        self.base = config["base"]
        self.start_at = start_at
        self.end_at = end_at
        self.stop = stop
        self.run_id = run_id
        self.rng = random.Random(f"{config['seed']}-{index}")
        self.recorder = Recorder()
        self.browser = requests.Session()
        self.api = requests.Session()
        self.browser.headers["User-Agent"] = "escp-load/1 (browser)"
        self.api.headers["User-Agent"] = "escp-load/1 (api)"
        self.last_used: dict[int, float] = {}
        self.ready_at = None  # logged in and holding a token
        self.logged_in = False
        self.token = None
        self.writes = 0

    # one request, measured
    def call(self, session, name, method, path, expected=(200,), **kwargs):
        # A connection idle for nearly the server's keep-alive timeout is dropped rather than
        # reused: reusing it races the server closing it, and the request meets a reset
        # (browsers retry those silently; counting them would measure the client's timing).
        now = time.monotonic()
        if now - self.last_used.get(id(session), now) > self.config["idle_limit"]:
            session.close()
        started = time.perf_counter()
        try:
            response = session.request(
                method,
                self.base + path,
                timeout=self.config["request_timeout"],
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as exc:
            ms = (time.perf_counter() - started) * 1000
            detail = {"method": method, "path": path, "error": repr(exc)[:300]}
            self.recorder.add(name, time.monotonic(), ms, "conn", detail)
            self.last_used[id(session)] = time.monotonic()
            return None
        self.last_used[id(session)] = time.monotonic()
        ms = (time.perf_counter() - started) * 1000
        status = response.status_code
        if status in expected:
            outcome = "ok"
        elif status >= 500:
            outcome = "5xx"
        else:
            outcome = "unexpected"
        detail = None
        if outcome != "ok":
            detail = {
                "method": method,
                "path": path,
                "status": status,
                "location": response.headers.get("Location", ""),
                "body": response.text[:300],
            }
        self.recorder.add(name, time.monotonic(), ms, outcome, detail)
        return response

    def pick(self, values):
        return self.rng.choice(values) if values else None

    def partnership(self):
        return self.pick(self.account["partnerships"]) or self.pick(self.plan["partnerships"])

    def strategy_partnership(self):
        return self.pick(self.account["strategy_partnerships"]) or self.pick(
            self.plan["strategy_partnerships"]
        )

    def directory_filters(self) -> dict:
        choices = {
            "programme": self.plan["programmes"],
            "generation": [str(g) for g in self.plan["generations"]],
            "phase": self.plan["phases"],
            "status": self.plan["statuses"],
            "country": self.plan["partner_countries"],
            "target_country": self.plan["target_countries"],
            "q": SEARCH_WORDS,
        }
        names = self.rng.sample(sorted(choices), self.rng.randint(1, 3))
        return {name: self.rng.choice(choices[name]) for name in names if choices[name]}

    # --- session ---
    def login(self) -> bool:
        page = self.call(self.browser, "login_page", "GET", "/accounts/login/")
        if page is None or page.status_code != 200:
            return False
        match = CSRF_INPUT.search(page.text)
        data = {
            "csrfmiddlewaretoken": match.group(1) if match else "",
            "username": self.account["email"],
            "password": self.config["password"],
            "next": "",
        }
        response = self.call(self.browser, "login", "POST", "/accounts/login/", (302,), data=data)
        return response is not None and response.status_code == 302

    def get_token(self) -> bool:
        body = {"email": self.account["email"], "password": self.config["password"]}
        response = self.call(
            self.api, "api_token", "POST", "/api/v1/auth/token/", (201,), json=body
        )
        if response is None or response.status_code != 201:
            return False
        self.token = response.json()["token"]
        self.api.headers["Authorization"] = f"Token {self.token}"
        return True

    def finish(self):
        if self.token:
            self.call(self.api, "api_token_revoke", "DELETE", "/api/v1/auth/token/", (204,))
        if self.logged_in:
            data = {"csrfmiddlewaretoken": self.browser.cookies.get("csrftoken", "")}
            self.call(self.browser, "logout", "POST", "/accounts/logout/", (302,), data=data)

    # --- pages ---
    def home(self):
        self.call(self.browser, "home", "GET", "/")

    def partnership_list(self):
        params = {"page": self.rng.choice(["1", "2", "3"])} if self.rng.random() < 0.4 else {}
        self.call(self.browser, "partnership_list", "GET", "/partnerships/", params=params)

    def partnership_list_filtered(self):
        params = self.directory_filters()
        self.call(self.browser, "partnership_list_filtered", "GET", "/partnerships/", params=params)

    def partnership_detail(self):
        pk = self.partnership() if self.rng.random() < 0.5 else self.pick(self.plan["partnerships"])
        self.call(self.browser, "partnership_detail", "GET", f"/partnerships/{pk}/")

    def scoreboard(self):
        if self.role == "ec_officer" and self.rng.random() < 0.5:
            pk = self.pick(self.plan["partnerships"])
        else:
            pk = (
                self.strategy_partnership()
                if self.role != "cluster_manager"
                else self.partnership()
            )
        self.call(self.browser, "scoreboard", "GET", f"/partnerships/{pk}/scoreboard/")

    def member_list(self):
        cluster = self.pick(self.account["clusters"])
        params = self.rng.choice(
            [{}, {"sme": "true"}, {"sme": "false"}, {"q": "a"}, {"kind": "enterprise"}, {"page": 2}]
        )
        path = f"/clusters/{cluster}/members/"
        self.call(self.browser, "member_list", "GET", path, params=params)

    def missions_calendar(self):
        params = self.rng.choice(
            [
                {},
                {"view": "list"},
                {"month": "2019-05"},
                {"view": "list", "partnership": str(self.strategy_partnership())},
            ]
        )
        self.call(self.browser, "missions_calendar", "GET", "/missions/", params=params)

    def statistics(self):
        params = self.rng.choice(
            [{}, {"programme": self.pick(self.plan["programmes"])}, {"generation": "2"}]
        )
        self.call(self.browser, "statistics", "GET", "/statistics/", params=params)

    def kpi_detail(self, kpi=None):
        if kpi is None:
            kpi = self.pick(self.plan["kpis_by_partnership"][str(self.strategy_partnership())])
        return self.call(self.browser, "kpi_detail", "GET", f"/kpis/{kpi}/")

    # --- API reads ---
    def api_partnerships(self):
        params = self.directory_filters()
        self.call(self.api, "api_partnerships", "GET", "/api/v1/partnerships/", params=params)

    def api_kpis(self):
        params = {"partnership": self.strategy_partnership()}
        self.call(self.api, "api_kpis", "GET", "/api/v1/kpis/", params=params)

    def api_measurements(self):
        params = {"partnership": self.strategy_partnership()}
        params.update(self.rng.choice([{}, {"status": "submitted"}, {"period_from": "2019-01-01"}]))
        self.call(self.api, "api_measurements", "GET", "/api/v1/measurements/", params=params)

    def api_missions(self):
        params = {"partnership": self.strategy_partnership()}
        self.call(self.api, "api_missions", "GET", "/api/v1/missions/", params=params)

    def api_members(self):
        params = {"cluster": self.pick(self.account["clusters"])}
        params.update(self.rng.choice([{}, {"sme": "true"}, {"size": "small"}]))
        self.call(self.api, "api_members", "GET", "/api/v1/members/", params=params)

    def api_scoreboard(self):
        pk = self.strategy_partnership() if self.role != "cluster_manager" else self.partnership()
        self.call(self.api, "api_scoreboard", "GET", f"/api/v1/scoreboards/{pk}/")

    def api_statistics(self):
        params = {"programme": self.pick(self.plan["programmes"])}
        self.call(self.api, "api_statistics", "GET", "/api/v1/statistics/", params=params)

    # --- writes ---
    def note(self) -> str:
        self.writes += 1
        return f"load {self.run_id} vu{self.index} #{self.writes}"

    def report_api(self):
        report = self.pick(self.account["reports"])
        body = {
            "kpi": report["kpi"],
            "partner": report["partner"],
            "period_end": self.rng.choice(report["periods"]),
            "value": f"{self.rng.randint(1, 60)}.00",
            "note": self.note(),
            "reason": "Load test correction",
        }
        response = self.call(
            self.api, "api_measurement_report", "POST", "/api/v1/measurements/", (201,), json=body
        )
        if response is not None and response.status_code == 201:
            self.recorder.writes_ok += 1

    def report_form(self):
        report = self.pick(self.account["reports"])
        page = self.kpi_detail(report["kpi"])
        if page is None or page.status_code != 200:
            return
        form = find_form(page.text, action_contains="/report/")
        if form is None:
            self.recorder.add(
                "kpi_report_form",
                time.monotonic(),
                0.0,
                "missing",
                {"method": "GET", "path": f"/kpis/{report['kpi']}/", "error": "no report form"},
            )
            return
        data = dict(form["fields"])
        periods = [p for p in report["periods"] if p]
        data.update(
            period_end=self.rng.choice(periods),
            value=str(self.rng.randint(1, 60)),
            note=self.note(),
            reason="Load test correction",
        )
        self.think(short=True)
        response = self.call(
            self.browser, "kpi_report_form", "POST", form["action"], (302,), data=data
        )
        if response is not None and response.status_code == 302:
            self.recorder.writes_ok += 1

    def member_edit(self):
        member = self.pick(self.account["members"])
        path = f"/members/{member}/edit/"
        page = self.call(self.browser, "member_edit_page", "GET", path)
        if page is None or page.status_code != 200:
            return
        form = find_form(page.text, field="contact_phone")
        if form is None:
            detail = {"method": "GET", "path": path, "error": "no member form"}
            self.recorder.add("member_edit_form", time.monotonic(), 0.0, "missing", detail)
            return
        fields = [f for f in form["fields"] if f[0] != "contact_phone"]
        fields.append(["contact_phone", f"+32 2 555 {self.rng.randint(0, 9999):04d}"])
        self.think(short=True)
        response = self.call(
            self.browser, "member_edit_form", "POST", form["action"] or path, (302,), data=fields
        )
        if response is not None and response.status_code == 302:
            self.recorder.writes_ok += 1

    def actions(self) -> list[tuple[str, int]]:
        actions = [
            ("home", 2),
            ("partnership_list", 2),
            ("partnership_list_filtered", 3),
            ("partnership_detail", 3),
            ("scoreboard", 2),
            ("missions_calendar", 2),
            ("kpi_detail", 2),
            ("api_partnerships", 2),
            ("api_kpis", 1),
            ("api_measurements", 2),
            ("api_missions", 1),
            ("api_scoreboard", 1),
        ]
        if self.role == "ec_officer":
            actions += [("statistics", 3), ("api_statistics", 1)]
        else:
            actions += [("member_list", 3), ("api_members", 1)]
        if self.account["reports"]:
            actions += [("report_api", 3), ("report_form", 2)]
        if self.account["members"]:
            actions += [("member_edit", 2)]
        return actions

    def think(self, short=False):
        pause = self.config["think_time"] * self.rng.uniform(0.5, 1.5) * (0.5 if short else 1)
        pause = min(pause, max(0.0, self.end_at - time.monotonic()))
        if pause > 0:
            self.stop.wait(pause)

    def running(self) -> bool:
        return not self.stop.is_set() and time.monotonic() < self.end_at

    def run(self):
        try:
            self._run()
        except Exception as exc:  # a bug in this script must not pass for a server failure
            self.recorder.add(
                "client_error",
                time.monotonic(),
                0.0,
                "client",
                {"error": f"{exc.__class__.__name__}: {exc}"[:300]},
            )

    def _run(self):
        delay = self.start_at - time.monotonic()
        if delay > 0 and self.stop.wait(delay):
            return
        for _attempt in range(3):
            if not self.running():
                return
            self.logged_in = self.login()
            if self.logged_in:
                break
            self.stop.wait(1)
        for _attempt in range(3):
            if not self.running() or self.get_token():
                break
            self.stop.wait(1)
        self.ready_at = time.monotonic()
        actions = self.actions()
        tour = [name for name, _weight in actions]
        self.rng.shuffle(tour)
        names = [name for name, _weight in actions]
        weights = [weight for _name, weight in actions]
        while self.running():
            name = tour.pop() if tour else self.rng.choices(names, weights)[0]
            getattr(self, name)()
            self.think()
        if not self.stop.is_set():
            self.finish()


# --- the run -----------------------------------------------------------------------------------


def summarise(users: list[VirtualUser], times: dict) -> dict:
    """Per page and in total; "steady" is the part of the run when every user was logged in
    (after the ramp-up and the last login) until the planned end (before the logouts)."""
    load_started, load_ended = times["started"], times.get("ended") or time.monotonic()
    steady_to = min(times["end_at"], load_ended)
    steady_from = min(times["steady_from"], steady_to)
    by_name: dict[str, list] = defaultdict(list)
    failures = []
    writes_ok = 0
    for user in users:
        for sample in user.recorder.samples:
            by_name[sample[0]].append(sample)
        failures.extend(user.recorder.failures)
        writes_ok += user.recorder.writes_ok
    pages = {}
    totals = {"requests": 0, "server_errors": 0, "connection_errors": 0, "unexpected": 0}
    all_ms = []
    all_steady = []
    for name in sorted(by_name):
        samples = by_name[name]
        # "missing": a page without the form it should have (no request was made for it).
        made = [s for s in samples if s[3] not in ("client", "missing")]
        ms = sorted(s[2] for s in made)
        steady_ms = sorted(s[2] for s in made if steady_from <= s[1] <= steady_to)
        row = {
            "requests": len(made),
            "server_errors": sum(1 for s in samples if s[3] == "5xx"),
            "connection_errors": sum(1 for s in samples if s[3] == "conn"),
            "unexpected": sum(1 for s in samples if s[3] in ("unexpected", "missing")),
            "client_errors": sum(1 for s in samples if s[3] == "client"),
            "p50_ms": round(percentile(ms, 0.50), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "max_ms": round(ms[-1], 1) if ms else 0.0,
            "steady_requests": len(steady_ms),
            "steady_p50_ms": round(percentile(steady_ms, 0.50), 1),
            "steady_p95_ms": round(percentile(steady_ms, 0.95), 1),
        }
        pages[name] = row
        for key in totals:
            totals[key] += row[key]
        all_ms.extend(ms)
        all_steady.extend(steady_ms)
    all_ms.sort()
    all_steady.sort()
    duration = max(0.001, load_ended - load_started)
    timeline = []
    step = 10 if duration >= 40 else max(1, math.ceil(duration / 6))
    buckets: dict[int, list] = defaultdict(list)
    for name_samples in by_name.values():
        for _name, t_end, ms, outcome in name_samples:
            if outcome not in ("client", "missing"):
                buckets[int((t_end - load_started) // step)].append((ms, outcome))
    for bucket in sorted(buckets):
        rows = buckets[bucket]
        ms = sorted(r[0] for r in rows)
        timeline.append(
            {
                "from_s": bucket * step,
                "to_s": (bucket + 1) * step,
                "requests": len(rows),
                "rps": round(len(rows) / step, 1),
                "errors": sum(1 for r in rows if r[1] in ("5xx", "conn")),
                "p50_ms": round(percentile(ms, 0.50), 1),
                "p95_ms": round(percentile(ms, 0.95), 1),
            }
        )
    steady_duration = max(0.001, steady_to - steady_from)
    totals.update(
        errors=totals["server_errors"] + totals["connection_errors"],
        client_errors=sum(row["client_errors"] for row in pages.values()),
        duration_s=round(duration, 1),
        throughput_rps=round(totals["requests"] / duration, 1),
        steady_from_s=round(steady_from - load_started, 1),
        steady_to_s=round(steady_to - load_started, 1),
        steady_requests=len(all_steady),
        steady_throughput_rps=round(len(all_steady) / steady_duration, 1),
        steady_p50_ms=round(percentile(all_steady, 0.50), 1),
        steady_p95_ms=round(percentile(all_steady, 0.95), 1),
        p50_ms=round(percentile(all_ms, 0.50), 1),
        p95_ms=round(percentile(all_ms, 0.95), 1),
        max_ms=round(all_ms[-1], 1) if all_ms else 0.0,
        writes_ok=writes_ok,
    )
    return {"pages": pages, "totals": totals, "timeline": timeline, "failures": failures[:30]}


def print_report(figures: dict) -> None:
    p = figures["parameters"]
    t = figures["totals"]
    print()
    print(
        f"ESCP Portal load test: {p['users']} users for {p['duration_s']} s after a "
        f"{p['ramp_up_s']} s ramp-up, think time {p['think_time_s']} s, run {p['run_id']}"
    )
    print(
        f"Stack: gunicorn {p['gunicorn_workers']} workers x {p['gunicorn_threads']} threads, "
        f"Celery worker ({p['celery_pool']} pool x {p['celery_concurrency']}), "
        f"PostgreSQL {p['database']}, Redis {p['redis']}, {p['cpus']} CPUs shared with this "
        f"client"
    )
    print(f"Roles: {p['roles']}")
    print(f"Throttling: {p['throttling']}")
    print()
    header = (
        f"{'page / endpoint':<28}{'requests':>9}{'5xx':>6}{'conn':>6}{'unexp':>7}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}   {'steady p50/p95 ms':>17}"
    )
    print(header)
    print("-" * len(header))
    rows = [*figures["pages"].items(), ("TOTAL", t)]
    for name, row in rows:
        if name == "TOTAL":
            print("-" * len(header))
        steady = (
            f"{row['steady_p50_ms']:.0f}/{row['steady_p95_ms']:.0f}"
            if row["steady_requests"]
            else "-"
        )
        print(
            f"{name:<28}{row['requests']:>9}{row['server_errors']:>6}"
            f"{row['connection_errors']:>6}{row['unexpected']:>7}{row['p50_ms']:>9.0f}"
            f"{row['p95_ms']:>9.0f}{row['max_ms']:>9.0f}   {steady:>17}"
        )
    print()
    print(
        f"Requests {t['requests']} in {t['duration_s']} s: {t['throughput_rps']} req/s. "
        f"Steady state (every user logged in, {t['steady_from_s']}-{t['steady_to_s']} s): "
        f"{t['steady_requests']} requests, {t['steady_throughput_rps']} req/s. "
        f"Errors (5xx + connection): {t['errors']}. Unexpected statuses (4xx/3xx): "
        f"{t['unexpected']}."
    )
    print(
        "Over time (s: req/s, p50/p95 ms): "
        + "; ".join(
            f"{b['from_s']}-{b['to_s']}: {b['rps']}, {b['p50_ms']:.0f}/{b['p95_ms']:.0f}"
            + (f", {b['errors']} errors" if b["errors"] else "")
            for b in figures["timeline"]
        )
    )
    w = figures["writes"]
    print(
        f"Writes accepted: {w['accepted']} (KPI values through the API and the report form, "
        f"member edits); KPI values carrying this run's note afterwards: "
        f"{w['measurements_with_run_note']}; scoreboard recomputes run by the worker: "
        f"{w['worker_tasks_succeeded']} (failed: {w['worker_tasks_failed']})."
    )
    if t.get("client_errors"):
        print(f"Errors inside this script (not the server): {t['client_errors']}")
    if figures["failures"]:
        print("\nFirst failures:")
        for failure in figures["failures"][:10]:
            print("  " + json.dumps(failure)[:400])
    server = figures.get("server_log", {})
    if server.get("tracebacks") or server.get("exceptions"):
        print(f"\nThe server logged {server['tracebacks']} traceback(s): see {server['path']}")
        for row in server.get("exceptions", []):
            print(f"  {row['count']:>4} x {row['exception']}")
    for warning in figures.get("warnings", []):
        print(f"\nWARNING: {warning}")
    print(f"Logs: {', '.join(figures['logs'].values())}")
    print(
        "Legend: 5xx = server errors, conn = connection errors and timeouts (both fail the run); "
        "unexp = a status other than the expected one below 500 (e.g. 403, 404, a redirect to "
        "the login page, a form re-shown with errors) or a page without its form; times are "
        "measured by this client, response body included."
    )


def scan_log(path: Path, patterns: dict[str, str]) -> dict:
    counts = dict.fromkeys(patterns, 0)
    if not path.exists():
        return counts
    text = path.read_text(errors="replace")
    for key, pattern in patterns.items():
        counts[key] = len(re.findall(pattern, text))
    return counts


def exception_summary(path: Path, limit: int = 5) -> list[dict]:
    """The exceptions the server logged, most frequent first (the last line of a traceback)."""
    if not path.exists():
        return []
    pattern = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception)): (.*)$", re.MULTILINE)
    counts: dict[str, int] = defaultdict(int)
    for kind, message in pattern.findall(path.read_text(errors="replace")):
        counts[f"{kind}: {message.strip()[:200]}"] += 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])[:limit]
    return [{"exception": text, "count": count} for text, count in ranked]


def verify_writes(base: str, password: str, plan: dict, run_id: str, timeout: float) -> int:
    """Read the KPI values back as the demo officer: how many carry this run's note."""
    session = requests.Session()
    response = session.post(
        f"{base}/api/v1/auth/token/",
        json={"email": DEMO_EMAILS["ec_officer"], "password": password},
        timeout=timeout,
    )
    if response.status_code != 201:
        return 0
    session.headers["Authorization"] = f"Token {response.json()['token']}"
    found = 0
    try:
        for pk in plan["strategy_partnerships"]:
            url = f"{base}/api/v1/measurements/?partnership={pk}&period_from=2000-01-01"
            while url:
                page = session.get(url, timeout=timeout).json()
                found += sum(1 for m in page.get("results", []) if run_id in (m["note"] or ""))
                url = page.get("next")
    finally:
        session.delete(f"{base}/api/v1/auth/token/", timeout=timeout)
    return found


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50, help="virtual users (default 50)")
    parser.add_argument(
        "--duration", type=float, default=60, help="seconds of load after the ramp-up (60)"
    )
    parser.add_argument(
        "--ramp-up",
        type=float,
        default=None,
        help="seconds over which the users start (default: 0.2 s per user, at most 10)",
    )
    parser.add_argument(
        "--think-time",
        type=float,
        default=1.0,
        help="mean pause of a user between two steps, in seconds (1.0; 0 for none)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (4)")
    parser.add_argument(
        "--celery-concurrency", type=int, default=4, help="Celery worker threads (4)"
    )
    parser.add_argument(
        "--keep-alive", type=int, default=5, help="gunicorn's keep-alive timeout in seconds (5)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"PostgreSQL database, created when missing (LOAD_DATABASE_URL; "
        f"default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS_URL),
        help=f"Redis for the broker and the cache (LOAD_REDIS_URL; default {DEFAULT_REDIS_URL})",
    )
    parser.add_argument(
        "--password", default=DEFAULT_PASSWORD, help="password of every load-test account"
    )
    parser.add_argument(
        "--recreate-db", action="store_true", help="drop and create the database first"
    )
    parser.add_argument(
        "--skip-setup",
        action="store_true",
        help="skip migrate and load_demo (the accounts are still prepared)",
    )
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    parser.add_argument(
        "--request-timeout", type=float, default=30, help="timeout of every request (30 s)"
    )
    parser.add_argument(
        "--hard-timeout",
        type=float,
        default=0,
        help="stop everything after this many seconds (default: 300 + ramp-up + duration)",
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for gunicorn and the worker (e.g. DJANGO_CONN_MAX_AGE=60)",
    )
    parser.add_argument("--access-log", action="store_true", help="write gunicorn's access log")
    parser.add_argument(
        "--artifacts",
        type=Path,
        default=ROOT / "test-artifacts",
        help="directory of the logs (test-artifacts/)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the users")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.ramp_up is None:
        args.ramp_up = min(10.0, 0.2 * args.users)
    if args.users < 1 or args.duration <= 0 or args.ramp_up < 0 or args.think_time < 0:
        parser.error("--users must be >= 1, --duration > 0, --ramp-up and --think-time >= 0")
    if not args.hard_timeout:
        args.hard_timeout = 300 + args.ramp_up + args.duration
    return args


class Interrupted(Exception):
    pass


def server_environment(args) -> dict:
    extra = dict(item.split("=", 1) for item in args.server_env)
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    return {
        **inherited,
        **SERVER_ENV,
        **extra,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
    }


def prepare(args, server_env: dict, setup_log_path: str) -> dict:
    """The database, the demo, the accounts; answers the plan of the users."""
    python = sys.executable
    # Tasks run in-process here (no REDIS_URL): the demo's scoreboards are ready at once.
    setup_env = {k: v for k, v in server_env.items() if k != "REDIS_URL"}
    with open(setup_log_path, "w") as log:
        state = ensure_database(args.database_url, args.recreate_db)
        print(f"Database {redact(args.database_url)}: {state}", flush=True)
        if not args.skip_setup:
            print("migrate, load_demo ...", flush=True)
            migrate = [python, "manage.py", "migrate", "--noinput"]
            run_step(migrate, setup_env, log, 600, "migrate")
            demo = [python, "manage.py", "load_demo", "--password", args.password]
            run_step(demo, setup_env, log, 600, "load_demo")
        spec = {
            "users": args.users,
            "password": args.password,
            "roles": ROLE_CYCLE,
            "demo_emails": DEMO_EMAILS,
            "domain": "load.escp.test",
        }
        output = run_step(
            [python, "-c", SETUP_CODE],
            {**setup_env, "LOAD_SPEC": json.dumps(spec)},
            log,
            300,
            "preparing the accounts",
        )
    line = next((x for x in output.splitlines() if x.startswith("LOADPLAN ")), None)
    if line is None:
        raise SetupError(f"preparing the accounts printed no plan: see {setup_log_path}")
    return json.loads(line.removeprefix("LOADPLAN "))


def start_stack(args, stack: Stack, server_env: dict, logs: dict) -> tuple[str, dict]:
    python = sys.executable
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"Starting the Celery worker and gunicorn on {base} ...", flush=True)
    worker = [python, "-m", "celery", "-A", "escp_portal", "worker", "--pool=threads"]
    worker += ["--concurrency", str(args.celery_concurrency), "-l", "info"]
    worker += ["-n", f"load-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
    stack.start("celery worker", worker, server_env, Path(logs["celery"]))
    gunicorn = [python, "-m", "gunicorn", "escp_portal.wsgi:application"]
    gunicorn += ["--bind", f"127.0.0.1:{port}"]
    gunicorn += ["--workers", str(args.workers), "--threads", str(args.threads)]
    gunicorn += ["--timeout", "60", "--graceful-timeout", "10"]
    gunicorn += ["--keep-alive", str(args.keep_alive), "--no-control-socket"]
    gunicorn += ["--log-level", "info"]
    if args.access_log:
        gunicorn += ["--access-logfile", "-"]
    stack.start("gunicorn", gunicorn, server_env, Path(logs["gunicorn"]))
    health = wait_healthy(base, stack, 90)
    print(f"Healthy: {json.dumps(health)}", flush=True)
    return base, health


def run_users(args, plan: dict, base: str, stop: threading.Event, run_id: str, times: dict):
    """Starts the users and waits for them; ``times`` gets the users and the times of the load
    as they come (an interrupted run still has its figures)."""
    config = {
        "base": base,
        "password": args.password,
        "request_timeout": args.request_timeout,
        "think_time": args.think_time,
        "seed": args.seed,
        "idle_limit": max(0.5, args.keep_alive - 1.5),
    }
    times["started"] = time.monotonic()
    times["steady_from"] = times["started"] + args.ramp_up
    end_at = times["end_at"] = times["steady_from"] + args.duration
    users = [
        VirtualUser(
            index,
            account,
            plan,
            config,
            times["started"] + args.ramp_up * index / args.users,
            end_at,
            stop,
            run_id,
        )
        for index, account in enumerate(plan["accounts"])
    ]
    times["users"] = users
    print(
        f"{args.users} users: ramp-up {args.ramp_up:.0f} s, then {args.duration:.0f} s of load ...",
        flush=True,
    )
    for user in users:
        user.start()
    join_deadline = end_at + args.request_timeout * 3 + 10
    for user in users:
        while user.is_alive() and time.monotonic() < join_deadline:
            user.join(timeout=0.5)
    times["ended"] = time.monotonic()
    ready = [u.ready_at for u in users if u.ready_at is not None]
    times["steady_from"] = max([times["steady_from"], *ready])
    stuck = [u.name for u in users if u.is_alive()]
    if stuck:
        print(f"Users still running at the deadline: {', '.join(stuck)}", file=sys.stderr)


def main(argv=None) -> int:
    args = parse_args(argv)
    run_id = uuid.uuid4().hex[:8]
    args.artifacts.mkdir(parents=True, exist_ok=True)
    logs = {
        "setup": str(args.artifacts / "load-setup.log"),
        "gunicorn": str(args.artifacts / "load-gunicorn.log"),
        "celery": str(args.artifacts / "load-celery.log"),
    }
    stack = Stack(args.artifacts)
    atexit.register(stack.stop)
    stop = threading.Event()
    finished = threading.Event()
    timed_out = threading.Event()

    def on_hard_timeout():
        if finished.is_set():
            return
        timed_out.set()
        print(
            f"\nHard timeout of {args.hard_timeout:.0f} s reached: stopping everything.",
            file=sys.stderr,
            flush=True,
        )
        stop.set()
        stack.stop()
        os._exit(3)

    watchdog = threading.Timer(args.hard_timeout, on_hard_timeout)
    watchdog.daemon = True
    watchdog.start()

    def on_sigterm(signum, frame):
        raise Interrupted

    signal.signal(signal.SIGTERM, on_sigterm)

    server_env = server_environment(args)
    parameters = {
        "run_id": run_id,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": args.users,
        "duration_s": args.duration,
        "ramp_up_s": args.ramp_up,
        "think_time_s": args.think_time,
        "request_timeout_s": args.request_timeout,
        "hard_timeout_s": args.hard_timeout,
        "gunicorn_workers": args.workers,
        "gunicorn_threads": args.threads,
        "gunicorn_keep_alive_s": args.keep_alive,
        "celery_pool": "threads",
        "celery_concurrency": args.celery_concurrency,
        "database": redact(args.database_url),
        "redis": args.redis_url,
        "seed": args.seed,
        "cpus": os.cpu_count(),
        "throttling": "raised for this run (API_THROTTLE_ANON/USER/TOKEN_ISSUE="
        f"{UNTHROTTLED}, AXES_FAILURE_LIMIT={SERVER_ENV['AXES_FAILURE_LIMIT']}): the figures "
        "measure the application, not its rate limits",
        "server_env": {k: server_env[k] for k in SERVER_ENV}
        | dict(item.split("=", 1) for item in args.server_env),
    }
    status = "setup"
    times: dict = {}
    services_before: dict = {}
    writes = {"accepted": 0, "measurements_with_run_note": 0}
    try:
        plan = prepare(args, server_env, logs["setup"])
        roles = defaultdict(int)
        for account in plan["accounts"]:
            roles[account["role"]] += 1
        parameters["roles"] = dict(roles)
        base, parameters["health"] = start_stack(args, stack, server_env, logs)
        services_before = service_identities(args.database_url, args.redis_url)
        parameters["base_url"] = base
        status = "running"
        run_users(args, plan, base, stop, run_id, times)
        status = "done"
        stop.set()
        if not timed_out.is_set():
            try:
                writes["measurements_with_run_note"] = verify_writes(
                    base, args.password, plan, run_id, args.request_timeout
                )
            except (requests.RequestException, ValueError, KeyError) as exc:
                print(f"Could not read the writes back: {exc!r}", file=sys.stderr)
            # Scoreboard recomputes are delayed a few seconds: give the worker the time.
            time.sleep(7)
    except (Interrupted, KeyboardInterrupt):
        status = "interrupted" if status != "done" else status
    except (SetupError, subprocess.TimeoutExpired, OSError, ValueError) as exc:
        print(f"\nSetup failed: {exc}", file=sys.stderr)
        status = "setup failed"
    finally:
        stop.set()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            stack.stop()
        finally:
            finished.set()
            watchdog.cancel()
    warnings = []
    if times.get("users"):
        after = service_identities(args.database_url, args.redis_url)
        for key, what in (("postgres_started_at", "PostgreSQL"), ("redis_run_id", "Redis")):
            if services_before.get(key) != after.get(key):
                warnings.append(
                    f"{what} was restarted or unreachable during the run ({key}: "
                    f"{services_before.get(key)} -> {after.get(key)}): errors at that time come "
                    "from the restart, not from the load"
                )
    return report(args, parameters, logs, status, times, writes, warnings)


def report(args, parameters, logs, status, times, writes, warnings) -> int:
    if not times.get("users"):
        exit_code = 130 if status == "interrupted" else 2
        figures = {"parameters": parameters, "status": status, "logs": logs}
        print(f"No load was run ({status}). Logs: {', '.join(logs.values())}", file=sys.stderr)
    else:
        figures = summarise(times["users"], times)
        worker = scan_log(
            Path(logs["celery"]),
            {
                "succeeded": r"Task evaluation\.tasks\.recompute_scoreboard\[[^\]]+\] succeeded",
                "failed": r"Task \S+\[[^\]]+\] (?:raised|failed)",
            },
        )
        writes.update(
            accepted=figures["totals"]["writes_ok"],
            worker_tasks_succeeded=worker["succeeded"],
            worker_tasks_failed=worker["failed"],
        )
        server = scan_log(
            Path(logs["gunicorn"]),
            {"tracebacks": r"Traceback \(most recent call last\)", "timeouts": r"WORKER TIMEOUT"},
        )
        figures.update(
            parameters=parameters,
            writes=writes,
            logs=logs,
            server_log={
                "path": logs["gunicorn"],
                **server,
                "exceptions": exception_summary(Path(logs["gunicorn"])),
            },
            status=status,
            warnings=warnings,
        )
        print_report(figures)
        if status == "interrupted":
            exit_code = 130
        elif figures["totals"]["errors"] or server["timeouts"]:
            exit_code = 1
        else:
            exit_code = 0 if status == "done" else 2
    figures["exit_code"] = exit_code
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, default=str))
        print(f"Figures written to {args.json}")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
