"""The scoreboard as XLSX and PDF, for funders and boards."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone

from escp_portal.spreadsheets import Sheet, xlsx_bytes


def _rows(statuses):
    for s in statuses:
        yield [
            s.kpi.objective.code,
            s.kpi.name,
            s.kpi.unit,
            s.get_status_display(),
            None if s.current_value is None else float(s.current_value),
            None if s.kpi.target_value is None else float(s.kpi.target_value),
            None if s.progress is None else float(s.progress),
            float(s.expected),
            s.last_reported.isoformat() if s.last_reported else "",
        ]


HEADER = [
    "Objective",
    "KPI",
    "Unit",
    "Status",
    "Current value",
    "Target",
    "Progress (%)",
    "Expected today (%)",
    "Last reported",
]


def scoreboard_xlsx(partnership, statuses, totals) -> bytes:
    title = f"{partnership.acronym} scoreboard, {timezone.localdate().isoformat()}"
    summary = [
        [key.replace("_", " "), totals.get(key)]
        for key in (
            "members",
            "smes",
            "members_in_missions",
            "smes_in_missions",
            "missions_held",
            "outcomes_value",
        )
    ]
    summary += [
        [f"outcomes: {kind}", n] for kind, n in (totals.get("outcomes_by_kind") or {}).items()
    ]
    return xlsx_bytes(
        Sheet("Scoreboard", HEADER, _rows(statuses), title=title),
        Sheet("Totals", rows=summary),
    )


def scoreboard_pdf(partnership, statuses, totals) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), title=f"{partnership.acronym} scoreboard"
    )
    styles = getSampleStyleSheet()
    story = [
        Paragraph(escape(f"{partnership.acronym} — scoreboard"), styles["Title"]),
        Paragraph(
            escape(f"{partnership.name}. Computed {timezone.localdate().isoformat()}."),
            styles["Normal"],
        ),
        Spacer(1, 12),
    ]
    data = [HEADER] + [
        [
            ""
            if v is None
            else (
                f"{v:g}" if isinstance(v, float) else Paragraph(escape(str(v)), styles["BodyText"])
            )
            for v in row
        ]
        for row in _rows(statuses)
    ]
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 12)]
    story.append(
        Paragraph(
            f"Members of the partner clusters: {totals.get('members', 0)}, of which SMEs: "
            f"{totals.get('smes', 0)}. Missions held: {totals.get('missions_held', 0)}. "
            f"Outcomes value (EUR): {totals.get('outcomes_value', 0)}.",
            styles["Normal"],
        )
    )
    document.build(story)
    return buffer.getvalue()


TARGETS_HEADER = [
    "Objective",
    "KPI",
    "Unit",
    "Period ending",
    "Target by then",
    "Target in the period",
    "Actual in the period",
    "Actual to date",
    "% of target",
]


def targets_xlsx(partnership, table) -> bytes:
    """The target-versus-actual table (``selectors.target_table``), a row per KPI and period."""
    title = f"{partnership.acronym} targets and actuals by period, {timezone.localdate()}"
    rows = (
        [
            row.kpi.objective.code,
            row.kpi.name,
            row.kpi.unit,
            period.period_end,
            period.target,
            period.period_target,
            period.actual,
            period.to_date,
            period.percent,
        ]
        for row in table
        for period in row.periods
    )
    return xlsx_bytes(
        Sheet("Targets", TARGETS_HEADER, rows, title=title, freeze="A3", widths={"B": 40})
    )
