"""Reads of the joint strategy: query sets and aggregates, no writes. Pages, the API, exports,
emails and other apps read through these; what a user may see is the policy's."""

from .live import live_strategies, live_strategy_id, live_strategy_subquery
from .markets import target_markets_of
from .reporting import (
    CompletenessCell,
    KpiValues,
    Reports,
    derived_trace,
    kpi_measurements,
    kpi_page_sections,
    kpi_values,
    kpis_for,
    locked_until,
    overdue_reports,
    period_locks,
    register_kpi_page_section,
    reminder_recipients,
    reporting_completeness,
    reports_to_remind,
)
from .roadmap import tasks_for
from .value_chain import chain_stages, placeable_members, value_chains_of
from .versions import (
    SMART_RULES,
    SmartCheck,
    current_strategy,
    objectives_for,
    smart_check,
    strategy_overview,
    strategy_versions,
    with_smart_counts,
)

__all__ = [
    "SMART_RULES",
    "CompletenessCell",
    "KpiValues",
    "Reports",
    "SmartCheck",
    "chain_stages",
    "current_strategy",
    "derived_trace",
    "kpi_measurements",
    "kpi_page_sections",
    "kpi_values",
    "kpis_for",
    "live_strategies",
    "live_strategy_id",
    "live_strategy_subquery",
    "locked_until",
    "objectives_for",
    "overdue_reports",
    "period_locks",
    "placeable_members",
    "register_kpi_page_section",
    "reminder_recipients",
    "reporting_completeness",
    "reports_to_remind",
    "smart_check",
    "strategy_overview",
    "strategy_versions",
    "target_markets_of",
    "tasks_for",
    "value_chains_of",
    "with_smart_counts",
]
