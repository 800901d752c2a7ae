"""The steps of the strategy app: adopted strategies with objectives and KPIs, and the KPIs'
reported values."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from .pgcopy import next_id, row_count
from .plan import FIRST_PERIOD, KPIS_PER_OBJECTIVE, SYNTHETIC


def month_ends(first: date, last: date) -> list[date]:
    ends = []
    year, month = first.year, first.month
    while True:
        following = date(year + month // 12, month % 12 + 1, 1)
        end = following - timedelta(days=1)
        if end > last:
            return ends
        ends.append(end)
        year, month = following.year, following.month


class StrategySteps:
    """Mixed into ``Generator``: uses its ``want``, ``rng``, ``now``, ``today``, ``say`` and
    ``step``."""

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
        missing = self.want["kpis"] - row_count("strategy_kpi")
        if not bare or missing <= 0:
            return
        with connection.cursor() as cursor:
            # Synthetic KPIs count SMEs: they count towards the "SMEs involved" core indicator.
            cursor.execute("SELECT id FROM strategy_coreindicator WHERE code = 'smes_involved'")
            found = cursor.fetchone()
        indicator = found[0] if found else None
        per_partnership = math.ceil(missing / len(bare))
        objectives_each = math.ceil(per_partnership / KPIS_PER_OBJECTIVE)
        strategy_id = next_id("strategy_strategy")
        objective_id = next_id("strategy_objective")
        kpi_id = next_id("strategy_kpi")
        strategies, objectives, kpis = [], [], []
        made = 0
        for partnership_id, start, owner in bare:
            if made >= missing:
                break
            strategies.append(
                (strategy_id, partnership_id, 1, "adopted", "", "", start, self.now, self.now, "[]")
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
                            "[]",
                            indicator,
                        )
                    )
                    kpi_id += 1
                    made += 1
                objective_id += 1
            strategy_id += 1
        columns = (
            "id partnership_id version status vision mission adopted_on created_at updated_at "
        )
        columns += "adoption_record"
        self.step("strategies", "strategy_strategy", columns.split(), strategies)
        columns = "id strategy_id code statement start_date target_date owner_id benefits_smes "
        columns += '"order"'
        self.step("objectives", "strategy_objective", columns.split(), objectives)
        columns = "id objective_id name unit kind aggregation direction baseline_value "
        columns += "baseline_date target_value target_date frequency source responsible_id "
        columns += "copied_from_id data_source collection_protocol created_at updated_at "
        columns += "breakdowns core_indicator_id"
        self.step("kpis", "strategy_kpi", columns.split(), kpis)

    def core_links(self) -> None:
        """Synthetic KPIs generated before the core indicators existed get their link."""
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE strategy_kpi SET core_indicator_id ="
                " (SELECT id FROM strategy_coreindicator WHERE code = 'smes_involved')"
                " WHERE core_indicator_id IS NULL AND unit = 'SMEs' AND name LIKE %s",
                [f"{SYNTHETIC} KPI %"],
            )
            if cursor.rowcount:
                self.say(f"  {cursor.rowcount:,} synthetic KPIs linked to SMEs involved")

    def measurements(self) -> None:
        """Monthly values from January 2022, one per KPI, month and partner, until the target
        is reached; 90 % approved, the rest submitted or returned."""
        missing = self.want["measurements"] - row_count("strategy_measurement")
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
        months = month_ends(FIRST_PERIOD, self.today)
        first = next_id("strategy_measurement")
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
