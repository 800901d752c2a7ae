"""scripts/load.py starts gunicorn through deploy/web.sh and names the workers and threads it
ran with: its idea of the script's defaults must be the script's."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from loadtest.config import parse_args, server_environment, web_defaults  # noqa: E402


def test_the_load_test_names_the_defaults_of_deploy_web_sh():
    script = (ROOT / "deploy" / "web.sh").read_text()
    nproc = int(subprocess.run(["nproc"], capture_output=True, text=True).stdout)
    workers = re.search(r"workers_default=\$\(\( \$\(nproc\) \+ (\d+) \)\)", script)
    assert workers and nproc + int(workers.group(1)) == web_defaults()["GUNICORN_WORKERS"]
    assert '"${GUNICORN_WORKERS:-$workers_default}"' in script
    for name in ("GUNICORN_THREADS", "GUNICORN_KEEPALIVE"):
        found = re.search(r"\$\{" + name + r":-(\d+)\}", script)
        assert found and int(found.group(1)) == web_defaults()[name], name


def test_production_settings_by_default_and_the_command_line_wins():
    env = server_environment(parse_args(["--users", "3"]))
    assert env["DJANGO_SETTINGS_MODULE"] == "escp_portal.settings.production"
    assert env["DJANGO_TRUSTED_PROXIES"] == "127.0.0.1"
    assert env["GUNICORN_THREADS"] == "1"
    env = server_environment(parse_args(["--settings", "local", "--workers", "5"]))
    assert env["DJANGO_SETTINGS_MODULE"] == "escp_portal.settings.local"
    assert env["GUNICORN_WORKERS"] == "5"


def _proc(tmp_path, processes, busy=(100, 0, 50, 1000, 7, 3, 2, 0)):
    """A /proc of ``processes`` (pid, parent, name, utime, stime, cutime, cstime)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "stat").write_text("cpu  " + " ".join(map(str, busy)) + " 0 0\ncpu0 ...\n")
    for pid, parent, name, *ticks in processes:
        folder = tmp_path / str(pid)
        folder.mkdir(exist_ok=True)
        rest = ["S", str(parent), *["0"] * 9, *map(str, ticks), "20", "0"]
        (folder / "stat").write_text(f"{pid} ({name}) {' '.join(rest)}\n")
    (tmp_path / "self").mkdir(exist_ok=True)  # not a process folder
    return tmp_path


def test_the_load_test_tells_the_cpu_of_each_part_per_request(tmp_path, monkeypatch):
    """The CPU of the steady part, split into web (gunicorn's master and workers), worker,
    PostgreSQL (the backends that ended count in the postmaster's reaped children), Redis and
    the client itself, per request and per core."""
    from loadtest import cpu

    monkeypatch.setattr(cpu, "_ticks_per_second", lambda: 100)
    client = 4242
    first = [
        (client, 1, "python", 100, 0, 500, 0),  # its reaped setup commands: counted, constant
        (10, client, "gunicorn", 10, 0, 0, 0),
        (11, 10, "gunicorn", 1000, 100, 0, 0),
        (12, 10, "gunicorn", 900, 100, 0, 0),
        (20, client, "celery", 50, 0, 0, 0),
        (30, 1, "postgres", 10, 0, 200, 0),
        (31, 30, "postgres", 300, 0, 0, 0),
        (40, 1, "redis-server", 5, 5, 0, 0),
        (50, 1, "sshd", 999, 0, 0, 0),
    ]
    before = cpu.snapshot({"web": 10, "worker": 20}, client, _proc(tmp_path / "a", first))
    assert before["seconds"] == {
        "web": 21.1,
        "worker": 0.5,
        "postgres": 5.1,
        "redis": 0.1,
        "client": 6.0,
    }
    assert before["machine"] == 1.55  # user + nice + system + irq + softirq + steal
    after_rows = [
        (client, 1, "python", 150, 0, 500, 0),
        (10, client, "gunicorn", 10, 0, 1100, 0),  # worker 11 was replaced: reaped
        (12, 10, "gunicorn", 1900, 100, 0, 0),
        (13, 10, "gunicorn", 1000, 0, 0, 0),
        (20, client, "celery", 60, 0, 0, 0),
        (30, 1, "postgres", 10, 0, 500, 0),  # backend 31 closed its connection
        (32, 30, "postgres", 100, 0, 0, 0),
        (40, 1, "redis-server", 10, 10, 0, 0),
        (50, 1, "sshd", 5000, 0, 0, 0),
    ]
    after = cpu.snapshot(
        {"web": 10, "worker": 20},
        client,
        _proc(tmp_path / "b", after_rows, busy=(2100, 0, 50, 2000, 7, 3, 2, 0)),
    )
    before["at"], after["at"] = 100.0, 110.0
    usage = cpu.usage(before, after, requests=500, cpus=2)
    assert usage["groups"]["web"] == {"core_percent": 200.0, "ms_per_request": 40.0}
    assert usage["groups"]["postgres"] == {"core_percent": 10.0, "ms_per_request": 2.0}
    assert usage["groups"]["worker"]["ms_per_request"] == 0.2
    assert usage["groups"]["redis"]["core_percent"] == 1.0
    assert usage["groups"]["client"] == {"core_percent": 5.0, "ms_per_request": 1.0}
    assert usage["machine_percent"] == 200.0
    assert usage["requests_per_web_core_s"] == 25.0
    lines = cpu.report_lines(usage)
    assert "web (gunicorn) 200% of a core, 40.0 ms a request" in lines[0]
    assert "PostgreSQL 10% of a core, 2.0 ms a request" in lines[0]
    assert "Requests per second per core of web CPU: 25.0." in lines[1]


def test_the_load_test_says_when_it_could_not_read_the_cpu(tmp_path):
    from loadtest import cpu

    assert cpu.snapshot({}, proc=tmp_path / "missing") == {}
    assert cpu.usage({}, {}, requests=10, cpus=2) is None
    assert cpu.report_lines(None)[0].startswith("CPU: not read")
