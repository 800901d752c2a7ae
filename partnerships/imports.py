"""Reading a member file: CSV or XLSX to rows, and each row's cells to typed values with a
message per bad cell. Nothing here writes; ``services.member_import`` checks the rows against a
cluster's members and writes them.

The file has the columns of the template and the export (``exports.COLUMNS``), so that
export → edit → import round-trips; the API's bulk upsert sends the same columns.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from escp_portal import uploads
from escp_portal.hostile import INT_MAX
from escp_portal.spreadsheets import unescape_formula

from . import nace
from .exports import COLUMN_NAMES
from .models import Member
from .models.members import CONTROL_CHARACTERS, MEMBER_FIELDS

# The caps on a member file are settings (MEMBER_IMPORT_MAX_BYTES, MEMBER_IMPORT_MAX_ROWS,
# XLSX_MAX_UNPACKED_BYTES, XLSX_MAX_RATIO). A CSV line longer than this is refused as it is read.
MAX_LINE_CHARS = 100_000
CHUNK = 64 * 1024

# Countries as the EU writes them in its own statistics.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}


# The line of the file a row came from, kept with the row so that errors name it.
LINE = "_line"


class FileError(ValueError):
    """The file as a whole cannot be read; the message says why."""


# --- reading files ------------------------------------------------------------------------------


def limits() -> dict:
    """The caps on a member file, for the import page and the messages."""
    return {
        "max_mb": uploads.megabytes(settings.MEMBER_IMPORT_MAX_BYTES),
        "max_rows": f"{settings.MEMBER_IMPORT_MAX_ROWS:,}",
    }


def read_table(upload) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX upload as dicts keyed by the normalised column name.

    The file is never read whole: its size is checked first, a workbook's declared unpacked size
    before it is opened, and rows are read one by one until the row cap is passed."""
    name = (getattr(upload, "name", "") or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext not in ("csv", "xlsx"):
        raise FileError(_("Upload a CSV or Excel (.xlsx) file, named .csv or .xlsx."))
    if uploads.too_large(upload, settings.MEMBER_IMPORT_MAX_BYTES):
        raise FileError(
            _("The file is larger than %(mb)s MB; split it into several files.")
            % {"mb": limits()["max_mb"]}
        )
    stream = getattr(upload, "file", None) or upload
    stream.seek(0)
    head = stream.read(4096)
    stream.seek(0)
    # The content must be what the name says: a workbook is a ZIP package with a workbook part,
    # a CSV is text. A renamed file is refused before anything parses it.
    if ext == "xlsx":
        if not uploads.content_matches(stream, "xlsx"):
            raise FileError(
                _(
                    "The file could not be read as CSV or Excel (.xlsx): "
                    "it is not an Excel workbook."
                )
            )
        try:
            uploads.check_package_size(
                stream,
                max_bytes=settings.XLSX_MAX_UNPACKED_BYTES,
                max_ratio=settings.XLSX_MAX_RATIO,
            )
        except ValidationError as error:
            raise FileError(error.messages[0]) from error
    if ext == "csv" and head.startswith(uploads.BINARY_STARTS):
        raise FileError(
            _(
                "The file is named .csv but is not text (a workbook or another binary file): "
                "save it as CSV, or upload the .xlsx workbook."
            )
        )
    if ext == "xlsx":
        return _read_rows(_read_xlsx(stream))
    try:
        return _read_rows(_read_csv(stream, head, "utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:  # not UTF-8 after all: read again as Windows-1252 (what spreadsheets save CSV in)
        return _read_rows(_read_csv(stream, head, "cp1252"))
    except UnicodeDecodeError as exc:
        raise FileError(_("The file is not text in UTF-8.")) from exc


def _read_rows(table) -> list[dict[str, str]]:
    with closing(table):
        try:
            return _rows(table)
        except csv.Error as exc:
            raise FileError(
                _("The file could not be read as CSV: %(error)s") % {"error": str(exc)[:200]}
            ) from exc


def _rows(table) -> list[dict[str, str]]:
    """The header, then the rows, read until the row cap is passed."""
    max_rows = settings.MEMBER_IMPORT_MAX_ROWS
    too_many = _("At most %(n)s rows per file.") % {"n": limits()["max_rows"]}
    first = next(table, None)
    if first is None:
        raise FileError(_("The file is empty."))
    header = [_column_key(h) for h in first]
    missing = [c for c in ("name", "country") if c not in header]
    unknown = [h for h in header if h and h not in COLUMN_NAMES]
    if unknown:
        raise FileError(
            _("Unknown columns: %(columns)s. Use the columns of the template.")
            % {"columns": ", ".join(unknown)}
        )
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise FileError(
            _("Columns appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)}
        )
    if missing:
        raise FileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for line, values in enumerate(table, start=2):
        if line > 2 * max_rows + 1:
            raise FileError(too_many)  # blank lines count too, at twice the rate
        if not any(str(v).strip() for v in values if v is not None):
            continue  # blank lines are not rows, but keep counting them
        if any(
            str(v).strip() for h, v in zip(header, values, strict=False) if not h and v is not None
        ) or (len(values) > len(header) and any(str(v).strip() for v in values[len(header) :])):
            raise FileError(
                _("Line %(line)s has a value in a column without a header.") % {"line": line}
            )
        if len(rows) == max_rows:
            raise FileError(too_many)  # the first row past the cap: nothing more is read
        row = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
        row[LINE] = line
        rows.append(row)
    if not rows:
        raise FileError(_("The file has a header but no rows."))
    return rows


def _column_key(value) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", str(value or "").strip().lower()).strip("_")
    return {"sme": "is_sme", "nace": "nace_code", "turnover": "annual_turnover"}.get(key, key)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value).strip()


class _Raw(io.RawIOBase):
    """An upload as a raw stream for ``io``'s text reader; closing it leaves the upload open."""

    def __init__(self, stream):
        self.stream = stream

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _lines(stream, encoding: str):
    """The file's lines, one at a time (ends kept, as ``csv`` wants them)."""
    text = io.TextIOWrapper(io.BufferedReader(_Raw(stream), CHUNK), encoding, newline="")
    for number in itertools.count(1):
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        if len(line) > MAX_LINE_CHARS:
            raise FileError(
                _(
                    "The file could not be read as CSV: line %(line)s is longer than %(n)s "
                    "characters."
                )
                % {"line": number, "n": f"{MAX_LINE_CHARS:,}"}
            )
        if "\x00" in line:
            raise FileError(_("The file could not be read as CSV or Excel (.xlsx)."))
        yield line


def _read_csv(stream, head: bytes, encoding: str):
    """The records of a CSV file, one list of cells at a time."""
    stream.seek(0)
    try:
        delimiter = (
            csv.Sniffer().sniff(head.decode(encoding, errors="ignore"), delimiters=",;\t").delimiter
        )
    except csv.Error:
        delimiter = ","
    yield from csv.reader(_lines(stream, encoding), delimiter=delimiter, quotechar='"')


def _read_xlsx(stream):
    """The rows of a workbook's first sheet, one tuple of values at a time (streamed: openpyxl's
    read-only mode parses the sheet as it goes)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size may lie; rows are as long as their cells
        rows = sheet.iter_rows(values_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileError(_("The file could not be read as CSV or Excel (.xlsx).")) from exc
    try:
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise FileError(_("The file could not be read as CSV or Excel (.xlsx).")) from exc
            yield row
    finally:
        workbook.close()


# --- reading cells ------------------------------------------------------------------------------


@dataclass
class RowResult:
    """One row: its typed values and the messages of its bad cells; checking it against the
    cluster's members adds what it does (``action``, ``changes``)."""

    row: int  # as the user counts it: the file's line (header = 1), or the API's index
    action: str = ""  # create / update / unchanged
    member_id: int | None = None
    values: dict = field(default_factory=dict)
    competences: list[str] = field(default_factory=list)
    member_since: str | None = None
    changes: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


def check_competences(names: list[str]) -> None:
    """The rule for competence names, shared by the import, the form and the API."""
    if len(names) > 30:
        raise ValidationError(_("At most 30 competences per member."))
    for name in names:
        slug = slugify(name)
        if len(name) > 80 or not slug or len(slug) > 80:
            raise ValidationError(
                _("A competence has at most 80 characters, with letters or digits: %(name)s")
                % {"name": name[:40]}
            )


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|\n]", value or "") if part.strip()]


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


def _country(value: str) -> str:
    code = (value or "").strip().upper()
    code = COUNTRY_ALIASES.get(code, code)
    if code and code not in _country_codes():
        raise ValidationError(_("%(code)s is not an ISO country code.") % {"code": value})
    return code


def _integer(value: str) -> int | None:
    value = (value or "").replace(" ", "").replace("_", "")
    if not value:
        return None
    if not re.fullmatch(r"-?[0-9]+", value):
        raise ValidationError(_("Enter a whole number."))
    # Thousands of digits are more than ``int`` reads; a database integer holds ten.
    number = int(value) if len(value) <= 12 else INT_MAX + 1
    MaxValueValidator(INT_MAX)(number)
    MinValueValidator(-INT_MAX)(number)
    return number


def _decimal(value: str) -> Decimal | None:
    value = (value or "").replace(" ", "").replace("_", "").replace("\u00a0", "")
    if not value:
        return None
    if "," in value:
        raise ValidationError(_("Use digits and a dot for decimals, without thousands separators."))
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValidationError(_("Enter a number.")) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e13"):
        raise ValidationError(_("Enter a number below 10,000,000,000,000."))
    return number.quantize(Decimal("0.01"))


def _kind(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return Member.Kind.ENTERPRISE
    for code, label in Member.Kind.choices:
        if value.lower() in (code, str(label).lower()):
            return code
    raise ValidationError(
        _("Unknown kind %(value)s; use one of: %(choices)s.")
        % {"value": value, "choices": ", ".join(Member.Kind.values)}
    )


def _date(value: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError as exc:
        raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from exc


def _website(value: str) -> str:
    value = (value or "").strip()
    if value and "://" not in value:
        value = f"https://{value}"
    return value


def _text(value) -> str:
    """A cell as text: lists (from the API) joined, control characters refused."""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    value = "" if value is None else str(value)
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(_("Remove the control characters from this value."))
    return unescape_formula(value)


def parse_row(raw: dict, result: RowResult) -> dict:
    """Text cells to typed values, with a message per bad cell (in ``result``)."""
    parsers = {
        "country": _country,
        "export_markets": lambda v: [_country(c) for c in _split(v.replace(",", ";"))],
        "employees": _integer,
        "founded_year": _integer,
        "annual_turnover": _decimal,
        "balance_sheet_total": _decimal,
        "kind": _kind,
        "website": _website,
        "nace_code": nace.normalise,
        "nuts_region": lambda v: (v or "").strip().upper(),
    }
    values = {}
    for name in MEMBER_FIELDS:
        try:
            values[name] = parsers.get(name, lambda v: v.strip())(_text(raw.get(name, "")))
        except ValidationError as exc:
            result.errors.setdefault(name, []).extend(exc.messages)
    try:
        result.member_since = _date(str(raw.get("member_since") or ""))
    except ValidationError as exc:
        result.errors.setdefault("member_since", []).extend(exc.messages)
    try:
        competences = _split(_text(raw.get("competences")))
        check_competences(competences)
    except ValidationError as exc:
        result.errors.setdefault("competences", []).extend(exc.messages)
        competences = []
    result.competences = sorted(set(competences), key=str.casefold)
    return values


def parse_id(value) -> int | None:
    """The ``id`` cell: a member's portal id, or None for a new member."""
    return _integer("" if value is None else _text(value))
