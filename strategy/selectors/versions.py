"""Reads of the strategy versions: which one a page shows, with its objectives and their SMART
check."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from escp_portal.rows import per_row
from partnerships.models import Partnership

from ..models import KPI, Objective, Strategy, Task
from .reporting import kpi_values, kpis_for
from .roadmap import tasks_for


def strategy_versions(partnership) -> list[Strategy]:
    """Every version of the partnership's strategy, the newest first."""
    return list(Strategy.objects.filter(partnership=partnership).order_by("-version"))


SMART_RULES = [
    ("S", _("Specific"), _("a statement of at least 30 characters and an owning partner")),
    ("M", _("Measurable"), _("at least one KPI with a target value")),
    ("A", _("Achievable"), _("at least one task on the roadmap that delivers it")),
    ("R", _("Relevant"), _("its dates lie within the partnership's period")),
    ("T", _("Time-bound"), _("a start date and a target date")),
]


def current_strategy(
    partnership, version: int | None = None, versions: list[Strategy] | None = None
) -> Strategy | None:
    """The version asked for, else the adopted one, else the latest, in one query (none when
    ``versions``, all the partnership's strategies newest first, are loaded already)."""
    if versions is None:
        versions = strategy_versions(partnership)
    if version:
        strategy = next((s for s in versions if s.version == version), None)
    else:
        adopted = [s for s in versions if s.status == Strategy.Status.ADOPTED]
        strategy = adopted[0] if adopted else (versions[0] if versions else None)
    if strategy is not None and isinstance(partnership, Partnership):
        strategy.partnership = partnership  # the page has it already
    return strategy


def with_smart_counts(objectives):
    """Objectives with what the SMART check needs, in the same query."""
    kpis = KPI.objects.all()
    return objectives.annotate(
        kpi_count=per_row(kpis, Count("pk"), by="objective"),
        targeted_kpis=per_row(kpis.filter(target_value__isnull=False), Count("pk"), by="objective"),
        task_count=per_row(Task.objects.all(), Count("pk"), by="objective"),
    )


def objectives_for(strategy: Strategy):
    """Objectives with what the SMART check needs, in a fixed number of queries."""
    return with_smart_counts(strategy.objectives.select_related("owner__cluster"))


@dataclass
class SmartCheck:
    letters: dict[str, bool]
    reasons: dict[str, str]

    @property
    def missing(self) -> list[str]:
        return [letter for letter, ok in self.letters.items() if not ok]

    @property
    def complete(self) -> bool:
        return not self.missing


def smart_check(objective: Objective, partnership) -> SmartCheck:
    """Which SMART letters an objective meets; needs ``objectives_for`` annotations."""
    start, end = partnership.start_date, partnership.end_date
    dates = [d for d in (objective.start_date, objective.target_date) if d]
    letters = {
        "S": len(objective.statement.strip()) >= 30 and objective.owner_id is not None,
        "M": getattr(objective, "targeted_kpis", 0) > 0,
        "A": getattr(objective, "task_count", 0) > 0,
        "R": bool(dates)
        and all((start is None or d >= start) and (end is None or d <= end) for d in dates),
        "T": objective.start_date is not None and objective.target_date is not None,
    }
    reasons = {}
    if not letters["S"]:
        reasons["S"] = (
            _("Name the partner that owns it.")
            if objective.owner_id is None
            else _("Say more precisely what will be achieved (30 characters at least).")
        )
    if not letters["M"]:
        reasons["M"] = (
            _("Add a KPI.")
            if not getattr(objective, "kpi_count", 0)
            else _("Give its KPIs a target value.")
        )
    if not letters["A"]:
        reasons["A"] = _("Plan at least one task that delivers it.")
    if not letters["R"]:
        reasons["R"] = (
            _("Set its dates.")
            if not dates
            else _("Its dates fall outside the partnership's period.")
        )
    if not letters["T"]:
        reasons["T"] = _("Set a start date and a target date.")
    return SmartCheck(letters, reasons)


def strategy_overview(partnership, version: int | None = None) -> dict:
    """The overview page of a partnership's strategy: its versions, the one shown
    (``current_strategy``) and its objectives, each with its SMART check, its KPIs with their
    values and its tasks. A fixed number of queries."""
    versions = strategy_versions(partnership)
    strategy = current_strategy(partnership, version, versions=versions)
    if strategy is None:
        return {"strategy": None, "versions": versions}
    objectives = list(objectives_for(strategy))
    kpis = list(kpis_for(strategy))
    values = kpi_values(kpis)
    tasks = list(tasks_for(strategy).prefetch_related(None))  # titles only here
    for objective in objectives:
        objective.smart = smart_check(objective, partnership)
        objective.kpi_rows = [(k, values[k.pk]) for k in kpis if k.objective_id == objective.pk]
        objective.task_list = [t for t in tasks if t.objective_id == objective.pk]
    return {"strategy": strategy, "versions": versions, "objectives": objectives}
