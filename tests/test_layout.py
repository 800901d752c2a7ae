"""The code keeps the layout of docs/architecture.md, so that the next engineer finds each rule in
one place:

- access decisions are named rules: only the policy and the apps' ``rules`` modules read a user's
  scope flags, and no template does;
- the domain apps depend in one direction (partnerships ← strategy ← missions ← matchmaking ←
  opportunities ← funding ← evaluation) and none imports another app's views;
- every domain app has the same file set, and no module grows past 500 lines.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = [
    "partnerships",
    "strategy",
    "missions",
    "matchmaking",
    "opportunities",
    "funding",
    "evaluation",
]  # in their order
FILE_SET = [
    "models",
    "rules",
    "selectors",
    "services",
    "filters",
    "forms",
    "views",
    "api",
    "exports",
    "tasks",
    "urls",
    "admin",
    "demo",
]
SCOPE_FLAGS = re.compile(
    r"scope_for|\.is_officer\b|reads_everything|coordinated_partnerships|managed_clusters"
    r"|\.is_coordinator\b|is_cluster_manager|\.is_staff\b"
)
# The policy, the part of it that narrows a user's rights to an API token's scope, and the part
# that keeps users' roles in the cache (and the key of what a reader may see).
POLICY = {
    ROOT / "escp_portal" / "accounts" / name for name in ("policy.py", "limits.py", "roles.py")
}


def code_files():
    """Python modules of the portal (the apps, escp_portal and scripts), without migrations."""
    places = [ROOT / name for name in [*APPS, "escp_portal", "scripts"]]
    for place in places:
        for path in sorted(place.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def test_only_the_policy_and_rules_read_scope_flags():
    readers = [
        str(path.relative_to(ROOT))
        for path in code_files()
        if path not in POLICY
        and path.name != "rules.py"
        and "devtools" not in path.parts
        and path.parent.name != "scripts"
        and "loadtest" not in path.parts
        and SCOPE_FLAGS.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_no_template_reads_scope_flags():
    readers = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if re.search(r"\bscope\.", path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_apps_depend_in_one_direction_and_never_on_views():
    wrong = []
    for rank, app in enumerate(APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for module in imported_modules(path):
                top, _, rest = module.partition(".")
                if top not in APPS or top == app:
                    continue
                if APPS.index(top) > rank:
                    wrong.append(f"{path.relative_to(ROOT)} imports {module} (a later app)")
                elif rest.split(".")[0] == "views":
                    wrong.append(f"{path.relative_to(ROOT)} imports {module} (views)")
    assert wrong == []


def test_every_domain_app_has_the_file_set():
    missing = [
        f"{app}/{name}"
        for app in APPS
        for name in FILE_SET
        if not (ROOT / app / f"{name}.py").exists() and not (ROOT / app / name).is_dir()
    ]
    assert missing == []


def test_no_module_is_over_500_lines():
    long = [
        f"{path.relative_to(ROOT)} ({n} lines)"
        for path in code_files()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    ]
    assert long == []
