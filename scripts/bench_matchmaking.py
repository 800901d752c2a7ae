#!/usr/bin/env python
"""Benchmark of the partner search: how good and how fast, at a given number of members.

    make bench-matchmaking                                   # 10,000 and 100,000 members
    .venv/bin/python scripts/bench_matchmaking.py --members 1000000 [--queries 50] [--json PATH]

It fills a PostgreSQL database ``escp_bench_find_<members>`` (once; BENCH_DB_PREFIX changes the
prefix) with synthetic clusters in partnerships and findable members, written with COPY: random
members from a vocabulary of competences, NACE classes, countries and export markets, and, for
each of ``--queries`` planted queries, ``--planted`` members that match it exactly on competence,
NACE code and country, plus a few near misses (the competence inside a longer tag, in the same
country and sector). It then prints:

- precision@10 of the search (of the first ten results of each planted query, how many are the
  planted members) and of the value-chain gap suggestions (a stage named after the competence);
- the median and 95th percentile time of a search through the API (``/api/v1/partner-search/``,
  a signed-in coordinator, everything a request does) for the planted queries, and of a few other
  kinds of search (a NACE division, free text, a country alone) shown apart.

The database server comes from BENCH_DATABASE_URL or DATABASE_URL (default
postgres://escp:escp@127.0.0.1:5432/); the role must be allowed to create databases. The data
stays for the next run; drop the database to generate it again.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_SERVER = "postgres://escp:escp@127.0.0.1:5432/escp"
SEED = 2026


def _words(text: str) -> list[str]:
    return text.split()


COUNTRIES = _words(
    "AT BE BG HR CY CZ DK EE FI FR DE EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
)
MARKETS = _words("US CA MX BR JP KR CN IN SG AU ZA AE TR MA CL VN")
# Noise competences: an adjective and a noun (1,200 tags). The planted ones use words of their
# own, so that only the planted members and their near misses hold them.
ADJECTIVES = _words("""precision industrial digital robotic hybrid thermal optical smart modular
acoustic structural marine medical automotive textile chemical electrical hydraulic
pneumatic embedded wireless composite ceramic polymer organic biobased recycled lightweight
cold green advanced rapid micro nano solar wind battery water food packaging printed laser
metal""")
NOUNS = _words("""machining welding coating moulding casting assembly testing sensors firmware
logistics design prototyping inspection analytics software controls automation printing
cutting finishing bonding sealing drying filtration dosing mixing grinding forging""")
PLANTED_A = _words("""plasma cryogenic ultrasonic magnetron electrochemical photonic isostatic
electrospun tribological piezoelectric sintered vacuum galvanic abrasive catalytic
holographic""")
PLANTED_B = _words("""nitriding brazing peening lapping honing anodising etching cladding knurling
broaching annealing tempering""")


# -- the database ------------------------------------------------------------------------------


def database_url(members: int) -> str:
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    parts = urlsplit(base)
    prefix = os.environ.get("BENCH_DB_PREFIX", "escp_bench_find")
    return urlunsplit(parts._replace(path=f"/{prefix}_{members}"))


def create_database(url: str) -> bool:
    """Create the database unless it exists; whether it was created."""
    import psycopg2

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
    return not exists


# -- generating ----------------------------------------------------------------------------------


def planted_queries(count: int, rng: random.Random, codes: list[str]) -> list[dict]:
    pairs = [(a, b) for a in PLANTED_A for b in PLANTED_B]
    rng.shuffle(pairs)
    if count > len(pairs):
        raise SystemExit(f"at most {len(pairs)} planted queries")
    return [
        {"competence": f"{a} {b}", "nace": rng.choice(codes), "country": rng.choice(COUNTRIES)}
        for a, b in pairs[:count]
    ]


def _writer():
    """Rows into a table: COPY on PostgreSQL, executemany elsewhere (the test's SQLite)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        from escp_portal.devtools.scale.pgcopy import copy_rows

        return copy_rows

    def insert(table, columns, rows):
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        rows = [tuple(r) for r in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        return len(rows)

    return insert


def _next_id(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def generate(members: int, queries: int, planted: int, *, seed: int = SEED, log=print) -> dict:
    """Clusters (one per 500 members, at least 8) partnering in partnerships of five, and
    ``members`` findable members of them, the planted ones among them. Returns the plan."""
    from django.db import connection, transaction
    from django.utils import timezone

    from matchmaking.models import FindableProfile
    from matchmaking.services.profiles import COPIED, shown_copy, update_vectors
    from partnerships import nace
    from partnerships.models import ClusterOrganisation, Competence, Partner, Partnership
    from partnerships.models.members import size_class_of
    from tests import factories

    rng = random.Random(seed)
    codes = [c for c in nace.table() if len(c) == 5 and c[0].isdigit()]
    plan = {"queries": planted_queries(queries, rng, codes), "members": members}
    write, now = _writer(), timezone.now()
    started = time.perf_counter()
    # Dropped during the load and built once at the end (faster than row by row), when the
    # load runs on its own (not inside a test's transaction, where the indexes stay).
    standalone = connection.vendor == "postgresql" and not connection.in_atomic_block
    search_indexes = _search_indexes() if standalone else {}
    with connection.cursor() as cursor:
        for index in search_indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {index}")
    with transaction.atomic():
        programme = factories.programme("BENCH")
        clusters = []
        for i in range(max(8, members // 500)):
            clusters.append(
                ClusterOrganisation(
                    name=f"Bench cluster {i:05d}",
                    country=COUNTRIES[i % len(COUNTRIES)],
                    description=f"Cluster of {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}.",
                )
            )
        clusters = ClusterOrganisation.objects.bulk_create(clusters)
        for start in range(0, len(clusters), 5):
            partnership = Partnership.objects.create(
                acronym=f"BENCH{start // 5:04d}",
                name="Bench partnership",
                programme=programme,
                phase="implementation",
            )
            Partner.objects.bulk_create(
                Partner(partnership=partnership, cluster=c) for c in clusters[start : start + 5]
            )
        names = sorted(
            {f"{a} {b}" for a in ADJECTIVES for b in NOUNS}
            | {q["competence"] for q in plan["queries"]}
            | {f"{q['competence']} repairs" for q in plan["queries"]}
        )
        first_tag = _next_id("partnerships_competence")
        write(
            "partnerships_competence",
            ["id", "name", "slug"],
            ((first_tag + i, n, n.replace(" ", "-")) for i, n in enumerate(names)),
        )
        tag_id = {n: first_tag + i for i, n in enumerate(names)}
        noise_tags = [f"{a} {b}" for a in ADJECTIVES for b in NOUNS]

        people = []  # (name, country, nace, competences, markets)
        for q in plan["queries"]:
            for k in range(planted):
                people.append((f"Planted {q['competence']} {k}", q, [q["competence"]]))
            for k in range(max(2, planted // 2)):  # near misses: a longer tag
                people.append((f"Near {q['competence']} {k}", q, [f"{q['competence']} repairs"]))
        first_member = _next_id("partnerships_member")
        first_membership = _next_id("partnerships_clustermembership")
        first_profile = _next_id("matchmaking_findableprofile")
        member_rows, membership_rows, tag_rows, profile_rows = [], [], [], []
        total = max(members, len(people))
        for i in range(total):
            pk = first_member + i
            cluster = clusters[i % len(clusters)]
            if i < len(people):
                name, q, tags = people[i]
                country, code = q["country"], q["nace"]
                tags = tags + rng.sample(noise_tags, 1)
            else:
                name = f"Bench member {i:07d}"
                country, code = rng.choice(COUNTRIES), rng.choice(codes)
                tags = rng.sample(noise_tags, rng.randint(1, 3))
            employees = min(int(rng.lognormvariate(3.0, 1.4)), 60_000)
            markets = sorted(rng.sample(MARKETS, rng.randint(0, 3)))
            member_rows.append(
                (pk, name, "enterprise", country, "", "", code, employees, None, None,
                 None, ",".join(markets), "", f"Contact {i}", f"c{i}@bench.example", "", None,
                 now, now)
            )  # fmt: skip
            membership_rows.append((first_membership + i, pk, cluster.pk, date(2020, 1, 1), now))
            tag_rows += [(pk, tag_id[t]) for t in tags]
            profile = SimpleNamespace(**dict.fromkeys(("show_name", "show_country",
                "show_region", "show_sector", "show_competences", "show_size",
                "show_export_markets"), True))  # fmt: skip
            member = SimpleNamespace(
                name=name,
                country=country,
                nuts_region="",
                nace_code=code,
                size_class=size_class_of(employees, None, None),
                export_markets=[SimpleNamespace(code=c) for c in markets],
            )
            copy = shown_copy(profile, member, tags)
            profile_rows.append(
                (first_profile + i, pk, cluster.pk, True, True, False, True, True, True, True,
                 now, None, now, *(copy[c] for c in COPIED))
            )  # fmt: skip
            if len(member_rows) >= 50_000 or i == total - 1:
                _flush(write, member_rows, membership_rows, tag_rows, profile_rows)
                log(f"  members written: {i + 1:,} ({time.perf_counter() - started:.0f} s)")
        if connection.vendor == "postgresql":
            for table in (
                "partnerships_member",
                "partnerships_clustermembership",
                "partnerships_competence",
                "matchmaking_findableprofile",
            ):
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
        log("  full-text vectors …")
        update_vectors(FindableProfile.objects.all())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for index, how in search_indexes.items():
                log(f"  index {index} …")
                cursor.execute(f"CREATE INDEX {index} ON matchmaking_findableprofile {how}")
            cursor.execute("ANALYZE")
    assert Competence.objects.exists()
    plan["generated_seconds"] = round(time.perf_counter() - started, 1)
    return plan


def _search_indexes() -> dict[str, str]:
    """The GIN indexes the migration makes on PostgreSQL (name -> definition)."""
    from importlib import import_module

    return import_module("matchmaking.migrations.0002_search_indexes").INDEXES


def _flush(write, member_rows, membership_rows, tag_rows, profile_rows) -> None:
    member_columns = _words("""id name kind country nuts_region city nace_code employees
        annual_turnover balance_sheet_total founded_year export_markets website contact_name
        contact_email contact_phone erased_at created_at updated_at""")
    write("partnerships_member", member_columns, member_rows)
    write(
        "partnerships_clustermembership",
        ["id", "member_id", "cluster_id", "joined_on", "created_at"],
        membership_rows,
    )
    write("partnerships_member_competences", ["member_id", "competence_id"], tag_rows)
    from matchmaking.services.profiles import COPIED

    profile_columns = _words("""id member_id cluster_id show_name show_country show_region
        show_sector show_competences show_size show_export_markets findable_since set_by_id
        updated_at""")
    write("matchmaking_findableprofile", [*profile_columns, *COPIED], profile_rows)
    for rows in (member_rows, membership_rows, tag_rows, profile_rows):
        rows.clear()


def stored_plan(members: int, queries: int, planted: int) -> dict | None:
    """The plan of a database generated before (its planted queries are found again)."""
    from partnerships.models import Member

    if not Member.objects.filter(name__startswith="Planted ").exists():
        return None
    rng = random.Random(SEED)
    from partnerships import nace

    codes = [c for c in nace.table() if len(c) == 5 and c[0].isdigit()]
    return {"queries": planted_queries(queries, rng, codes), "members": members}


# -- measuring -----------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def evaluate(plan: dict, *, runs: int = 3, log=print) -> dict:
    """Precision@10 and times of the search and of the gap suggestions for the plan's queries."""
    from django.test import Client
    from django.utils import timezone

    from escp_portal.accounts.models import Role
    from matchmaking.selectors.suggestions import gap_suggestions
    from partnerships.models import ClusterOrganisation
    from strategy.models import ValueChain, ValueChainStage
    from tests import factories

    suffix = timezone.now().strftime("%H%M%S%f")
    gap_cluster = ClusterOrganisation.objects.create(name=f"Gap cluster {suffix}", country="BE")
    partnership = factories.partnership(f"GAP{suffix}", coordinator=gap_cluster)
    coordinator = factories.user(
        f"bench-{suffix}@example.org", role=Role.COORDINATOR, scope=partnership
    )
    client = Client()
    client.force_login(coordinator)
    chain = ValueChain.objects.create(partnership=partnership, name="Bench chain")

    search_hits, gap_hits, search_ms, gap_ms = [], [], [], []
    for index, q in enumerate(plan["queries"]):
        params = {"competence": q["competence"], "nace": q["nace"], "country": q["country"]}
        body = _get(client, params)
        top = [r["name"] or "" for r in body["results"][:10]]
        search_hits.append(sum(name.startswith("Planted ") for name in top) / 10)
        for _ in range(runs):
            started = time.perf_counter()
            _get(client, params)
            search_ms.append((time.perf_counter() - started) * 1000)
        stage = ValueChainStage.objects.create(
            chain=chain, name=f"{q['competence'].capitalize()} of machine parts", order=index
        )
        stage._prefetched_objects_cache = {"assignments": []}
        started = time.perf_counter()
        (gap,) = gap_suggestions(chain, [stage], per_gap=10)
        gap_ms.append((time.perf_counter() - started) * 1000)
        names = [str(s.obj.name) for s in gap.suggestions[:10]]
        gap_hits.append(sum(n.startswith(f"Planted {q['competence']}") for n in names) / 10)

    others = {}
    first = plan["queries"][0]
    for label, params in {
        "NACE division + country": {"nace": first["nace"][:2], "country": first["country"]},
        "free text (two words)": {"q": first["competence"]},
        "free text (a common word)": {"q": "laser"},
        "competence + export market": {"competence": "precision machining", "export_market": "JP"},
        "country alone": {"country": first["country"]},
    }.items():
        times = []
        for _ in range(max(3, runs)):
            started = time.perf_counter()
            count = _get(client, params)["count"]
            times.append((time.perf_counter() - started) * 1000)
        others[label] = {"median_ms": round(statistics.median(times), 1), "matches": count}
        log(f"  {label}: {others[label]['median_ms']} ms ({count:,} matches)")
    return {
        "queries": len(plan["queries"]),
        "search_precision_at_10": round(statistics.mean(search_hits), 3),
        "gap_precision_at_10": round(statistics.mean(gap_hits), 3),
        "search_median_ms": round(statistics.median(search_ms), 1),
        "search_p95_ms": round(_percentile(search_ms, 0.95), 1),
        "gap_median_ms": round(statistics.median(gap_ms), 1),
        "gap_p95_ms": round(_percentile(gap_ms, 0.95), 1),
        "other_searches": others,
    }


def _get(client, params) -> dict:
    response = client.get("/api/v1/partner-search/", params)
    if response.status_code != 200:
        raise RuntimeError(f"{params}: {response.status_code} {response.content[:300]!r}")
    return response.json()


# -- the command ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--planted", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3, help="timed searches per query")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    url = database_url(args.members)
    created = create_database(url)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="escp_portal.settings.test",
        DJANGO_ALLOWED_HOSTS="testserver,localhost",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Set BENCH_DATABASE_URL or DATABASE_URL to a PostgreSQL server.")
    name = urlsplit(url).path.lstrip("/")
    print(f"{name}: {'created' if created else 'found'}", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    plan = None if created else stored_plan(args.members, args.queries, args.planted)
    if plan is None:
        print(f"generating {args.members:,} findable members …", flush=True)
        plan = generate(args.members, args.queries, args.planted)
    report = {"members": args.members, "planted": args.planted, **evaluate(plan, runs=args.runs)}
    print(
        f"members {args.members:,} · {report['queries']} planted queries x {args.planted}\n"
        f"  search precision@10: {report['search_precision_at_10']:.2f}\n"
        f"  gap suggestions precision@10: {report['gap_precision_at_10']:.2f}\n"
        f"  search (API) median {report['search_median_ms']} ms, p95 {report['search_p95_ms']} ms\n"
        f"  gap suggestions median {report['gap_median_ms']} ms, p95 {report['gap_p95_ms']} ms",
        flush=True,
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
