"""Synthetic data at programme scale, for benchmarks.

On top of the real partnerships (``load_demo``), ``generate(scale)`` adds made-up partnerships,
cluster organisations, members, strategies with KPIs and reported values, missions,
registrations and outcomes until the database holds ``scale`` per cent of ``TOP``: the size of
the portal if every cluster programme of the Commission ran in it. Rows go in with
PostgreSQL's COPY, in id order, from a seeded random generator: the same scale gives the same
data. Every made-up name says "Synthetic"; nothing is written to the audit trail (no user made
these changes).
"""

from __future__ import annotations

import io
import math
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

TOP = {
    "partnerships": 1_000,
    "clusters": 20_000,
    "members": 1_000_000,
    "kpis": 20_000,
    "measurements": 5_000_000,
    "missions": 50_000,
    "participations": 500_000,
    "outcomes": 200_000,
}
PARTNERS_PER_PARTNERSHIP = 5
KPIS_PER_OBJECTIVE = 4
SYNTHETIC = "Synthetic"
SYNTHETIC_GENERATION = 9  # a call number no real partnership has
EU = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]
THIRD_COUNTRIES = [
    "US",
    "CA",
    "JP",
    "KR",
    "CN",
    "IN",
    "BR",
    "MX",
    "SG",
    "AU",
    "ZA",
    "MA",
    "TR",
    "AE",
    "VN",
    "CL",
]
NACE = ("10.89", "17.21", "20.16", "22.22", "25.62", "26.51", "28.29", "62.01", "71.12", "72.19")
MISSION_KINDS = ("trade_mission", "fact_finding", "b2b", "c2c", "inbound", "outbound")
OUTCOME_KINDS = ("mou", "contract", "project", "opportunity", "investment")
FIRST_PERIOD = date(2022, 1, 31)


def targets(scale: float) -> dict[str, int]:
    """Row counts at ``scale`` per cent of the top scale."""
    return {name: max(1, round(count * scale / 100)) for name, count in TOP.items()}


def counts() -> dict[str, int]:
    """How many rows of each kind of ``TOP`` the database holds."""
    from missions.models import Mission, Outcome, Participation
    from partnerships.models import ClusterOrganisation, Member, Partnership
    from strategy.models import KPI, Measurement

    return {
        "partnerships": Partnership.objects.count(),
        "clusters": ClusterOrganisation.objects.count(),
        "members": Member.objects.count(),
        "kpis": KPI.objects.count(),
        "measurements": Measurement.objects.count(),
        "missions": Mission.objects.count(),
        "participations": Participation.objects.count(),
        "outcomes": Outcome.objects.count(),
    }


@dataclass
class Report:
    steps: list[tuple[str, int, float]] = field(default_factory=list)

    def add(self, name: str, rows: int, seconds: float) -> None:
        self.steps.append((name, rows, seconds))

    @property
    def rows(self) -> int:
        return sum(rows for _name, rows, _s in self.steps)

    @property
    def seconds(self) -> float:
        return sum(s for _name, _rows, s in self.steps)


def _text(value) -> str:
    """One field of COPY's text format."""
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )
    return text


def copy_rows(table: str, columns: list[str], rows, chunk: int = 100_000) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``table``; returns how many."""
    raw = connection.connection.cursor()
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    count = 0
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_text(v) for v in row))
        buffer.write("\n")
        count += 1
        if count % chunk == 0:
            buffer.seek(0)
            raw.copy_expert(statement, buffer)
            buffer = io.StringIO()
    if buffer.tell():
        buffer.seek(0)
        raw.copy_expert(statement, buffer)
    return count


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def _sync_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def _count(table: str, where: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} {where}")
        return cursor.fetchone()[0]


def _month_ends(first: date, last: date) -> list[date]:
    ends = []
    year, month = first.year, first.month
    while True:
        following = date(year + month // 12, month % 12 + 1, 1)
        end = following - timedelta(days=1)
        if end > last:
            return ends
        ends.append(end)
        year, month = following.year, following.month


class Generator:
    def __init__(self, scale: float, stdout=None):
        self.scale = scale
        self.want = targets(scale)
        self.rng = random.Random(20261126)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.stdout = stdout
        self.report = Report()

    def say(self, text: str) -> None:
        if self.stdout:
            self.stdout.write(text)

    def step(self, name: str, table: str, columns: list[str], rows) -> int:
        started = time.perf_counter()
        count = copy_rows(table, columns, rows)
        _sync_sequence(table)
        seconds = time.perf_counter() - started
        self.report.add(name, count, seconds)
        rate = count / seconds if seconds else 0
        self.say(f"  {name:<16} {count:>10,} rows in {seconds:7.1f} s ({rate:,.0f} rows/s)")
        return count

    # -- the steps -----------------------------------------------------------------------

    def partnerships(self) -> None:
        from partnerships.models import Programme

        missing = self.want["partnerships"] - _count("partnerships_partnership")
        if missing <= 0:
            return
        programme = Programme.objects.order_by("pk").first()
        first = _next_id("partnerships_partnership")
        rng = self.rng

        def rows():
            for i in range(missing):
                start = date(2019 + rng.randint(0, 5), rng.choice((1, 4, 7, 10)), 1)
                yield (
                    first + i,
                    f"SYN{first + i:05d}",
                    f"{SYNTHETIC} partnership {first + i:05d}",
                    programme.pk,
                    SYNTHETIC_GENERATION,
                    rng.choice(("preparatory", "implementation", "implementation")),
                    "active",
                    start,
                    start + timedelta(days=365 * rng.randint(2, 4)),
                    rng.randint(200_000, 1_500_000),
                    rng.randint(50, 900),
                    "",
                    "",
                    self.now,
                    self.now,
                )

        columns = "id acronym name programme_id generation phase status start_date end_date "
        columns += "eu_funding sme_count objectives website created_at updated_at"
        self.step("partnerships", "partnerships_partnership", columns.split(), rows())

    def clusters(self) -> None:
        missing = self.want["clusters"] - _count("partnerships_clusterorganisation")
        if missing <= 0:
            return
        first = _next_id("partnerships_clusterorganisation")
        rng = self.rng

        def rows():
            for i in range(missing):
                pk = first + i
                yield (
                    pk,
                    f"{SYNTHETIC} cluster {pk:06d}",
                    f"SC{pk}",
                    EU[pk % len(EU)],
                    "",
                    "",
                    "",
                    rng.randint(20, 400),
                    True,
                    "",
                    self.now,
                    self.now,
                )

        columns = "id name acronym country nuts_region city website declared_member_count "
        columns += "share_member_contacts description created_at updated_at"
        self.step("clusters", "partnerships_clusterorganisation", columns.split(), rows())

    def partners(self) -> None:
        """Synthetic partnerships get five partners each, from the synthetic clusters."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id, p.start_date FROM partnerships_partnership p WHERE p.generation = %s"
                " AND NOT EXISTS (SELECT 1 FROM partnerships_partner x"
                " WHERE x.partnership_id = p.id) ORDER BY p.id",
                [SYNTHETIC_GENERATION],
            )
            bare = cursor.fetchall()
            cursor.execute(
                "SELECT id FROM partnerships_clusterorganisation WHERE name LIKE %s ORDER BY id",
                [f"{SYNTHETIC} cluster %"],
            )
            clusters = [row[0] for row in cursor.fetchall()]
        if not bare or not clusters:
            return
        first = _next_id("partnerships_partner")

        def rows():
            pk = first
            for n, (partnership_id, start) in enumerate(bare):
                for k in range(PARTNERS_PER_PARTNERSHIP):
                    cluster = clusters[(n * PARTNERS_PER_PARTNERSHIP + k) % len(clusters)]
                    role = "coordinator" if k == 0 else "partner"
                    yield (pk, partnership_id, cluster, role, start, None)
                    pk += 1

        columns = ["id", "partnership_id", "cluster_id", "role", "joined_on", "left_on"]
        self.step("partners", "partnerships_partner", columns, rows())

    def members(self) -> None:
        missing = self.want["members"] - _count("partnerships_member")
        if missing <= 0:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, country FROM partnerships_clusterorganisation ORDER BY id")
            clusters = cursor.fetchall()
        first = _next_id("partnerships_member")
        first_membership = _next_id("partnerships_clustermembership")
        rng = self.rng
        placed = []  # (member id, cluster id, joined)

        def rows():
            for i in range(missing):
                pk = first + i
                cluster_id, country = clusters[i % len(clusters)]
                employees = min(int(rng.lognormvariate(3.0, 1.4)), 60_000)
                turnover = employees * rng.randint(60_000, 220_000)
                joined = date(2012, 1, 1) + timedelta(days=rng.randint(0, 5000))
                placed.append((pk, cluster_id, joined))
                markets = ",".join(sorted(rng.sample(THIRD_COUNTRIES, rng.randint(0, 3))))
                yield (
                    pk,
                    f"{SYNTHETIC} member {pk:07d}",
                    rng.choices(("enterprise", "research", "university"), (0.9, 0.07, 0.03))[0],
                    country,
                    "",
                    "",
                    rng.choice(NACE),
                    employees,
                    turnover,
                    None,
                    rng.randint(1950, 2024),
                    markets,
                    "",
                    "",
                    "",
                    "",
                    None,
                    self.now,
                    self.now,
                )

        columns = "id name kind country nuts_region city nace_code employees annual_turnover "
        columns += "balance_sheet_total founded_year export_markets website contact_name "
        columns += "contact_email contact_phone erased_at created_at updated_at"
        self.step("members", "partnerships_member", columns.split(), rows())

        def memberships():
            for n, (member_id, cluster_id, joined) in enumerate(placed):
                yield (first_membership + n, member_id, cluster_id, joined, self.now)

        columns = ["id", "member_id", "cluster_id", "joined_on", "created_at"]
        self.step("memberships", "partnerships_clustermembership", columns, memberships())

    def strategies(self) -> None:
        """An adopted strategy for every partnership that has none, with objectives and KPIs
        until the KPI target is reached, spread evenly."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id, p.start_date, MIN(x.id) FROM partnerships_partnership p"
                " JOIN partnerships_partner x ON x.partnership_id = p.id"
                " WHERE NOT EXISTS (SELECT 1 FROM strategy_strategy s"
                " WHERE s.partnership_id = p.id)"
                " GROUP BY p.id, p.start_date ORDER BY p.id"
            )
            bare = cursor.fetchall()
        missing = self.want["kpis"] - _count("strategy_kpi")
        if not bare or missing <= 0:
            return
        per_partnership = math.ceil(missing / len(bare))
        objectives_each = math.ceil(per_partnership / KPIS_PER_OBJECTIVE)
        strategy_id = _next_id("strategy_strategy")
        objective_id = _next_id("strategy_objective")
        kpi_id = _next_id("strategy_kpi")
        strategies, objectives, kpis = [], [], []
        made = 0
        for partnership_id, start, owner in bare:
            if made >= missing:
                break
            strategies.append(
                (strategy_id, partnership_id, 1, "adopted", "", "", start, self.now, self.now)
            )
            for o in range(objectives_each):
                if made >= missing:
                    break
                objectives.append(
                    (
                        objective_id,
                        strategy_id,
                        f"O{o + 1}",
                        f"{SYNTHETIC} objective {o + 1}: more partner SMEs selling abroad.",
                        date(2022, 1, 1),
                        date(2027, 12, 31),
                        owner,
                        True,
                        o,
                    )
                )
                for k in range(KPIS_PER_OBJECTIVE):
                    if made >= missing:
                        break
                    kpis.append(
                        (
                            kpi_id,
                            objective_id,
                            f"{SYNTHETIC} KPI {o + 1}.{k + 1}",
                            "SMEs",
                            "output",
                            "sum",
                            "increase",
                            0,
                            date(2021, 12, 31),
                            self.rng.randint(50, 500),
                            date(2027, 12, 31),
                            "monthly",
                            "manual",
                            owner,
                            None,
                            "",
                            "",
                            self.now,
                            self.now,
                        )
                    )
                    kpi_id += 1
                    made += 1
                objective_id += 1
            strategy_id += 1
        columns = "id partnership_id version status vision mission adopted_on created_at updated_at"
        self.step("strategies", "strategy_strategy", columns.split(), strategies)
        columns = "id strategy_id code statement start_date target_date owner_id benefits_smes "
        columns += '"order"'
        self.step("objectives", "strategy_objective", columns.split(), objectives)
        columns = "id objective_id name unit kind aggregation direction baseline_value "
        columns += "baseline_date target_value target_date frequency source responsible_id "
        columns += "copied_from_id data_source collection_protocol created_at updated_at"
        self.step("kpis", "strategy_kpi", columns.split(), kpis)

    def measurements(self) -> None:
        """Monthly values from January 2022, one per KPI, month and partner, until the target
        is reached; 90 % approved, the rest submitted or returned."""
        missing = self.want["measurements"] - _count("strategy_measurement")
        if missing <= 0:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT k.id, array_agg(x.id ORDER BY x.id) FROM strategy_kpi k"
                " JOIN strategy_objective o ON o.id = k.objective_id"
                " JOIN strategy_strategy s ON s.id = o.strategy_id"
                " JOIN partnerships_partner x ON x.partnership_id = s.partnership_id"
                " WHERE NOT EXISTS (SELECT 1 FROM strategy_measurement m WHERE m.kpi_id = k.id)"
                " GROUP BY k.id ORDER BY k.id"
            )
            kpis = cursor.fetchall()
        if not kpis:
            return
        months = _month_ends(FIRST_PERIOD, self.today)
        first = _next_id("strategy_measurement")
        rng = self.rng

        def rows():
            pk = first
            made = 0
            for index, (kpi_id, partners) in enumerate(kpis):
                # What one KPI cannot take (few partners) goes to the following ones.
                quota = math.ceil((missing - made) / (len(kpis) - index))
                pairs = [(m, p) for m in months for p in partners][:quota]
                for period_end, partner_id in pairs:
                    if made >= missing:
                        return
                    status = rng.choices(("approved", "submitted", "returned"), (90, 8, 2))[0]
                    reported = timezone.make_aware(
                        datetime.combine(period_end + timedelta(days=5), datetime.min.time())
                    )
                    yield (
                        pk,
                        kpi_id,
                        period_end,
                        partner_id,
                        rng.randint(0, 12),
                        "",
                        "",
                        "",
                        status,
                        "",
                        None,
                        reported,
                        None,
                        reported if status != "submitted" else None,
                        reported,
                    )
                    pk += 1
                    made += 1

        columns = "id kpi_id period_end partner_id value evidence_url evidence_file note status "
        columns += "review_comment reported_by_id reported_at reviewed_by_id reviewed_at updated_at"
        made = self.step("measurements", "strategy_measurement", columns.split(), rows())
        if made < missing:
            self.say(
                f"  only {made:,} of {missing:,} values fit (one per KPI, month and partner): "
                "too few partners or months"
            )

    def missions(self) -> None:
        missing = self.want["missions"] - _count("missions_mission")
        if missing <= 0:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id, array_agg(x.id ORDER BY x.id) FROM partnerships_partnership p"
                " JOIN partnerships_partner x ON x.partnership_id = p.id"
                " GROUP BY p.id ORDER BY p.id"
            )
            partnerships = cursor.fetchall()
        per_partnership = math.ceil(missing / len(partnerships))
        first = _next_id("missions_mission")
        rng = self.rng

        def rows():
            pk = first
            for partnership_id, partners in partnerships:
                for n in range(per_partnership):
                    if pk - first >= missing:
                        return
                    start = date(2019, 1, 1) + timedelta(days=rng.randint(0, 3200))
                    done = start < self.today
                    yield (
                        pk,
                        partnership_id,
                        f"{SYNTHETIC} mission {n + 1}",
                        rng.choice(MISSION_KINDS),
                        rng.choice(THIRD_COUNTRIES),
                        "",
                        start,
                        start + timedelta(days=rng.randint(1, 5)),
                        start - timedelta(days=14),
                        20,
                        partners[n % len(partners)],
                        "",
                        "",
                        "done" if done else "planned",
                        self.now,
                        self.now,
                    )
                    pk += 1

        columns = "id partnership_id title kind country city start_date end_date "
        columns += "registration_deadline capacity organiser_id local_support description status "
        columns += "created_at updated_at"
        self.step("missions", "missions_mission", columns.split(), rows())

    def participations(self) -> None:
        """Members of the partnership's partner clusters register for its missions."""
        missing = self.want["participations"] - _count("missions_participation")
        if missing <= 0:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT m.id, m.partnership_id, m.status FROM missions_mission m"
                " WHERE NOT EXISTS (SELECT 1 FROM missions_participation x"
                " WHERE x.mission_id = m.id) ORDER BY m.id"
            )
            missions = cursor.fetchall()
            cursor.execute(
                "SELECT x.partnership_id, c.member_id, c.cluster_id"
                " FROM partnerships_partner x"
                " JOIN LATERAL (SELECT member_id, cluster_id FROM partnerships_clustermembership"
                "  WHERE cluster_id = x.cluster_id ORDER BY id LIMIT 40) c ON true"
                " ORDER BY x.partnership_id, c.member_id"
            )
            members: dict[int, list] = {}
            for partnership_id, member_id, cluster_id in cursor.fetchall():
                members.setdefault(partnership_id, []).append((member_id, cluster_id))
        if not missions:
            return
        per_mission = math.ceil(missing / len(missions))
        first = _next_id("missions_participation")
        rng = self.rng

        def rows():
            pk = first
            for mission_id, partnership_id, status in missions:
                pool = members.get(partnership_id, [])
                for member_id, cluster_id in rng.sample(pool, min(per_mission, len(pool))):
                    if pk - first >= missing:
                        return
                    state = "attended" if status == "done" else "confirmed"
                    yield (pk, mission_id, member_id, cluster_id, state, None, self.now, "")
                    pk += 1

        columns = "id mission_id member_id cluster_id status registered_by_id registered_at note"
        self.step("participations", "missions_participation", columns.split(), rows())

    def outcomes(self) -> None:
        missing = self.want["outcomes"] - _count("missions_outcome")
        if missing <= 0:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, partnership_id, country, end_date FROM missions_mission"
                " WHERE status = 'done' ORDER BY id"
            )
            missions = cursor.fetchall()
        if not missions:
            return
        per_mission = math.ceil(missing / len(missions))
        first = _next_id("missions_outcome")
        rng = self.rng

        def rows():
            pk = first
            for mission_id, partnership_id, country, end in missions:
                for n in range(per_mission):
                    if pk - first >= missing:
                        return
                    kind = rng.choice(OUTCOME_KINDS)
                    yield (
                        pk,
                        partnership_id,
                        mission_id,
                        kind,
                        f"{SYNTHETIC} counterpart {n + 1}",
                        country,
                        rng.randint(10_000, 2_000_000)
                        if kind in ("contract", "investment")
                        else None,
                        min(end + timedelta(days=rng.randint(7, 300)), self.today),
                        "",
                        "",
                        None,
                        self.now,
                    )
                    pk += 1

        columns = "id partnership_id mission_id kind counterpart counterpart_country value date "
        columns += "description evidence_url recorded_by_id created_at"
        self.step("outcomes", "missions_outcome", columns.split(), rows())

    def run(self) -> Report:
        if connection.vendor != "postgresql":
            raise RuntimeError("The scale generator writes with PostgreSQL's COPY.")
        self.say(f"Generating {self.scale:g} % of the top scale: {self.want}")
        with transaction.atomic():
            self.partnerships()
            self.clusters()
            self.partners()
            self.members()
            self.strategies()
            self.measurements()
            self.missions()
            self.participations()
            self.outcomes()
            # The foreign keys are checked at commit (deferred constraints), row by row.
            started = time.perf_counter()
        self.report.add("commit", 0, time.perf_counter() - started)
        self.say(
            f"  {'commit':<16} {'':>10}  (foreign keys checked) {self.report.steps[-1][2]:.1f} s"
        )
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # VACUUM too, so that counts can be answered from the indexes at once (the
            # visibility map autovacuum would otherwise fill in later).
            cursor.execute("VACUUM ANALYZE" if not connection.in_atomic_block else "ANALYZE")
        self.report.add("vacuum analyze", 0, time.perf_counter() - started)
        self.say(f"  {'vacuum analyze':<16} {'':>10}  {self.report.steps[-1][2]:.1f} s")
        self.say(f"  {self.report.rows:,} rows in {self.report.seconds:.1f} s")
        return self.report


def generate(scale: float, stdout=None) -> Report:
    return Generator(scale, stdout=stdout).run()
