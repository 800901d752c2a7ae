"""Reads of the evaluation, scoped by the access policy; nothing here writes.

- ``scoreboards``: a partnership's KPI statuses (stored, or computed without saving), its
  snapshots and totals, reviews and assessments;
- ``statistics``: programme-wide figures and the comparable KPIs of other partnerships;
- ``targets``: a partnership's targets against its actual values, period by period.
"""

from .scoreboards import (
    HISTORY_DAYS,
    Scoreboard,
    assessments,
    differences,
    kpi_statuses,
    live_kpis,
    reporting_completeness,
    reviews,
    scoreboard,
    snapshot_data,
    snapshots,
    stored_statuses,
    totals,
)
from .statistics import (
    MIN_ANONYMOUS,
    comparable_kpis,
    filtered_partnerships,
    members_and_smes,
    members_reached,
    programme_statistics,
)
from .targets import KpiTargets, PeriodTarget, target_table

__all__ = [
    "HISTORY_DAYS",
    "MIN_ANONYMOUS",
    "KpiTargets",
    "PeriodTarget",
    "Scoreboard",
    "assessments",
    "comparable_kpis",
    "differences",
    "filtered_partnerships",
    "kpi_statuses",
    "live_kpis",
    "members_and_smes",
    "members_reached",
    "programme_statistics",
    "reporting_completeness",
    "reviews",
    "scoreboard",
    "snapshot_data",
    "snapshots",
    "stored_statuses",
    "target_table",
    "totals",
]
