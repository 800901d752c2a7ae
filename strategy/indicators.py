"""The indicator table: objectives, KPIs, baselines, targets and the value of every period —
the sheet M&E people hand to their funders."""

import io

from django.utils import timezone

from . import queries


def indicator_rows(strategy):
    """Header and rows, in a fixed number of queries whatever the number of periods."""
    kpis = list(queries.kpis_for(strategy))
    values = queries.kpi_values(kpis, until=timezone.localdate())
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


def _cell(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from partnerships.member_io import escape_formula

    if hasattr(value, "as_tuple"):
        return float(value)
    if isinstance(value, str):
        return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def indicator_table_xlsx(strategy) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = indicator_rows(strategy)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indicators"
    sheet.append(
        [
            f"{strategy.partnership.acronym} — strategy version {strategy.version} "
            f"({strategy.get_status_display()}), {timezone.localdate().isoformat()}"
        ]
    )
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, never a formula
    sheet.freeze_panes = "D3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
