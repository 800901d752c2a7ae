"""The stack: gunicorn and a Celery worker on loopback, started and always stopped."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from .config import ROOT
from .database import SetupError


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


def collect_static(server_env: dict, log_path: Path) -> None:
    """Production serves hashed static names from a manifest: collect them first, as
    deploy/build.sh does."""
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    with open(log_path, "a") as log:
        log.write(f"\n$ {' '.join(command)}\n")
        log.flush()
        result = subprocess.run(
            command, cwd=ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT, timeout=300
        )
    if result.returncode:
        raise SetupError(f"collectstatic failed (exit {result.returncode}): see {log_path}")


def start_stack(args, stack: Stack, server_env: dict, logs: dict) -> tuple[str, dict]:
    """The Celery worker, and gunicorn as production starts it (deploy/web.sh, with the
    GUNICORN_* of ``server_env``)."""
    python = sys.executable
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    if args.settings == "production":
        print("collectstatic (production settings) ...", flush=True)
        collect_static(server_env, Path(logs["setup"]))
    print(f"Starting the Celery worker and gunicorn on {base} ...", flush=True)
    worker = [python, "-m", "celery", "-A", "escp_portal", "worker", "--pool=threads"]
    worker += ["--concurrency", str(args.celery_concurrency), "-l", "info"]
    worker += ["-n", f"load-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
    stack.start("celery worker", worker, server_env, Path(logs["celery"]))
    web_env = {**server_env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    if not args.access_log:
        web_env["GUNICORN_ACCESS_LOG"] = "off"
    stack.start("gunicorn", ["deploy/web.sh"], web_env, Path(logs["gunicorn"]))
    health = wait_healthy(base, stack, 90)
    print(f"Healthy: {json.dumps(health)}", flush=True)
    return base, health
