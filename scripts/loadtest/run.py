"""The run: arguments, the database and the stack, the users, the figures and the exit
status."""

import atexit
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import requests

from . import cpu
from .client import new_session
from .config import DEMO_EMAILS, SERVER_ENV, UNTHROTTLED, parse_args, server_environment
from .database import SetupError, prepare, redact, service_identities
from .figures import exception_summary, print_report, scan_log, summarise
from .scenarios import VirtualUser
from .stack import Stack, start_stack


class Interrupted(Exception):
    pass


def verify_writes(
    base: str, password: str, plan: dict, run_id: str, timeout: float, behind_proxy: bool
) -> int:
    """Read the KPI values back as the demo officer: how many carry this run's note."""
    session = new_session(base, behind_proxy)
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


def server_env_of(args) -> dict:
    return args.server_env_resolved


def sample_cpu(roots: dict, users: list, times: dict, stop: threading.Event) -> None:
    """CPU readings (``cpu.snapshot``) at the start of the steady part (every user logged in,
    as in the figures) and at its planned end, into ``times["cpu"]``."""
    end_at = times["end_at"]
    while not stop.is_set() and time.monotonic() < end_at - 5:
        if time.monotonic() >= times["steady_from"] and all(u.ready_at for u in users):
            break
        stop.wait(0.25)
    if stop.is_set():
        return
    before = cpu.snapshot(roots)
    if stop.wait(max(0.0, end_at - time.monotonic())):
        return
    times["cpu"] = (before, cpu.snapshot(roots))


def run_users(
    args,
    plan: dict,
    base: str,
    stop: threading.Event,
    run_id: str,
    times: dict,
    roots: dict | None = None,
):
    """Starts the users and waits for them; ``times`` gets the users and the times of the load
    as they come (an interrupted run still has its figures), and the CPU readings of the
    steady part (``roots``: the server processes' ids, see ``cpu.snapshot``)."""
    config = {
        "base": base,
        "password": args.password,
        "request_timeout": args.request_timeout,
        "think_time": args.think_time,
        "seed": args.seed,
        "idle_limit": max(0.5, int(server_env_of(args)["GUNICORN_KEEPALIVE"]) - 1.5),
        "behind_proxy": args.settings == "production",
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
    sampler = threading.Thread(
        target=sample_cpu, args=(roots or {}, users, times, stop), name="cpu", daemon=True
    )
    sampler.start()
    join_deadline = end_at + args.request_timeout * 3 + 10
    for user in users:
        while user.is_alive() and time.monotonic() < join_deadline:
            user.join(timeout=0.5)
    times["ended"] = time.monotonic()
    # The last reading is taken at the planned end: wait for it, however soon the users ended.
    sampler.join(timeout=max(0.0, end_at - time.monotonic()) + 5)
    ready = [u.ready_at for u in users if u.ready_at is not None]
    times["steady_from"] = max([times["steady_from"], *ready])
    stuck = [u.name for u in users if u.is_alive()]
    if stuck:
        print(f"Users still running at the deadline: {', '.join(stuck)}", file=sys.stderr)


def main(argv=None, description=None) -> int:
    args = parse_args(argv, description)
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

    server_env = args.server_env_resolved = server_environment(args)
    parameters = {
        "run_id": run_id,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": args.users,
        "duration_s": args.duration,
        "ramp_up_s": args.ramp_up,
        "think_time_s": args.think_time,
        "request_timeout_s": args.request_timeout,
        "hard_timeout_s": args.hard_timeout,
        "settings": server_env.get("DJANGO_SETTINGS_MODULE"),
        "gunicorn_workers": int(server_env["GUNICORN_WORKERS"]),
        "gunicorn_threads": int(server_env["GUNICORN_THREADS"]),
        "gunicorn_keep_alive_s": int(server_env["GUNICORN_KEEPALIVE"]),
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
        roots = {
            "web" if name == "gunicorn" else "worker": process.pid
            for name, process, _log in stack.processes
        }
        run_users(args, plan, base, stop, run_id, times, roots)
        status = "done"
        stop.set()
        if not timed_out.is_set():
            try:
                writes["measurements_with_run_note"] = verify_writes(
                    base,
                    args.password,
                    plan,
                    run_id,
                    args.request_timeout,
                    args.settings == "production",
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


def steady_requests(users: list, readings: tuple) -> int:
    """Requests the server answered between the two CPU readings."""
    start, end = readings[0]["at"], readings[1]["at"]
    return sum(
        1
        for user in users
        for _name, t_end, _ms, outcome in user.recorder.samples
        if outcome not in ("client", "missing") and start <= t_end <= end
    )


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
        readings = times.get("cpu")
        figures.update(
            cpu=readings
            and cpu.usage(
                *readings,
                requests=steady_requests(times["users"], readings),
                cpus=parameters["cpus"] or 1,
            ),
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
