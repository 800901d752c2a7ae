"""The steps of the missions app: missions, the members registered for them, and outcomes."""

from __future__ import annotations

import math
from datetime import date, timedelta

from django.db import connection

from .pgcopy import next_id, row_count
from .plan import MISSION_KINDS, OUTCOME_KINDS, SYNTHETIC, THIRD_COUNTRIES


class MissionSteps:
    """Mixed into ``Generator``: uses its ``want``, ``rng``, ``now``, ``today`` and ``step``."""

    def missions(self) -> None:
        missing = self.want["missions"] - row_count("missions_mission")
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
        first = next_id("missions_mission")
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
        missing = self.want["participations"] - row_count("missions_participation")
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
        first = next_id("missions_participation")
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
        missing = self.want["outcomes"] - row_count("missions_outcome")
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
        first = next_id("missions_outcome")
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
