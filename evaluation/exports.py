"""The scoreboard as XLSX and PDF, for funders and boards."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone


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
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    from partnerships.member_io import escape_formula

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Scoreboard"
    sheet.append([f"{partnership.acronym} scoreboard, {timezone.localdate().isoformat()}"])
    sheet.append(HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in _rows(statuses):
        sheet.append(
            [
                escape_formula(ILLEGAL_CHARACTERS_RE.sub("", v)) if isinstance(v, str) else v
                for v in row
            ]
        )
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    summary = workbook.create_sheet("Totals")
    for key in (
        "members",
        "smes",
        "members_in_missions",
        "smes_in_missions",
        "missions_held",
        "outcomes_value",
    ):
        summary.append([key.replace("_", " "), totals.get(key)])
    for kind, n in (totals.get("outcomes_by_kind") or {}).items():
        summary.append([f"outcomes: {kind}", n])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
