"""`make bench` keeps working: the benchmark script at a tiny scale prints its table."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.services import require

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.postgres


def test_the_benchmark_prepares_its_database_and_prints_every_case(tmp_path):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    prefix = f"escp_bench_ci_{os.getpid()}"
    settings = connection.settings_dict
    server = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/postgres"
    )
    out = tmp_path / "bench.json"
    env = {**os.environ, "BENCH_DATABASE_URL": server, "BENCH_DB_PREFIX": prefix}
    try:
        result = subprocess.run(
            [sys.executable, "scripts/bench.py", "--scales", "0.1", "--runs", "1", "--json", out],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        admin = psycopg2.connect(server)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{prefix}_0_1"')
        admin.close()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(out.read_text())
    cases = report["results"]["0.1"]["cases"]
    names = [case["name"] for case in cases]
    for expected in (
        "member list page",
        "member API",
        "partnership detail page",
        "scoreboard page",
        "programme statistics page",
        "KPI indicator table",
        "recompute_all_scoreboards",
        "member import",
    ):
        assert any(name.startswith(expected) for name in names), (expected, names)
    for case in cases:
        assert case["median_ms"] > 0 and case["raw_ms"] > 0, case
    assert report["results"]["0.1"]["sizes"]["members"] >= 1_000
    assert "ratio" in result.stdout and "% of COPY" in result.stdout
