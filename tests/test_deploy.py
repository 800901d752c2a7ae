"""docker-compose.yml is checked by the Compose binary itself (no engine needed for `config`)."""

import os
import subprocess
from pathlib import Path

import compose
import pytest

ROOT = Path(__file__).resolve().parent.parent
BINARY = Path(compose.__file__).parent / "docker-compose"


def compose_config(env):
    base = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD")
    }
    return subprocess.run(
        [str(BINARY), "-f", "docker-compose.yml", "config", "--format", "json"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_compose_file_is_valid_and_has_the_production_services():
    import json

    result = compose_config({"DJANGO_SECRET_KEY": "s", "POSTGRES_PASSWORD": "p"})
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert set(config["services"]) == {"web", "worker", "beat", "postgres", "redis"}
    for name in ("web", "worker", "postgres", "redis"):
        assert "healthcheck" in config["services"][name], name
    assert "gunicorn" in " ".join(config["services"]["web"]["command"])
    assert config["services"]["worker"]["environment"]["DJANGO_SETTINGS_MODULE"] == (
        "escp_portal.settings.production"
    )


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "POSTGRES_PASSWORD"])
def test_compose_refuses_to_run_without_its_secrets(missing):
    env = {"DJANGO_SECRET_KEY": "s", "POSTGRES_PASSWORD": "p"}
    del env[missing]
    result = compose_config(env)
    assert result.returncode != 0
    assert missing in result.stderr
