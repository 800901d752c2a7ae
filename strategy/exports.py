"""Exports of the strategy. The indicator table: objectives, KPIs, baselines, targets and the
value of every period — the sheet M&E people hand to their funders."""

from django.utils import timezone

from escp_portal.spreadsheets import Sheet, xlsx_bytes

from .selectors import kpi_values, kpis_for


def indicator_rows(strategy):
    """Header and rows, in a fixed number of queries whatever the number of periods."""
    kpis = list(kpis_for(strategy))
    values = kpi_values(kpis, until=timezone.localdate())
    periods = sorted({p for v in values.values() for p in v.periods})
    header = [
        "Objective",
        "Objective statement",
        "KPI",
        "Unit",
        "Kind",
        "Source",
        "Responsible partner",
        "Baseline",
        "Baseline date",
        "Target",
        "Target date",
        "Current value",
        *[p.isoformat() for p in periods],
    ]
    rows = []
    for kpi in kpis:
        v = values[kpi.pk]
        rows.append(
            [
                kpi.objective.code,
                kpi.objective.statement,
                kpi.name,
                kpi.unit,
                kpi.get_kind_display(),
                "reported" if kpi.is_manual else kpi.source,
                str(kpi.responsible.cluster) if kpi.responsible else "",
                kpi.baseline_value,
                kpi.baseline_date,
                kpi.target_value,
                kpi.target_date,
                v.current,
                *[v.by_period.get(p) for p in periods],
            ]
        )
    return header, rows


def indicator_table_xlsx(strategy) -> bytes:
    header, rows = indicator_rows(strategy)
    title = (
        f"{strategy.partnership.acronym} — strategy version {strategy.version} "
        f"({strategy.get_status_display()}), {timezone.localdate().isoformat()}"
    )
    return xlsx_bytes(Sheet("Indicators", header, rows, title=title, freeze="D3"))
