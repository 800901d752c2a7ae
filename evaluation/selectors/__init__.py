"""Reads of the evaluation, scoped by the access policy; nothing here writes.

- ``scoreboards``: a partnership's KPI statuses (stored, or computed without saving), its
  snapshots and totals, reviews and assessments;
- ``statistics``: programme-wide figures and the comparable KPIs of other partnerships;
- ``rollup``: the core indicators added up across partnerships;
- ``oversight``: per partnership, whether it works with its strategy (reports on time, activity,
  open reviews), the silent ones first;
- ``targets``: a partnership's targets against its actual values, period by period.
"""

from .oversight import (
    SORT_CHOICES,
    OversightRow,
    activity_times,
    live_reporting,
    oversight,
    oversight_for,
    reporting_of,
    row_data,
)
from .rollup import (
    DIMENSIONS,
    Rollup,
    core_indicator_rollup,
    core_indicator_rollups,
    core_values,
    core_values_of,
    live_core_values,
)
from .scoreboards import (
    HISTORY_DAYS,
    Scoreboard,
    assessments,
    differences,
    kpi_statuses,
    kpi_statuses_many,
    live_kpis,
    live_kpis_many,
    reporting_completeness,
    reviews,
    scoreboard,
    snapshot_data,
    snapshots,
    stored_statuses,
    totals,
    totals_many,
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
    "DIMENSIONS",
    "HISTORY_DAYS",
    "MIN_ANONYMOUS",
    "SORT_CHOICES",
    "KpiTargets",
    "OversightRow",
    "PeriodTarget",
    "Rollup",
    "Scoreboard",
    "activity_times",
    "assessments",
    "comparable_kpis",
    "core_indicator_rollup",
    "core_indicator_rollups",
    "core_values",
    "core_values_of",
    "differences",
    "filtered_partnerships",
    "kpi_statuses",
    "kpi_statuses_many",
    "live_core_values",
    "live_kpis",
    "live_kpis_many",
    "live_reporting",
    "members_and_smes",
    "members_reached",
    "oversight",
    "oversight_for",
    "programme_statistics",
    "reporting_completeness",
    "reporting_of",
    "reviews",
    "row_data",
    "scoreboard",
    "snapshot_data",
    "snapshots",
    "stored_statuses",
    "target_table",
    "totals",
    "totals_many",
]
