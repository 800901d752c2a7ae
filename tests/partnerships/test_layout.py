"""The app keeps the shared layout: access decisions are named rules in ``rules.py`` (no other
module reads a user's scope flags), and no module grows past 500 lines."""

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "partnerships"
SCOPE_FLAGS = re.compile(
    r"scope_for|\.is_officer|reads_everything|coordinated_partnerships|managed_clusters"
    r"|\.is_coordinator|is_cluster_manager|\.is_staff"
)


def modules():
    return sorted(p for p in APP.rglob("*.py") if "migrations" not in p.parts)


def test_only_the_rules_read_scope_flags():
    readers = [
        str(path.relative_to(APP))
        for path in modules()
        if path.name != "rules.py" and SCOPE_FLAGS.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_no_module_is_over_500_lines():
    long = [
        str(path.relative_to(APP))
        for path in modules()
        if len(path.read_text(encoding="utf-8").splitlines()) > 500
    ]
    assert long == []
