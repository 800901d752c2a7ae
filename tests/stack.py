"""Real processes for the fault tests: a private Redis the test may stop and start, a web
server (gunicorn), a Celery worker and beat, all on the test database."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A subprocess with its output in test-artifacts/<name>.log."""

    def __init__(self, name: str, command: list[str], env: dict | None = None):
        ARTIFACTS.mkdir(exist_ok=True)
        self.name = name
        self.command = command
        self.env = env
        self.log_path = ARTIFACTS / f"{name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_for(self, condition, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited before {what}: see {self.log_path}")
            if condition():
                return
            time.sleep(0.1)
        pytest.fail(f"{self.name}: no {what} within {timeout} s: see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self.log.close()


class RedisServer:
    """A Redis of the test's own, so that stopping it disturbs nothing else."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = Process(
            f"redis-{self.port}",
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        self.process.wait_for(self.answers, "answer to PING", timeout=20)

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process:
            self.process.stop()
            self.process = None


def django_env(database_url: str, redis_url: str, **extra) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "escp_portal.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **extra,
    }


def start_web(env: dict) -> tuple[Process, str]:
    port = free_port()
    web = Process(
        f"gunicorn-{port}",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "escp_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "60",
        ],
        env,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    web.wait_for(up, "answer on /accounts/login/")
    return web, base


def worker_command(node: str, queue: str | None = None) -> list[str]:
    """A solo-pool worker (one job at a time: a kill lands in a known job)."""
    command = [sys.executable, "-m", "celery", "-A", "escp_portal", "worker", "--pool=solo"]
    command += ["-l", "info", "-n", node, "--without-gossip", "--without-mingle"]
    return command + (["-Q", queue] if queue else [])


def start_worker(name: str, env: dict) -> Process:
    worker = Process(f"worker-{name}", worker_command(f"{name}-{os.getpid()}@localhost"), env)
    worker.wait_for(lambda: " ready." in worker.log_text(), "ready line")
    return worker


def start_beat(env: dict, schedule: Path) -> Process:
    return Process(
        "beat",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "escp_portal",
            "beat",
            "-l",
            "info",
            "--schedule",
            str(schedule),
        ],
        env,
    )
