"""Spreadsheets the portal writes (CSV, XLSX): one place that keeps every cell safe.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, so text that starts so gets an apostrophe in front (imports take it off
again); characters XLSX cannot hold are dropped; text cells stay text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """The text an export wrote, read back by an import."""
    if value.startswith("'") and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def xlsx_cell(value):
    """A value as an XLSX cell: decimals as numbers, text cleaned and formula-safe."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    if isinstance(value, str):
        return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (so that Excel reads it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([escape_formula(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass
class Sheet:
    """One sheet: an optional title line above a bold header, then the rows."""

    name: str
    header: Sequence = ()
    rows: Iterable[Sequence] = ()
    title: str = ""
    freeze: str | None = None  # e.g. "A2": the cell below and right of what stays in view
    bold_header: bool = True
    widths: dict[str, float] = field(default_factory=dict)


def xlsx_bytes(*sheets: Sheet) -> bytes:
    """A workbook of the given sheets, every cell through ``xlsx_cell``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.name)
        if spec.title:
            sheet.append([xlsx_cell(spec.title)])
        if spec.header:
            sheet.append([xlsx_cell(v) for v in spec.header])
            if spec.bold_header:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        first_row = sheet.max_row + 1
        for row in spec.rows:
            sheet.append([xlsx_cell(v) for v in row])
        for line in sheet.iter_rows(min_row=first_row):
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, never a formula
        if spec.freeze:
            sheet.freeze_panes = spec.freeze
        for column, width in spec.widths.items():
            sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
