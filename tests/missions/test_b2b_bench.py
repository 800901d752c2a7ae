"""`make bench-b2b` keeps working: the scheduling benchmark's core at a reduced size places the
meetings without double booking, and a second run keeps them."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_b2b.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_b2b", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_core_schedules_without_double_booking():
    result = _bench().run(participants=20, meetings=60, days=1, tables=3, minutes=30)
    assert result["placed"] + result["unplaced"] == 60
    assert result["capacity"] == 18 * 3  # 09:00 to 18:00 in 30-minute slots, 3 tables
    assert result["placed"] == 54  # every table-slot is used: the tables are the limit
    assert result["seconds"] < 5


def test_the_benchmark_refuses_more_meetings_than_pairs():
    with pytest.raises(ValueError):
        _bench().build(participants=3, meetings=4, days=1, tables=1, minutes=30)
