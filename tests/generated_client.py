"""The API's Python client as an integrator would make it: the OpenAPI schema written by
drf-spectacular, then a package generated from it by openapi-python-client, imported from a
temporary folder. Generation reads nothing from the network; a warning of either tool (a part of
the schema it cannot read) fails the test that asked for the client, so the fix goes into the
schema's source (the serializers and ``extend_schema`` of the apps)."""

import importlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from tests.stack import ROOT

PACKAGE = "escp_portal_client"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The generator's own post hooks run too (ruff, from this environment: the generated modules
# import what they use only once ruff has fixed them).
CONFIG = f"package_name_override: {PACKAGE}\n"


def _run(command: list[str], what: str) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail(f"{what} failed ({done.returncode}):\n{output}", pytrace=False)
    return output


def write_schema(path: Path) -> dict:
    """The schema as ``/api/v1/schema/`` serves it, in JSON; any warning of drf-spectacular and
    any error of its validation fails."""
    _run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--format",
            "openapi-json",
            "--file",
            str(path),
            "--fail-on-warn",
            "--validate",
        ],
        "manage.py spectacular",
    )
    return json.loads(path.read_text())


def generate(schema_path: Path, into: Path) -> Path:
    """Generate the client package from the schema file; answers the package's folder."""
    config = into / "config.yml"
    config.write_text(CONFIG)
    package = into / PACKAGE
    output = _run(
        [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path",
            str(schema_path),
            "--output-path",
            str(package),
            "--meta",
            "none",
            "--config",
            str(config),
            "--fail-on-warning",
        ],
        "openapi-python-client generate",
    )
    if "warning" in output.lower() or "error" in output.lower():
        pytest.fail(f"openapi-python-client reported problems:\n{output}", pytrace=False)
    return package


def operations(schema: dict) -> list[tuple[str, str, dict]]:
    """(path, method, operation) of every operation of the schema."""
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


@dataclass
class GeneratedClient:
    schema: dict
    folder: Path
    package: ModuleType

    def operation(self, tag: str, operation_id: str) -> ModuleType:
        """The module of one operation: ``sync``, ``sync_detailed`` and their async twins."""
        return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation_id}")

    @property
    def models(self) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.models")

    def client(self, base_url: str, token: str | None = None, *, strict: bool = True):
        """A client of the package: with a token, the ``AuthenticatedClient`` that sends it as
        knox expects (``Authorization: Token <token>``). ``strict``: an answer the schema does
        not document raises (``errors.UnexpectedStatus``); else ``sync_detailed`` gives it."""
        if token is None:
            return self.package.Client(base_url=base_url, raise_on_unexpected_status=strict)
        return self.package.AuthenticatedClient(
            base_url=base_url, token=token, prefix="Token", raise_on_unexpected_status=strict
        )


@pytest.fixture(scope="session")
def generated_client(tmp_path_factory):
    """The client package generated from the schema of this checkout, once per run."""
    folder = tmp_path_factory.mktemp("generated-client")
    schema = write_schema(folder / "schema.json")
    generate(folder / "schema.json", folder)
    sys.path.insert(0, str(folder))
    package = importlib.import_module(PACKAGE)
    yield GeneratedClient(schema=schema, folder=folder / PACKAGE, package=package)
    sys.path.remove(str(folder))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
