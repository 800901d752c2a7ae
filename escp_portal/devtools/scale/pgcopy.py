"""Writing rows with PostgreSQL's COPY, and the few questions about a table the steps ask."""

from __future__ import annotations

import io

from django.db import connection
from django.utils import timezone


def _text(value) -> str:
    """One field of COPY's text format."""
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )
    return text


# Columns every step may leave out: the moment of the generation fills them (a model that gains
# one, as incremental sync gave ``updated_at`` to more tables, needs no change to the steps).
STAMPS = ("created_at", "updated_at")


def _table_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table]
        )
        return {name for (name,) in cursor.fetchall()}


def copy_rows(table: str, columns: list[str], rows, chunk: int = 100_000) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``table``; returns how many. A time stamp
    column of the table that ``columns`` leaves out gets the time of the copy."""
    missing = [c for c in STAMPS if c not in columns and c in _table_columns(table)]
    if missing:
        now = timezone.now().isoformat()
        columns = [*columns, *missing]
        rows = ((*row, *([now] * len(missing))) for row in rows)
    raw = connection.connection.cursor()
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    count = 0
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_text(v) for v in row))
        buffer.write("\n")
        count += 1
        if count % chunk == 0:
            buffer.seek(0)
            raw.copy_expert(statement, buffer)
            buffer = io.StringIO()
    if buffer.tell():
        buffer.seek(0)
        raw.copy_expert(statement, buffer)
    return count


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def sync_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def row_count(table: str, where: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} {where}")
        return cursor.fetchone()[0]
