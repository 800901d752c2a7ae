"""The steps of the partnerships app's directory: partnerships, cluster organisations and the
partners between them."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from .pgcopy import next_id, row_count
from .plan import EU, PARTNERS_PER_PARTNERSHIP, SYNTHETIC, SYNTHETIC_GENERATION


class PartnershipSteps:
    """Mixed into ``Generator``: uses its ``want``, ``rng``, ``now`` and ``step``."""

    def partnerships(self) -> None:
        from partnerships.models import Programme

        missing = self.want["partnerships"] - row_count("partnerships_partnership")
        if missing <= 0:
            return
        programme = Programme.objects.order_by("pk").first()
        first = next_id("partnerships_partnership")
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
        missing = self.want["clusters"] - row_count("partnerships_clusterorganisation")
        if missing <= 0:
            return
        first = next_id("partnerships_clusterorganisation")
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
        first = next_id("partnerships_partner")

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
