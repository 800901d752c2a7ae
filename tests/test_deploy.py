"""docker-compose.yml is checked by the Compose binary itself (no engine needed for `config`)."""

import os
import re
import subprocess
from pathlib import Path

import compose
import pytest

ROOT = Path(__file__).resolve().parent.parent
BINARY = Path(compose.__file__).parent / "docker-compose"
# Two of each behind the proxy (README, "Scaling out"); one beat.
WEB = ("web", "web2")
WORKERS = ("worker", "worker2")
APP = (*WEB, *WORKERS, "beat")


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


def production_config():
    import json

    result = compose_config({"DJANGO_SECRET_KEY": "s", "POSTGRES_PASSWORD": "p"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_file_is_valid_and_has_the_production_services():
    config = production_config()
    services = config["services"]
    assert set(services) == {"proxy", "migrate", *APP, "postgres", "redis"}
    for name in ("proxy", *APP, "postgres", "redis"):
        assert "healthcheck" in services[name], name
    for name in ("migrate", *APP):
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == (
            "escp_portal.settings.production"
        )
    # The image's own scripts start every process (the ones CI's production smoke runs).
    for name in WEB:
        assert services[name]["command"] == ["deploy/web.sh"]
    for name in WORKERS:
        assert services[name]["command"] == ["deploy/worker.sh"]
    assert services["beat"]["command"] == ["deploy/beat.sh"]
    assert services["migrate"]["command"] == ["deploy/migrate.sh"]
    for name in APP:
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_only_the_tls_proxy_is_published_and_only_it_is_a_trusted_proxy():
    services = production_config()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert {p["target"] for p in services["proxy"]["ports"]} == {80, 443}
    proxy_address = services["proxy"]["networks"]["internal"]["ipv4_address"]
    for name in APP:
        assert services[name]["environment"]["DJANGO_TRUSTED_PROXIES"] == proxy_address
    mounts = {v["target"]: v["source"] for v in services["proxy"]["volumes"]}
    assert mounts["/etc/nginx/templates/default.conf.template"].endswith(
        "deploy/nginx/escp.conf.template"
    )


def test_images_are_pinned_to_exact_versions():
    services = production_config()["services"]
    for name in ("proxy", "postgres", "redis"):
        image = services[name]["image"]
        assert re.fullmatch(r"[a-z0-9/]+:\d+\.\d+(\.\d+)?(-[a-z0-9]+)?", image), image
    dockerfile = (ROOT / "Dockerfile").read_text()
    bases = re.findall(r"^FROM (\S+)", dockerfile, re.M)
    assert len(bases) == 2  # build stage, then a run stage without the build tools
    for base in bases:
        assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-bookworm", base), base


def test_uploads_and_backups_live_on_named_volumes_the_app_user_can_write():
    config = production_config()
    for name in APP:  # every instance reads and writes the same uploaded files
        mounts = {v["target"]: v for v in config["services"][name]["volumes"]}
        assert mounts["/data/media"]["type"] == "volume"
        assert mounts["/data/backups"]["type"] == "volume"
        assert mounts["/data/media"]["source"] == "media"
    assert {"media", "backups", "postgres-data", "redis-data"} <= set(config["volumes"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER escp$", dockerfile, re.M)
    assert "chown -R escp:escp /data" in dockerfile
    assert "DJANGO_MEDIA_ROOT=/data/media" in dockerfile


def test_the_image_installs_from_the_lock_and_builds_with_the_scripts_ci_runs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "RUN deploy/install.sh production" in dockerfile
    assert "RUN deploy/build.sh" in dockerfile
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".ci/production-smoke" in ci
    smoke = (ROOT / ".ci" / "production-smoke").read_text()
    for script in (
        "install.sh production",
        "build.sh",
        "migrate.sh",
        "web.sh",
        "worker.sh",
        "beat.sh",
        "backup.sh",
        "restore.sh",
        "healthcheck.sh",
        "nginx/escp.conf.template",
        "nginx/upstream.envsh",
    ):
        assert f"deploy/{script}" in smoke, script


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".git", ".venv", "db.sqlite3", "media/", "staticfiles/", "backups/"):
        assert entry in ignored, entry


def pins(text):
    return dict(re.findall(r'^\s*"?([A-Za-z0-9_.\-]+)==([^"\s;,]+)', text, re.M))


def test_lock_files_pin_every_package_with_hashes_and_agree_with_pyproject():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = pins("\n".join(project["dependencies"]))
    test_direct = pins("\n".join(project["optional-dependencies"]["test"]))
    for lock, wanted in (("production", direct), ("test", {**direct, **test_direct})):
        text = (ROOT / "requirements" / f"{lock}.txt").read_text()
        locked = {name.lower().replace("_", "-"): v for name, v in pins(text).items()}
        for name, version in wanted.items():
            assert locked.get(name.lower().replace("_", "-")) == version, (lock, name)
        # Transitive packages too, and each with its hashes.
        assert len(locked) > len(wanted)
        entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n\n", 1)[-1].strip())
        for entry in entries:
            if entry.startswith("#"):
                continue
            assert "--hash=sha256:" in entry, entry.splitlines()[0]


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "POSTGRES_PASSWORD"])
def test_compose_refuses_to_run_without_its_secrets(missing):
    env = {"DJANGO_SECRET_KEY": "s", "POSTGRES_PASSWORD": "p"}
    del env[missing]
    result = compose_config(env)
    assert result.returncode != 0
    assert missing in result.stderr


def without_name(service: dict) -> dict:
    return {k: v for k, v in service.items() if k not in ("container_name", "hostname")}


def test_the_media_storage_settings_reach_every_instance():
    """.env is read by compose, not by the containers: the storage settings are passed on."""
    result = compose_config(
        {
            "DJANGO_SECRET_KEY": "s",
            "POSTGRES_PASSWORD": "p",
            "DJANGO_MEDIA_STORAGE": "s3",
            "DJANGO_MEDIA_S3_BUCKET": "escp-media",
            "DJANGO_MEDIA_S3_ENDPOINT_URL": "https://s3.example.eu",
        }
    )
    assert result.returncode == 0, result.stderr
    import json

    services = json.loads(result.stdout)["services"]
    for name in ("migrate", *APP):
        environment = services[name]["environment"]
        assert environment["DJANGO_MEDIA_STORAGE"] == "s3"
        assert environment["DJANGO_MEDIA_S3_BUCKET"] == "escp-media"
        assert environment["DJANGO_MEDIA_S3_ENDPOINT_URL"] == "https://s3.example.eu"
    default = production_config()["services"]["web"]["environment"]
    assert default["DJANGO_MEDIA_STORAGE"] == "filesystem"


def test_the_instances_are_one_definition_and_there_is_one_beat():
    """web2 is web and worker2 is worker (one YAML anchor each): an instance added or changed
    changes them all. A second beat would queue every periodic job twice."""
    services = production_config()["services"]
    assert without_name(services["web2"]) == without_name(services["web"])
    assert without_name(services["worker2"]) == without_name(services["worker"])
    beats = [name for name, s in services.items() if "deploy/beat.sh" in (s.get("command") or [])]
    assert beats == ["beat"]
    # Workers are told apart by their node name, the container's host name (worker@%h).
    assert "CELERY_HOSTNAME" not in services["worker"]["environment"]


def render_proxy_template(upstream: str) -> str:
    """The template as the nginx image fills it in: upstream.envsh sourced by a POSIX shell
    (the image's is busybox), then envsubst of the variables set."""
    env = {
        "PATH": os.environ["PATH"],
        "ESCP_SERVER_NAME": "portal.example.eu",
        "ESCP_HTTP_LISTEN": "80",
        "ESCP_HTTPS_LISTEN": "443",
        "ESCP_HTTPS_PORT": "",
        "ESCP_UPSTREAM": upstream,
        "ESCP_CERT_DIR": "/etc/nginx/certs",
    }
    names = " ".join(f"${{{name}}}" for name in [*env, "ESCP_UPSTREAM_SERVERS"] if name != "PATH")
    result = subprocess.run(
        [
            "sh",
            "-ec",
            f". deploy/nginx/upstream.envsh; envsubst '{names}' <deploy/nginx/escp.conf.template",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def upstream_servers(conf: str) -> list[str]:
    block = re.search(r"upstream escp_web \{(.*?)\}", conf, re.S).group(1)
    return re.findall(r"server (\S+)", block)


def test_the_proxy_balances_every_web_instance():
    services = production_config()["services"]
    proxy = services["proxy"]
    upstream = proxy["environment"]["ESCP_UPSTREAM"]
    ports = {name: services[name]["expose"] for name in WEB}
    assert upstream.split(",") == [f"{name}:{ports[name][0]}" for name in WEB]
    for name in WEB:  # the proxy starts once every instance answers its health check
        assert proxy["depends_on"][name]["condition"] == "service_healthy"
    # The image's entrypoint sources /docker-entrypoint.d/*.envsh before its envsubst step
    # (20-envsubst-on-templates.sh), in name order.
    mounts = {v["target"]: v["source"] for v in proxy["volumes"]}
    hook = "/docker-entrypoint.d/15-escp-upstream.envsh"
    assert mounts[hook].endswith("deploy/nginx/upstream.envsh")
    assert sorted([Path(hook).name, "20-envsubst-on-templates.sh"])[0] == Path(hook).name
    assert os.access(ROOT / "deploy/nginx/upstream.envsh", os.X_OK)  # else the image skips it

    conf = render_proxy_template(upstream)
    assert upstream_servers(conf) == ["web:8000", "web2:8000"]
    settings = [line for line in conf.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in settings if "${ESCP_" in line]  # every one was filled in


def test_the_proxy_template_takes_one_or_several_instances():
    assert upstream_servers(render_proxy_template("127.0.0.1:8001")) == ["127.0.0.1:8001"]
    three = render_proxy_template("10.0.0.1:8000, 10.0.0.2:8000 10.0.0.3:8000")
    assert upstream_servers(three) == ["10.0.0.1:8000", "10.0.0.2:8000", "10.0.0.3:8000"]
    result = subprocess.run(
        ["sh", "-ec", ". deploy/nginx/upstream.envsh"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "ESCP_UPSTREAM": ""},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "ESCP_UPSTREAM lists no instance" in result.stderr
