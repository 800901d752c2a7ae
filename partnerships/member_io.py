"""Member data in and out of files: the columns, reading CSV and XLSX, checking every row, and
writing a whole import at once.

The same columns serve the template, the export and the import, so that export → edit →
import round-trips; the same checks serve the import page and the API's bulk upsert.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from escp_portal import audit, uploads
from escp_portal.spreadsheets import Sheet, csv_bytes, unescape_formula, xlsx_bytes

from . import nace
from .models import CONTROL_CHARACTERS, ClusterMembership, Competence, Member, size_class_of

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
BATCH = 1000

# (column, help). "id" matches a row to a member of the cluster; is_sme and size_class are
# derived and ignored when read back.
COLUMNS = [
    ("id", gettext_lazy("Portal id of the member; leave empty for a new member")),
    ("name", gettext_lazy("Name (required)")),
    ("kind", gettext_lazy("enterprise, research, university, public_body or other")),
    ("country", gettext_lazy("ISO country code, e.g. DE (required)")),
    ("nuts_region", gettext_lazy("NUTS code of the region, e.g. DE21")),
    ("city", gettext_lazy("City")),
    ("nace_code", gettext_lazy("NACE Rev. 2 code of the main activity, e.g. 62.01")),
    ("employees", gettext_lazy("Persons employed (whole number)")),
    ("annual_turnover", gettext_lazy("Annual turnover in EUR, digits and a dot for decimals")),
    ("balance_sheet_total", gettext_lazy("Balance-sheet total in EUR")),
    ("founded_year", gettext_lazy("Year founded, e.g. 2011")),
    ("competences", gettext_lazy("Competences, separated by ;")),
    ("export_markets", gettext_lazy("Countries it exports to, codes separated by ;")),
    ("website", gettext_lazy("Website")),
    ("contact_name", gettext_lazy("Contact person")),
    ("contact_email", gettext_lazy("Contact email")),
    ("contact_phone", gettext_lazy("Contact phone")),
    ("member_since", gettext_lazy("Date it joined the cluster, YYYY-MM-DD")),
    ("is_sme", gettext_lazy("Derived from the figures; ignored on import")),
    ("size_class", gettext_lazy("Derived from the figures; ignored on import")),
]
COLUMN_NAMES = [name for name, _help in COLUMNS]
DERIVED = {"is_sme", "size_class"}
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
MEMBER_FIELDS = [
    "name",
    "kind",
    "country",
    "nuts_region",
    "city",
    "nace_code",
    "employees",
    "annual_turnover",
    "balance_sheet_total",
    "founded_year",
    "export_markets",
    "website",
    *CONTACT_FIELDS,
]
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


# --- checking rows ------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int  # as the user counts it: the file's line (header = 1), or the API's index
    action: str = ""  # create / update / unchanged
    member_id: int | None = None
    values: dict = field(default_factory=dict)
    competences: list[str] = field(default_factory=list)
    member_since: str | None = None
    changes: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Plan:
    rows: list[RowResult]

    @property
    def errors(self) -> list[dict]:
        return [
            {"row": r.row, "field": f, "message": m}
            for r in self.rows
            for f, messages in r.errors.items()
            for m in messages
        ]

    @property
    def valid(self) -> bool:
        return not any(r.errors for r in self.rows)

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for r in self.rows:
            if r.action:
                counts[r.action] += 1
        return counts


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


def _key(name: str, country: str) -> tuple[str, str]:
    return re.sub(r"\s+", " ", name).strip().casefold(), country


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
    if not re.fullmatch(r"-?\d+", value):
        raise ValidationError(_("Enter a whole number."))
    return int(value)


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


def _parse(raw: dict, result: RowResult) -> dict:
    """Text cells to typed values, with a message per bad cell."""
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


def _comparable(member: Member, name: str):
    value = getattr(member, name)
    if name == "export_markets":
        return sorted(c.code for c in value)
    if name == "country":
        return str(value)
    return value


def plan_import(cluster, raw_rows: list[dict], *, first_row: int = 2) -> Plan:
    """Check every row against the file itself and the cluster's members, writing nothing."""
    existing = {
        m.pk: m
        for m in Member.objects.filter(memberships__cluster=cluster)
        .annotate(member_since=F("memberships__joined_on"))
        .prefetch_related("competences")
    }
    by_key = {_key(m.name, str(m.country)): m for m in existing.values()}
    seen_members: dict[int, int] = {}
    seen_keys: dict[tuple[str, str], int] = {}
    results = []
    for offset, raw in enumerate(raw_rows):
        line = raw.get(LINE) if isinstance(raw, dict) else None
        result = RowResult(row=line if isinstance(line, int) else first_row + offset)
        results.append(result)
        if not isinstance(raw, dict):
            result.errors["row"] = [_("Each row must be an object of column values.")]
            continue
        unknown = sorted(set(raw) - set(COLUMN_NAMES) - {LINE})
        if unknown:
            result.errors["row"] = [_("Unknown columns: %(c)s") % {"c": ", ".join(unknown)}]
        values = _parse(raw, result)
        member = None
        raw_id = raw.get("id")
        try:
            member_id = _integer("" if raw_id is None else _text(raw_id))
        except ValidationError as exc:
            result.errors["id"] = exc.messages
            member_id = None
        if member_id is not None:
            member = existing.get(member_id)
            if member is None:
                result.errors["id"] = [
                    _("No member with id %(id)s in this cluster.") % {"id": member_id}
                ]
        key = _key(values.get("name") or "", values.get("country") or "")
        if values.get("name") and values.get("country"):
            if key in seen_keys and "id" not in result.errors:
                result.errors["name"] = [
                    _("Duplicate of row %(row)s (same name and country).") % {"row": seen_keys[key]}
                ]
            seen_keys.setdefault(key, result.row)
            if member is None and member_id is None:
                member = by_key.get(key)
        if member is not None:
            # Two rows that resolve to one member (by id and by name) would overwrite each other.
            if member.pk in seen_members and not result.errors:
                result.errors["id"] = [
                    _("Row %(row)s already updates this member.") % {"row": seen_members[member.pk]}
                ]
            seen_members.setdefault(member.pk, result.row)
            if member.erased_at:
                result.errors["id"] = [
                    _("This member's data was erased on request; it cannot be imported again.")
                ]
        candidate = Member(**{k: v for k, v in values.items() if k in MEMBER_FIELDS})
        try:
            # Countries were checked above against the code list, far faster than the
            # field's own check against its translated choices.
            candidate.full_clean(
                exclude=["country", "export_markets"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name not in result.errors:
                    result.errors.setdefault(name, []).extend(messages)
        if result.errors:
            continue
        result.values = {name: _comparable(candidate, name) for name in MEMBER_FIELDS}
        if member is None:
            result.action = "create"
            continue
        result.member_id = member.pk
        changes = {}
        for name in MEMBER_FIELDS:
            before, after = _comparable(member, name), result.values[name]
            if before != after:
                changes[name] = [_jsonable(before), _jsonable(after)]
        current = sorted((c.name for c in member.competences.all()), key=str.casefold)
        if sorted(map(slugify, current)) != sorted(map(slugify, result.competences)):
            changes["competences"] = [current, result.competences]
        since = member.member_since.isoformat() if member.member_since else None
        if result.member_since and result.member_since != since:
            changes["member_since"] = [since, result.member_since]
        result.changes = changes
        result.action = "update" if changes else "unchanged"
    return Plan(results)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def plan_to_json(plan: Plan) -> list[dict]:
    """What each row does, kept with the import (contact persons left out)."""
    return [
        {
            "row": r.row,
            "action": r.action,
            "member_id": r.member_id,
            "name": r.values.get("name", ""),
            "changes": {k: v for k, v in r.changes.items() if k not in CONTACT_FIELDS},
            "size_class": size_class_of(
                r.values.get("employees"),
                r.values.get("annual_turnover"),
                r.values.get("balance_sheet_total"),
            )
            if r.values
            else "",
        }
        for r in plan.rows
    ]


# --- writing ------------------------------------------------------------------------------------


def apply_plan(cluster, plan: Plan, *, progress=None) -> dict[str, int]:
    """Write a valid plan in one transaction: all rows or none."""
    if not plan.valid:
        raise ValidationError(_("The rows have errors; nothing was written."))
    counts = plan.counts()
    total = len(plan.rows)
    done = 0
    with transaction.atomic():
        competence_ids = _competence_ids({c for r in plan.rows for c in r.competences})
        creates = [r for r in plan.rows if r.action == "create"]
        updates = [r for r in plan.rows if r.action == "update"]

        new_members = [Member(**r.values) for r in creates]
        for start in range(0, len(new_members), BATCH):
            Member.objects.bulk_create(new_members[start : start + BATCH])
            done += len(new_members[start : start + BATCH])
            if progress:
                progress(done, total)
        for r, member in zip(creates, new_members, strict=True):
            r.member_id = member.pk
        new_memberships = ClusterMembership.objects.bulk_create(
            [
                # With the objects themselves, the audit entry names them without a query each.
                ClusterMembership(member=member, cluster=cluster, joined_on=r.member_since)
                for r, member in zip(creates, new_members, strict=True)
            ],
            batch_size=BATCH,
        )
        # Bulk writes send no signals: the audit trail gets its entries here (the actor is the
        # one set with auditlog's set_actor by the caller).
        audit.log_created([*new_members, *new_memberships])

        changed_fields = sorted({f for r in updates for f in r.changes if f in MEMBER_FIELDS})
        if changed_fields:
            members = []
            now = timezone.now()
            for r in updates:
                members.append(Member(pk=r.member_id, updated_at=now, **r.values))
            for start in range(0, len(members), BATCH):
                batch = members[start : start + BATCH]
                before = Member.objects.in_bulk([m.pk for m in batch])
                Member.objects.bulk_update(batch, [*changed_fields, "updated_at"])
                audit.log_updated((before[m.pk], m) for m in batch)
                done += len(batch)
                if progress:
                    progress(done, total)

        through = Member.competences.through
        retag = [r for r in creates if r.competences] + [
            r for r in updates if "competences" in r.changes
        ]
        through.objects.filter(member_id__in=[r.member_id for r in retag]).delete()
        through.objects.bulk_create(
            [
                through(member_id=r.member_id, competence_id=competence_ids[c])
                for r in retag
                for c in r.competences
            ],
            batch_size=BATCH,
        )
        audit.write(_competence_entries(retag, competence_ids))
        moved = {r.member_id: r.member_since for r in updates if "member_since" in r.changes}
        if moved:
            memberships = list(
                ClusterMembership.objects.filter(member_id__in=moved, cluster=cluster)
            )
            pairs = []
            for membership in memberships:
                pairs.append((copy.copy(membership), membership))
                membership.joined_on = moved[membership.member_id]
            ClusterMembership.objects.bulk_update(memberships, ["joined_on"], batch_size=BATCH)
            audit.log_updated(pairs)
    if progress:
        progress(total, total)
    return counts


def _competence_entries(retag: list[RowResult], competence_ids: dict[str, int]):
    """The m2m entries auditlog writes for ``competences``: what was taken off, what was put on
    (a competence kept under another spelling is neither)."""
    names = dict(
        Competence.objects.filter(pk__in=set(competence_ids.values())).values_list("pk", "name")
    )
    for r in retag:
        before = r.changes.get("competences", [[], []])[0]
        kept = {slugify(n) for n in before}
        after = [names[competence_ids[c]] for c in r.competences]
        new = {slugify(n) for n in after}
        member = Member(pk=r.member_id, name=r.values.get("name", ""))
        yield audit.m2m_entry(
            member, "competences", "delete", [n for n in before if slugify(n) not in new]
        )
        yield audit.m2m_entry(
            member, "competences", "add", [n for n in after if slugify(n) not in kept]
        )


def _competence_ids(names: set[str]) -> dict[str, int]:
    """Competence id per name (matched by slug), creating the ones that are new."""
    slugs = {slugify(n): n for n in names}
    if not slugs:
        return {}
    known = set(Competence.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    Competence.objects.bulk_create(
        [Competence(name=n, slug=s) for s, n in slugs.items() if s not in known],
        ignore_conflicts=True,
    )
    by_slug = dict(Competence.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return {n: by_slug[slugify(n)] for n in names}


# --- writing files ------------------------------------------------------------------------------


def export_rows(members, *, with_contacts) -> list[list]:
    """One list per member, in COLUMNS order. ``members`` carry ``contacts_visible`` when
    ``with_contacts`` is the annotation name rather than a bool."""
    rows = []
    for m in members:
        contacts = getattr(m, "contacts_visible", with_contacts)
        competences = sorted((c.name for c in m.competences.all()), key=str.casefold)
        memberships = getattr(m, "cluster_memberships", None) or []
        membership = memberships[0] if memberships else None
        rows.append(
            [
                m.pk,
                m.name,
                m.kind,
                str(m.country),
                m.nuts_region,
                m.city,
                m.nace_code,
                "" if m.employees is None else m.employees,
                "" if m.annual_turnover is None else str(m.annual_turnover),
                "" if m.balance_sheet_total is None else str(m.balance_sheet_total),
                "" if m.founded_year is None else m.founded_year,
                "; ".join(competences),
                "; ".join(c.code for c in m.export_markets),
                m.website,
                m.contact_name if contacts else "",
                m.contact_email if contacts else "",
                m.contact_phone if contacts else "",
                membership.joined_on.isoformat() if membership and membership.joined_on else "",
                {True: "yes", False: "no", None: ""}[m.is_sme],
                m.size_class,
            ]
        )
    return rows


def write_csv(rows) -> bytes:
    return csv_bytes(COLUMN_NAMES, rows)


def write_xlsx(rows, *, with_help=True) -> bytes:
    sheets = [Sheet("Members", COLUMN_NAMES, rows, freeze="A2")]
    if with_help:
        help_rows = [[name, str(help_text)] for name, help_text in COLUMNS]
        sheets.append(Sheet("Columns", ["column", "what to enter"], help_rows, bold_header=False))
    return xlsx_bytes(*sheets)
