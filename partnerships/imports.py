"""Reading a member file: CSV or XLSX to rows, and each row's cells to typed values with a
message per bad cell. Nothing here writes; ``services.member_import`` checks the rows against a
cluster's members and writes them.

The file has the columns of the template and the export (``exports.COLUMNS``), so that
export → edit → import round-trips; the API's bulk upsert sends the same columns.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

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

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024

# Countries as the EU writes them in its own statistics.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}


# The line of the file a row came from, kept with the row so that errors name it.
LINE = "_line"


class FileError(ValueError):
    """The file as a whole cannot be read; the message says why."""


# --- reading files ------------------------------------------------------------------------------


def read_table(upload) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX upload as dicts keyed by the normalised column name."""
    name = (getattr(upload, "name", "") or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext not in ("csv", "xlsx"):
        raise FileError(_("Upload a CSV or Excel (.xlsx) file, named .csv or .xlsx."))
    too_big = _("The file is larger than 20 MB; split it into several files.")
    if (getattr(upload, "size", None) or 0) > MAX_BYTES:
        raise FileError(too_big)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileError(too_big)
    # The content must be what the name says: a workbook is a ZIP package with a workbook part,
    # a CSV is text. A renamed file is refused before anything parses it.
    if ext == "xlsx" and not uploads.content_matches(io.BytesIO(data), "xlsx"):
        raise FileError(
            _("The file could not be read as CSV or Excel (.xlsx): it is not an Excel workbook.")
        )
    if ext == "csv" and data.startswith(uploads.BINARY_STARTS):
        raise FileError(
            _(
                "The file is named .csv but is not text (a workbook or another binary file): "
                "save it as CSV, or upload the .xlsx workbook."
            )
        )
    table = _read_xlsx(data) if ext == "xlsx" else _read_csv(data)
    if not table:
        raise FileError(_("The file is empty."))
    header = [_column_key(h) for h in table[0]]
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
    for line, values in enumerate(table[1:], start=2):
        if not any(str(v).strip() for v in values if v is not None):
            continue  # blank lines are not rows, but keep counting them
        if any(
            str(v).strip() for h, v in zip(header, values, strict=False) if not h and v is not None
        ) or (len(values) > len(header) and any(str(v).strip() for v in values[len(header) :])):
            raise FileError(
                _("Line %(line)s has a value in a column without a header.") % {"line": line}
            )
        row = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
        row[LINE] = line
        rows.append(row)
    if not rows:
        raise FileError(_("The file has a header but no rows."))
    if len(rows) > MAX_ROWS:
        raise FileError(_("At most %(n)s rows per file.") % {"n": f"{MAX_ROWS:,}"})
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


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise FileError(_("The file is not text in UTF-8."))
    if "\x00" in text:
        raise FileError(_("The file could not be read as CSV or Excel (.xlsx)."))
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"'))
    except csv.Error as exc:
        raise FileError(
            _("The file could not be read as CSV: %(error)s") % {"error": str(exc)[:200]}
        ) from exc


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileError(_("The file could not be read as CSV or Excel (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


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
