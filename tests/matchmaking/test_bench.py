"""`make bench-matchmaking` keeps working: its generator and its measures, at a tiny size on the
test database, find every planted member first."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_matchmaking.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_matchmaking", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_finds_its_planted_members_first():
    bench = _bench()
    plan = bench.generate(300, 3, 10, log=lambda *args: None)
    assert len(plan["queries"]) == 3
    report = bench.evaluate(plan, runs=1, log=lambda *args: None)
    assert report["search_precision_at_10"] == 1.0
    assert report["gap_precision_at_10"] == 1.0
    assert report["search_median_ms"] > 0 and report["gap_p95_ms"] > 0
    assert set(report["other_searches"]) >= {"country alone", "free text (two words)"}
