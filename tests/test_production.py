"""The production configuration as shipped: the build step of the image (deploy/build.sh) on a
clean checkout, then the home and login pages rendered under production settings with the
manifest it wrote. (`.ci/production-smoke` walks the whole stack behind nginx.)"""

import re
import subprocess
import sys
from pathlib import Path

from tests.services import PRODUCTION_ENV, process_env

ROOT = Path(__file__).resolve().parent.parent

RENDER = """
import re, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
client = Client()
for path in ("/", "/accounts/login/"):
    response = client.get(path, secure=True, headers={"host": "portal.example.eu"})
    html = response.content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    print(path, response.status_code, len(assets), " ".join(assets))
# Plain HTTP straight to the app, as the container health check asks: /health/ answers, any
# other page redirects to HTTPS.
for path in ("/health/", "/accounts/login/"):
    response = client.get(path, headers={"host": "portal.example.eu"})
    print("http:" + path, response.status_code, response.get("Location", "-"))
"""


def production_env(tmp_path):
    return process_env(
        {
            **PRODUCTION_ENV,
            "DJANGO_ALLOWED_HOSTS": "portal.example.eu",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
            "REDIS_URL": "redis://127.0.0.1:1/0",  # never reached by these pages
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        }
    )


def test_build_then_home_and_login_pages_render_under_production_settings(tmp_path):
    env = production_env(tmp_path)
    build = subprocess.run(
        ["deploy/build.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert build.returncode == 0, build.stderr
    manifest = tmp_path / "static" / "staticfiles.json"
    assert manifest.exists()

    render = subprocess.run(
        [sys.executable, "-c", RENDER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert render.returncode == 0, render.stderr
    pages = {line.split()[0]: line.split() for line in render.stdout.splitlines()}
    for path in ("/", "/accounts/login/"):
        _, status, count, *assets = pages[path]
        assert status == "200", render.stdout
        assert int(count) >= 3  # the stylesheets and scripts of the layout
        for asset in assets:  # every one under its content-hashed name, from the manifest
            assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg|png|gif|ico)$", asset), asset
            assert (tmp_path / "static" / asset.removeprefix("/static/")).exists(), asset
    assert pages["http:/health/"][1] == "200", render.stdout
    assert pages["http:/accounts/login/"][1:] == [
        "301",
        "https://portal.example.eu/accounts/login/",
    ], render.stdout


def test_no_template_builds_a_static_address_past_the_storage():
    """Production serves static files only under their hashed names (the manifest): an address
    written by hand (``/static/…``, ``STATIC_URL``, django-countries' bare ``country.flag``) is
    unhashed and short-cached. Every template asks the storage ({% static %}, ``flag_src``)."""
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert len(templates) > 50
    offenders = [
        f"{path.relative_to(ROOT)}: {needle}"
        for path in templates
        for needle in ("/static/", "STATIC_URL", ".flag }}", ".flag}}")
        if needle in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
