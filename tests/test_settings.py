"""The settings modules, each run in a fresh process as a deployment would."""

import subprocess
import sys
from pathlib import Path

from tests.services import PRODUCTION_ENV, process_env

ROOT = Path(__file__).resolve().parent.parent


def run(args, env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=process_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_database_or_broker():
    for missing in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
        result = run(["manage.py", "check"], env)
        assert result.returncode != 0, missing
        assert missing in result.stderr


def test_check_deploy_under_production_settings_prints_no_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_embedded_default_needs_no_environment():
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER,"
        " settings.EMAIL_BACKEND)"
    )
    result = run(["-c", code], {"DJANGO_SETTINGS_MODULE": "escp_portal.settings.local"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_database_and_redis_urls_switch_the_backends():
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER,"
        " settings.CELERY_BROKER_URL, settings.CACHES['default']['BACKEND'])"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "escp_portal.settings.local",
        "DATABASE_URL": "postgres://u:p@db.example:5432/escp",
        "REDIS_URL": "redis://cache.example:6379/1",
    }
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "redis://cache.example:6379/1",
        "django_redis.cache.RedisCache",
    ]
