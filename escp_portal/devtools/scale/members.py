"""The step of the clusters' members: companies and research bodies with their memberships."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from .pgcopy import next_id, row_count
from .plan import NACE, SYNTHETIC, THIRD_COUNTRIES


class MemberSteps:
    """Mixed into ``Generator``: uses its ``want``, ``rng``, ``now`` and ``step``."""

    def members(self) -> None:
        missing = self.want["members"] - row_count("partnerships_member")
        if missing <= 0:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, country FROM partnerships_clusterorganisation ORDER BY id")
            clusters = cursor.fetchall()
        first = next_id("partnerships_member")
        first_membership = next_id("partnerships_clustermembership")
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
