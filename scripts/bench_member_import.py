#!/usr/bin/env python
"""Benchmark: import a generated 10,000-row member file into PostgreSQL, next to COPY.

    DATABASE_URL=postgres://... .venv/bin/python scripts/bench_member_import.py [--rows N]

Creates a throwaway database (test_<name>), migrates it, imports the file the way the import
page does (read, check every row, write in one transaction), then loads the same rows with
PostgreSQL's COPY into a bare table, and prints rows per second for each. Nothing is asserted:
the figures are for reading and comparing.
"""

import argparse
import csv
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escp_portal.settings.test")


def generate(rows: int) -> bytes:
    from partnerships.models.members import MEMBER_FIELDS

    rng = random.Random(2026)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*MEMBER_FIELDS, "competences"], restval="")
    writer.writeheader()
    countries = ["DE", "FR", "IT", "ES", "PL", "NL", "BE", "SE", "AT", "PT"]
    codes = ["62.01", "22.22", "28.29", "17.21", "72.19", "29.32", "26.30", "71.12"]
    skills = ["AI", "Robotics", "Packaging", "Sensors", "Bioplastics", "Logistics", "IoT"]
    for i in range(rows):
        employees = int(rng.lognormvariate(3.2, 1.3))
        writer.writerow(
            {
                "name": f"Bench Firm {i:06d}",
                "kind": "enterprise",
                "country": countries[i % len(countries)],
                "city": f"City {i % 97}",
                "nace_code": rng.choice(codes),
                "employees": employees,
                "annual_turnover": employees * rng.randint(60_000, 200_000),
                "founded_year": rng.randint(1950, 2024),
                "competences": "; ".join(rng.sample(skills, 2)),
                "export_markets": "US; CN",
                "website": f"https://firm{i}.example.org",
                "contact_name": f"Contact {i}",
                "contact_email": f"contact{i}@example.org",
                "contact_phone": "+32 2 000 00 00",
            }
        )
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this compares against COPY.")

    data = generate(args.rows)
    print(f"file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB CSV")
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from partnerships.imports import read_table
        from partnerships.models import ClusterOrganisation, Member
        from partnerships.services.member_import import apply_plan, plan_import

        cluster = ClusterOrganisation.objects.create(name="Bench Cluster", country="BE")
        timings = {}
        start = time.perf_counter()
        rows = read_table(SimpleUploadedFile("bench.csv", data))
        timings["read"] = time.perf_counter() - start
        start = time.perf_counter()
        plan = plan_import(cluster, rows)
        timings["check"] = time.perf_counter() - start
        assert plan.valid, plan.errors[:3]
        start = time.perf_counter()
        counts = apply_plan(cluster, plan)
        timings["write"] = time.perf_counter() - start
        total = sum(timings.values())
        assert Member.objects.count() == args.rows == counts["create"]

        start = time.perf_counter()
        again = plan_import(cluster, read_table(SimpleUploadedFile("b.csv", data)))
        recheck = time.perf_counter() - start
        assert again.counts()["unchanged"] == args.rows

        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_copy (name text, kind text, country text, "
                "nuts_region text, city text, nace_code text, employees integer, "
                "annual_turnover numeric(15,2), balance_sheet_total numeric(15,2), "
                "founded_year smallint, competences text, export_markets text, website text, "
                "contact_name text, contact_email text, contact_phone text)"
            )
            start = time.perf_counter()
            cursor.copy_expert(
                "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true, NULL '')",
                io.BytesIO(data),
            )
            copy_seconds = time.perf_counter() - start
            cursor.execute("SELECT count(*) FROM bench_copy")
            assert cursor.fetchone()[0] == args.rows

        print(
            f"portal import: {args.rows / total:,.0f} rows/s "
            f"({total:.2f} s: read {timings['read']:.2f}, check {timings['check']:.2f}, "
            f"write {timings['write']:.2f})"
        )
        print(
            f"re-import check (all unchanged): {args.rows / recheck:,.0f} rows/s ({recheck:.2f} s)"
        )
        print(f"PostgreSQL COPY: {args.rows / copy_seconds:,.0f} rows/s ({copy_seconds:.3f} s)")
        print(f"COPY is {total / copy_seconds:.0f}x faster; it checks no row and links nothing")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
