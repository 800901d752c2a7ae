"""Every write to the joint strategy, with its rules (``strategy.rules``); pages, the API and
the tasks call these. Keyword-only arguments, the actor first; every change is audited."""

from .markets import (
    MARKET_FIELDS,
    STUDY_FIELDS,
    market_study_save,
    target_market_delete,
    target_market_save,
)
from .reminders import send_reporting_reminders
from .reporting import (
    KPI_FIELDS,
    kpi_create,
    kpi_delete,
    kpi_update,
    measurement_approve,
    measurement_report,
    measurement_return,
    measurements_bulk,
    milestone_delete,
    milestone_save,
    period_lock,
    period_unlock,
)
from .roadmap import TASK_FIELDS, task_create, task_delete, task_update
from .value_chain import assignment_create, assignment_delete, chain_create, stage_create
from .versions import (
    OBJECTIVE_FIELDS,
    STRATEGY_FIELDS,
    objective_create,
    objective_delete,
    objective_update,
    strategy_adopt,
    strategy_create,
    strategy_revise,
    strategy_update,
)

__all__ = [
    "KPI_FIELDS",
    "MARKET_FIELDS",
    "OBJECTIVE_FIELDS",
    "STRATEGY_FIELDS",
    "STUDY_FIELDS",
    "TASK_FIELDS",
    "assignment_create",
    "assignment_delete",
    "chain_create",
    "kpi_create",
    "kpi_delete",
    "kpi_update",
    "market_study_save",
    "measurement_approve",
    "measurement_report",
    "measurement_return",
    "measurements_bulk",
    "milestone_delete",
    "milestone_save",
    "objective_create",
    "objective_delete",
    "objective_update",
    "period_lock",
    "period_unlock",
    "send_reporting_reminders",
    "stage_create",
    "strategy_adopt",
    "strategy_create",
    "strategy_revise",
    "strategy_update",
    "target_market_delete",
    "target_market_save",
    "task_create",
    "task_delete",
    "task_update",
]
