#!/usr/bin/env python
"""Benchmark at programme scale: the portal's heaviest pages and jobs at two data sizes.

    make bench                       # 1 % and 100 % of the top scale
    .venv/bin/python scripts/bench.py --scales 1 100 [--runs 5] [--json PATH]

For each scale it prepares (once) a PostgreSQL database ``escp_bench_<scale>`` with the real
partnerships (``load_demo``) and synthetic data (``generate_scale``), then measures, in a fresh
process per scale: the member list page and API with typical filters, partnership detail,
scoreboard, programme statistics, the KPI indicator table, ``recompute_all_scoreboards`` and a
10,000-row member import. It prints for each the median time, the SQL query count, the time of
the raw SQL for the same rows and the ratio between the two.

"Raw SQL" replays the very SELECT statements the page ran (captured, with their parameters)
straight on the database cursor, fetching every row: what the database needs to hand over the
same rows, without the ORM, forms, templates or serialisers. For the import it is PostgreSQL's
COPY of the same 10,000 rows into the members table (indexes and all, rolled back).

The database server comes from BENCH_DATABASE_URL or DATABASE_URL (default
postgres://escp:escp@127.0.0.1:5432/); the role must be allowed to create databases. The
databases stay for the next run (BENCH_DB_PREFIX names them; drop them to start over).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from escp_portal.devtools import profiling  # noqa: E402  (the checkout on the path first)

PYTHON = sys.executable
DEFAULT_SERVER = "postgres://escp:escp@127.0.0.1:5432/escp"


def database_url(scale: float) -> str:
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    parts = urlsplit(base)
    prefix = os.environ.get("BENCH_DB_PREFIX", "escp_bench")
    name = f"{prefix}_{scale:g}".replace(".", "_")
    return urlunsplit(parts._replace(path=f"/{name}"))


def django_env(url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "escp_portal.settings.local",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "DATABASE_URL": url,
    }
    env.pop("REDIS_URL", None)  # jobs in-process: the benchmark measures the portal alone
    return env


# -- preparing a database -------------------------------------------------------------------


def prepare(scale: float) -> dict:
    """Create, migrate and fill ``escp_bench_<scale>`` unless it already holds the data."""
    import psycopg2

    url = database_url(scale)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    env = django_env(url)
    manage = [PYTHON, "manage.py"]
    if exists:
        ready = subprocess.run(
            [*manage, "shell", "-c", READY_CHECK.format(scale=scale)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        ready = ready.stdout.strip().splitlines()[-1:] == ["ready"]
    else:
        ready = False
    started = time.perf_counter()
    # A database of an earlier run is brought up to date: its schema migrated, and what newer
    # generators add (e.g. links to the core indicators) added; the data it has stays.
    commands = [
        ["migrate", "--noinput", "-v0"],
        *([] if ready else [["load_demo"]]),
        ["generate_scale", "--scale", f"{scale:g}"],
    ]
    for command in commands:
        print(f"  [{name}] manage.py {' '.join(command)}", flush=True)
        result = subprocess.run(
            [*manage, *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode:
            sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}{result.stderr[-4000:]}")
        if command[0] == "generate_scale":
            print("\n".join("    " + line for line in result.stdout.splitlines()), flush=True)
    return {
        "database": name,
        "prepared_seconds": round(time.perf_counter() - started, 1),
        "generated": "brought up to date" if ready else "now",
    }


READY_CHECK = """
from escp_portal.devtools.scale import targets
from partnerships.models import Member
from strategy.models import Measurement
want = targets({scale})
ok = Member.objects.count() >= want["members"] and Measurement.objects.exists()
print("ready" if ok else "no")
"""


# -- measuring (in a process of its own, on one database) ---------------------------------


def measure(runs: int) -> dict:
    import django

    django.setup()
    from django.db import connection

    from escp_portal.devtools.scale import counts

    world = bench_world()
    results = {"sizes": counts(), "subjects": world["describe"], "cases": []}
    # First the nightly job, as in production: the programme pages read what it stores.
    recompute = measure_recompute()
    print("    recompute: done", flush=True)
    for name, user, url in page_cases(world):
        results["cases"].append(measure_page(name, user, url, runs))
        print(f"    {name}: done", flush=True)
    results["cases"].append(recompute)
    results["cases"].append(measure_import())
    print("    import: done", flush=True)
    connection.close()
    return results


def bench_world() -> dict:
    """Users for each role, on the partnership with the most reported values (synthetic ones
    first) and its partner cluster with the most members."""
    from django.db.models import Count

    from escp_portal.accounts.models import Role, RoleAssignment, User
    from partnerships.models import ClusterOrganisation, Partnership

    partnership = (
        Partnership.objects.annotate(
            values=Count("strategies__objectives__kpis__measurements", distinct=True)
        )
        .order_by("-values", "-pk")
        .first()
    )
    cluster = (
        ClusterOrganisation.objects.filter(partnerships_joined__partnership=partnership)
        .annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .first()
    )

    def person(key: str, **fields) -> User:
        user, _ = User.objects.get_or_create(email=f"bench-{key}@bench.invalid", defaults=fields)
        return user

    staff = person("staff", is_staff=True)
    officer = person("officer")
    coordinator = person("coordinator")
    manager = person("manager")
    RoleAssignment.objects.get_or_create(user=officer, role=Role.EC_OFFICER)
    RoleAssignment.objects.filter(user=coordinator).exclude(partnership=partnership).delete()
    RoleAssignment.objects.get_or_create(
        user=coordinator, role=Role.COORDINATOR, partnership=partnership
    )
    RoleAssignment.objects.filter(user=manager).exclude(cluster=cluster).delete()
    RoleAssignment.objects.get_or_create(user=manager, role=Role.CLUSTER_MANAGER, cluster=cluster)
    return {
        "partnership": partnership,
        "cluster": cluster,
        "staff": staff,
        "officer": officer,
        "coordinator": coordinator,
        "manager": manager,
        "describe": {
            "partnership": f"{partnership.acronym} (#{partnership.pk})",
            "cluster": f"{cluster.name} (#{cluster.pk}, {cluster.n} members)",
        },
    }


def page_cases(world: dict) -> list[tuple[str, object, str]]:
    p, c = world["partnership"].pk, world["cluster"].pk
    country = str(world["cluster"].country)
    return [
        (
            "member list page (SME, enterprise)",
            world["manager"],
            f"/clusters/{c}/members/?sme=true&kind=enterprise",
        ),
        (
            "member API (all members: country, SME)",
            world["staff"],
            f"/api/v1/members/?country={country}&sme=true",
        ),
        ("partnership list page", None, "/partnerships/"),
        ("home page (coordinator)", world["coordinator"], "/"),
        ("home page (cluster manager)", world["manager"], "/"),
        ("missions calendar (list)", world["coordinator"], "/missions/?view=list"),
        ("partnership detail page", None, f"/partnerships/{p}/"),
        ("partnership API detail", world["coordinator"], f"/api/v1/partnerships/{p}/"),
        ("scoreboard page", world["coordinator"], f"/partnerships/{p}/scoreboard/"),
        ("scoreboard API", world["coordinator"], f"/api/v1/scoreboards/{p}/"),
        ("programme statistics page", world["officer"], "/statistics/"),
        ("core indicator roll-up page", world["officer"], "/statistics/core-indicators/"),
        (
            "core indicator roll-up by partner country",
            world["officer"],
            "/statistics/core-indicators/?by=partner_country",
        ),
        ("oversight page", world["officer"], "/oversight/"),
        ("targets by period page", world["coordinator"], f"/partnerships/{p}/targets/"),
        ("KPI indicator table (XLSX)", world["coordinator"], f"/partnerships/{p}/indicators.xlsx"),
    ]


def replay(queries: list[str]) -> float:
    """Seconds the database needs for these SELECTs, every row fetched."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            cursor.fetchall()
    return time.perf_counter() - started


def selects(captured) -> list[str]:
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]


def measure_page(name: str, user, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)  # warm caches, as a user's second visit would
    if response.status_code != 200:
        sys.exit(f"{name}: {url} answered {response.status_code}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    sql = selects(captured.captured_queries)
    raw = statistics.median(replay(sql) for _ in range(runs))
    median = statistics.median(times)
    return {
        "name": name,
        "url": url,
        "median_ms": median * 1000,
        "queries": len(captured.captured_queries),
        "raw_ms": raw * 1000,
        "ratio": median / raw if raw else None,
        "bytes": len(response.content),
        "split_ms": profiling.split_page(user, url, runs),
    }


def measure_recompute() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluation.tasks import recompute_all_scoreboards

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        partnerships = recompute_all_scoreboards.apply().get()
        seconds = time.perf_counter() - started
    raw = replay(selects(captured.captured_queries))
    return {
        "name": "recompute_all_scoreboards",
        "partnerships": partnerships,
        "median_ms": seconds * 1000,
        "queries": len(captured.captured_queries),
        "raw_ms": raw * 1000,
        "ratio": seconds / raw if raw else None,
    }


def measure_import(rows: int = 10_000) -> dict:
    """The import page's path (read, check every row, write) into a new cluster, then COPY of
    the same rows into the members table, rolled back."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction

    from partnerships.imports import read_table
    from partnerships.models import ClusterOrganisation
    from partnerships.services.member_import import apply_plan, plan_import
    from scripts.bench_member_import import generate

    data = generate(rows)
    cluster = ClusterOrganisation.objects.create(
        name=f"Bench import {time.time_ns()}", country="BE"
    )
    try:
        started = time.perf_counter()
        plan = plan_import(cluster, read_table(SimpleUploadedFile("bench.csv", data)))
        assert plan.valid, plan.errors[:3]
        created = apply_plan(cluster, plan)["create"]
        seconds = time.perf_counter() - started
        assert created == rows, created

        columns = (
            "name, kind, country, nuts_region, city, nace_code, employees, annual_turnover, "
            "balance_sheet_total, founded_year, export_markets, website, contact_name, "
            "contact_email, contact_phone, created_at, updated_at"
        )
        lines = io.StringIO()
        for i, row in enumerate(read_table(SimpleUploadedFile("b.csv", data))):
            values = [
                f"Copy {row['name']}",
                row["kind"],
                row["country"],
                "",
                row["city"],
                row["nace_code"],
                row["employees"],
                row["annual_turnover"],
                r"\N",
                row["founded_year"],
                "CN,US",
                row["website"],
                row["contact_name"],
                row["contact_email"],
                row["contact_phone"],
                "now",
                "now",
            ]
            lines.write("\t".join(values) + "\n")
            assert i < rows
        lines.seek(0)
        with transaction.atomic():
            raw_cursor = connection.connection.cursor()
            started = time.perf_counter()
            raw_cursor.copy_expert(f"COPY partnerships_member ({columns}) FROM STDIN", lines)
            copy_seconds = time.perf_counter() - started
            transaction.set_rollback(True)
    finally:
        from partnerships.models import ClusterMembership, Member

        member_ids = list(
            ClusterMembership.objects.filter(cluster=cluster).values_list("member_id", flat=True)
        )
        Member.objects.filter(pk__in=member_ids).delete()
        cluster.delete()
    return {
        "name": f"member import, {rows:,} rows (rows/s; raw = COPY)",
        "median_ms": seconds * 1000,
        "queries": None,
        "raw_ms": copy_seconds * 1000,
        "ratio": seconds / copy_seconds,
        "rows_per_second": rows / seconds,
        "copy_rows_per_second": rows / copy_seconds,
    }


# -- the table --------------------------------------------------------------------------------


def print_table(report: dict) -> None:
    scales = report["scales"]
    print()
    print(f"Machine: {report['machine']}")
    for scale in scales:
        info = report["results"][f"{scale:g}"]
        sizes_text = ", ".join(f"{v:,} {k}" for k, v in info["sizes"].items())
        print(f"Scale {scale:g} %: {sizes_text}")
        print(f"  subjects: {info['subjects']['partnership']}; {info['subjects']['cluster']}")
    width = 46
    header = f"{'case':<{width}}" + "".join(
        f" | {f'{s:g} %':>7} {'ms':>9} {'queries':>7} {'raw ms':>8} {'ratio':>6}" for s in scales
    )
    print()
    print(header)
    print("-" * len(header))
    names = [case["name"] for case in report["results"][f"{scales[0]:g}"]["cases"]]
    for index, name in enumerate(names):
        line = f"{name[:width]:<{width}}"
        for scale in scales:
            case = report["results"][f"{scale:g}"]["cases"][index]
            queries = "-" if case["queries"] is None else f"{case['queries']:,}"
            ratio = "-" if case["ratio"] is None else f"{case['ratio']:.1f}x"
            line += (
                f" | {'':>7} {case['median_ms']:>9,.1f} {queries:>7} "
                f"{case['raw_ms']:>8,.1f} {ratio:>6}"
            )
        print(line)
    profiling.print_split(report)
    for scale in scales:
        case = report["results"][f"{scale:g}"]["cases"][-1]
        share = case["rows_per_second"] / case["copy_rows_per_second"] * 100
        print(
            f"import at {scale:g} %: {case['rows_per_second']:,.0f} rows/s, COPY into the same "
            f"table {case['copy_rows_per_second']:,.0f} rows/s ({share:.0f} % of COPY)"
        )


def machine() -> str:
    import psycopg2

    cpus = os.cpu_count()
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
            memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    version = ""
    try:
        conn = psycopg2.connect(database_url(1))
        with conn.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = f", PostgreSQL {cursor.fetchone()[0]}"
        conn.close()
    except psycopg2.Error:
        pass
    return (
        f"{platform.platform()}, {cpus} CPUs{memory}, Python {platform.python_version()}{version}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 100.0])
    parser.add_argument("--runs", type=int, default=5, help="timed requests per page")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # the child: one database, given by DATABASE_URL
        print(json.dumps(measure(args.runs)), file=sys.stdout)
        return

    report = {"machine": machine(), "scales": args.scales, "results": {}, "prepared": {}}
    for scale in args.scales:
        print(f"Scale {scale:g} %: preparing", flush=True)
        report["prepared"][f"{scale:g}"] = prepare(scale)
        print(f"Scale {scale:g} %: measuring", flush=True)
        child = subprocess.run(
            [PYTHON, __file__, "--measure", "--runs", str(args.runs)],
            cwd=ROOT,
            env=django_env(database_url(scale)),
            capture_output=True,
            text=True,
        )
        if child.returncode:
            sys.exit(f"measuring at {scale:g} % failed:\n{child.stderr[-6000:]}")
        lines = child.stdout.strip().splitlines()
        for line in lines[:-1]:
            print(line)
        report["results"][f"{scale:g}"] = json.loads(lines[-1])
    print_table(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
        print(f"\nFigures written to {args.json}")


if __name__ == "__main__":
    main()
