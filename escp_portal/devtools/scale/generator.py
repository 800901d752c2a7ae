"""The generator: the steps of every domain in order, in one transaction, timed."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from .members import MemberSteps
from .missions import MissionSteps
from .partnerships import PartnershipSteps
from .pgcopy import copy_rows, sync_sequence
from .plan import targets
from .strategy import StrategySteps


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


class Generator(PartnershipSteps, MemberSteps, StrategySteps, MissionSteps):
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
        sync_sequence(table)
        seconds = time.perf_counter() - started
        self.report.add(name, count, seconds)
        rate = count / seconds if seconds else 0
        self.say(f"  {name:<16} {count:>10,} rows in {seconds:7.1f} s ({rate:,.0f} rows/s)")
        return count

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
            self.core_links()
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
