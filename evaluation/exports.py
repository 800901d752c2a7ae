"""The scoreboard as XLSX and PDF, for funders and boards; the core-indicator roll-up and the
oversight table as XLSX (and CSV).

All are written in the language of the request (the view runs under it): headers, statuses,
outcome kinds and country names are the page's labels, never the stored codes. The PDF embeds
DejaVu Sans, vendored with the project (``escp_portal.pdf``), so that partner names in any
European alphabet print (the PDF core fonts know Latin-1 only: ł, Č or ź came out as black
boxes).
"""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from escp_portal.pdf import FONT, FONT_BOLD, FONT_DIR  # noqa: F401 - FONT_DIR: the fonts it embeds
from escp_portal.pdf import styles as pdf_styles
from escp_portal.spreadsheets import Sheet, csv_bytes, xlsx_bytes

from . import labels


def header() -> list[str]:
    from strategy.models import KPI, Objective

    return [
        str(capfirst(Objective._meta.verbose_name)),
        _("KPI"),
        str(capfirst(KPI._meta.get_field("unit").verbose_name)),
        _("Status"),
        _("Current"),
        _("Target"),
        f"{_('Progress')} (%)",
        f"{_('Expected today')} (%)",
        _("Last value"),
    ]


def _rows(statuses):
    """One row per KPI, with numbers as numbers and the last report as a date."""
    for s in statuses:
        yield [
            s.kpi.objective.code,
            s.kpi.name,
            s.kpi.unit,
            s.get_status_display(),
            s.current_value,
            s.kpi.target_value,
            s.progress,
            s.expected,
            s.last_reported,
        ]


def _summary(totals) -> list[tuple[str, object]]:
    """The totals under the page's own labels, outcomes by kind and by country after them."""
    rows = [
        (_("Members of the partner clusters"), totals.get("members") or 0),
        (_("of which SMEs"), totals.get("smes") or 0),
        (_("Members that took part in missions"), totals.get("members_in_missions") or 0),
        (_("SMEs that took part in missions"), totals.get("smes_in_missions") or 0),
        (_("Missions held"), totals.get("missions_held") or 0),
        (_("Value of outcomes (EUR)"), labels.decimal(totals.get("outcomes_value"))),
    ]
    rows += [
        (f"{_('Outcomes by kind')}: {kind}", n)
        for kind, n in labels.outcome_kinds(totals.get("outcomes_by_kind"))
    ]
    rows += [
        (f"{_('Outcomes by country')}: {country.name}", n)
        for country, n in labels.countries(totals.get("outcomes_by_country"))
    ]
    return rows


def _title(partnership) -> str:
    return _("Scoreboard of %(a)s") % {"a": partnership.acronym}


def scoreboard_xlsx(partnership, statuses, totals) -> bytes:
    today = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    return xlsx_bytes(
        Sheet(
            _("Scoreboard")[:31],
            header(),
            _rows(statuses),
            title=f"{_title(partnership)}, {today}",
        ),
        Sheet(_("Totals")[:31], rows=_summary(totals)),
    )


def _pdf_cell(value, style):
    from reportlab.platypus import Paragraph

    if value is None or value == "":
        return ""
    if hasattr(value, "isoformat"):  # a date
        return date_format(value, "SHORT_DATE_FORMAT")
    if hasattr(value, "as_tuple") or isinstance(value, int | float):
        return labels.amount(value, 2)
    return Paragraph(escape(str(value)), style)


def scoreboard_pdf(partnership, statuses, totals) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = pdf_styles()
    head = styles["Heading6"]
    head.fontName, head.fontSize, head.leading = FONT_BOLD, 9, 11
    body = styles["BodyText"]

    buffer = io.BytesIO()
    title = _title(partnership)
    # The canvas's own starting font too: a PDF that names no core font uses none.
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=title, initialFontName=FONT)
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                f"{partnership.name}. "
                + _("Computed on %(date)s.")
                % {"date": date_format(timezone.localdate(), "DATE_FORMAT")}
            ),
            styles["Normal"],
        ),
        Spacer(1, 12),
    ]
    numeric = range(4, 8)
    data = [[Paragraph(escape(h), head) for h in header()]]
    for row in _rows(statuses):
        cells = [_pdf_cell(v, body) for v in row]
        for i in (6, 7):  # percentages: whole numbers
            cells[i] = "" if row[i] is None else f"{labels.amount(row[i])} %"
        data.append(cells)
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                ("ALIGN", (numeric.start, 1), (numeric.stop - 1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 12), Paragraph(escape(_("Totals")), styles["Heading2"])]
    summary = [
        [Paragraph(escape(label), body), labels.amount(value)] for label, value in _summary(totals)
    ]
    totals_table = Table(summary, hAlign="LEFT")
    totals_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(totals_table)
    document.build(story)
    return buffer.getvalue()


def rollup_xlsx(rollups, *, title: str) -> bytes:
    """The core-indicator roll-up: the totals, then one sheet per split (programme, generation,
    partner country, target country, year)."""
    from django.utils.translation import gettext as _

    from .selectors.rollup import column_label

    totals = rollups[0].totals
    sheets = [
        Sheet(
            _("Totals"),
            [
                _("Code"),
                _("Core indicator"),
                _("Unit"),
                _("Value"),
                _("Target"),
                _("Reached (%)"),
                _("Partnerships"),
                _("KPIs"),
            ],
            [
                [
                    t.indicator.code,
                    t.indicator.name,
                    t.indicator.unit,
                    None if t.value is None else float(t.value),
                    None if t.target is None else float(t.target),
                    t.share,
                    t.partnerships,
                    t.kpis,
                ]
                for t in totals
            ],
            title=title,
        )
    ]
    for rollup in rollups:
        columns = [column_label(rollup.dimension, c) for c in rollup.columns]
        sheets.append(
            Sheet(
                str(rollup.label)[:31],
                [_("Core indicator"), _("Unit"), *columns],
                [
                    [
                        total.indicator.name,
                        total.indicator.unit,
                        *[None if v is None else float(v) for v in cells],
                    ]
                    for total, cells in rollup.rows
                ],
            )
        )
    return xlsx_bytes(*sheets)


OVERSIGHT_HEADER = [
    "Partnership",
    "Programme",
    "Generation",
    "Phase",
    "End date",
    "Strategy adopted",
    "Live KPIs",
    "Off track",
    "At risk",
    "Reports expected",
    "On time",
    "Late",
    "Missing",
    "On time (%)",
    "Last activity",
    "Open reviews",
    "Oldest open review (days)",
    "Silent",
]


def _oversight_rows(rows):
    for row in rows:
        yield [
            row.acronym,
            row.programme,
            row.generation,
            row.phase,
            row.end_date.isoformat() if row.end_date else "",
            "yes" if row.adopted else "no",
            row.kpis,
            row.off_track,
            row.at_risk,
            row.expected,
            row.on_time,
            row.late,
            row.missing,
            "" if row.on_time_rate is None else row.on_time_rate,
            timezone.localtime(row.last_activity).date().isoformat() if row.last_activity else "",
            row.open_reviews,
            "" if row.oldest_review_days is None else row.oldest_review_days,
            ", ".join(row.silent_reasons),
        ]


def oversight_xlsx(rows) -> bytes:
    title = f"Oversight of the partnerships, {timezone.localdate().isoformat()}"
    return xlsx_bytes(
        Sheet("Oversight", OVERSIGHT_HEADER, _oversight_rows(rows), title=title, freeze="B3")
    )


def oversight_csv(rows) -> bytes:
    return csv_bytes(OVERSIGHT_HEADER, _oversight_rows(rows))


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
