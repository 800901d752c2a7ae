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
