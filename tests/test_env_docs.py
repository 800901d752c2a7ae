"""Every environment variable the portal reads is documented: in README's "Environment
variables" table and in `.env.example`, the file an operator copies to `.env`. The names are
found by reading the code (settings and the portal's modules) as a syntax tree, so a new
``env.int("X")`` without its documentation fails here."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = [
    ROOT / name
    for name in ("escp_portal", "partnerships", "strategy", "missions", "matchmaking", "evaluation")
]
ENV_METHODS = {"bool", "int", "float", "str", "list", "tuple", "dict", "json", "path", "url", "db"}
ENV_METHODS |= {"db_url", "email_url", "email", "cache", "cache_url", "search_url", "decimal"}

# Read by PostgreSQL's image (deploy/postgres.env), not by anything of ours.
POSTGRES_IMAGE = {"POSTGRES_DB", "POSTGRES_USER"}


def read_by_the_deployment() -> set[str]:
    """``${NAME}`` / ``${NAME:-default}`` in the deploy scripts and docker-compose.yml: what an
    operator sets for gunicorn, Celery and compose. (The nginx template's ESCP_* values are
    filled in by compose and CI themselves.)"""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "deploy").glob("*.sh"))]
    texts.append((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    names = set()
    for text in texts:
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)[:?}-]", text))
    return names


DEPLOYMENT = read_by_the_deployment() | POSTGRES_IMAGE
# Read by the test settings only: in README's table (under tests), not in .env.example.
TEST_ONLY = {"TEST_EMAIL_BACKEND", "TEST_EMAIL_FILE_PATH", "CELERY_TASK_ALWAYS_EAGER"}


def _is_environ(node) -> bool:
    """``os.environ`` (or ``environ`` imported from os)."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _is_env(node) -> bool:
    """The django-environ reader: ``env`` or ``environ.Env()`` bound to any name ending in env."""
    return isinstance(node, ast.Name) and node.id.lower().endswith("env")


def names_read(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            key = node.slice
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            reads = (
                _is_env(func)  # env("X")
                or (
                    isinstance(func, ast.Attribute)
                    and func.attr in ENV_METHODS
                    and _is_env(func.value)
                )
                or (
                    isinstance(func, ast.Attribute)
                    and func.attr in {"get", "setdefault", "pop"}
                    and _is_environ(func.value)
                )
                or (isinstance(func, ast.Attribute) and func.attr == "getenv")  # os.getenv
                or (isinstance(func, ast.Name) and func.id == "getenv")
            )
            if not reads:
                continue
            key = node.args[0]
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def read_by_the_code() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    paths = [ROOT / "manage.py"] + [p for place in CODE for p in sorted(place.rglob("*.py"))]
    for path in paths:
        if "migrations" in path.parts:
            continue
        for name in names_read(ast.parse(path.read_text(encoding="utf-8"))):
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def readme_table() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Environment variables\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", section, re.M))


def env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    # Set (NAME=value) or offered commented out (# NAME=value) for the optional ones.
    return set(re.findall(r"^(?:#\s?)?([A-Z][A-Z0-9_]*)=", text, re.M))


def test_the_parser_finds_every_way_of_reading_the_environment():
    code = """
import os
from os import environ, getenv
env = environ.Env()
a = env("A", default=1)
b = env.bool("B")
c = env.list("C", default=[])
d = env.db("D")
e = env.email_url("E")
f = os.environ.get("F")
g = os.environ["G"]
h = os.getenv("H", "x")
os.environ.setdefault("I", "y")
j = getenv("J")
k = env.path("K")
l = env.float("L")
not_env = settings.get("NOPE")
"""
    assert names_read(ast.parse(code)) == set("ABCDEFGHIJKL")


def test_the_settings_are_among_what_the_parser_finds():
    found = read_by_the_code()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"} <= set(found)
    assert "DJANGO_SETTINGS_MODULE" in found  # manage.py, wsgi.py: os.environ.setdefault


def test_every_variable_read_is_in_the_readme_table():
    missing = {
        name: sorted(where)
        for name, where in read_by_the_code().items()
        if name not in readme_table()
    }
    assert missing == {}, "add these to README.md's '## Environment variables' table"


def test_every_variable_an_operator_sets_is_in_env_example():
    wanted = (set(read_by_the_code()) - TEST_ONLY) | DEPLOYMENT
    assert sorted(wanted - env_example()) == []
    assert sorted(DEPLOYMENT - readme_table()) == []


def test_nothing_documented_is_read_by_nobody():
    known = set(read_by_the_code()) | DEPLOYMENT
    assert sorted(readme_table() - known) == []
    assert sorted(env_example() - known) == []


def test_the_table_comes_right_after_what_runs_where():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[headings.index("What runs where") + 1] == "Environment variables"


def test_env_example_holds_no_real_secret():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, re.M))
    assert values["DJANGO_SECRET_KEY"].startswith("change-me")
    assert "change-me" in values["POSTGRES_PASSWORD"]
    assert "DJANGO_SETTINGS_MODULE=escp_portal.settings.production" in text
