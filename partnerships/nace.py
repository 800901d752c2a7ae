"""NACE Rev. 2, the EU classification of economic activities, from the project's own copy.

Accepted codes: a division (``62``), a group (``62.0``) or a class (``62.01``); ``6201`` and
``62.1`` style spellings are normalised. Sections are letters (``J``) and group divisions.
"""

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "nace_rev2.tsv"


@cache
def table() -> dict[str, str]:
    """Code -> title for sections, divisions, groups and classes."""
    entries: dict[str, str] = {}
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, title = line.split("\t", 1)
        entries[code] = title
    groups: dict[str, list[str]] = {}
    for code in entries:
        if re.fullmatch(r"\d\d\.\d\d", code):
            groups.setdefault(code[:4], []).append(code)
    for group, classes in groups.items():
        # The copy lists no group titles: a one-class group is named by its class, a larger
        # one by its division.
        entries[group] = entries[classes[0]] if len(classes) == 1 else entries[group[:2]]
    return dict(sorted(entries.items()))


@cache
def sections() -> dict[str, str]:
    """Division (``62``) -> its section letter (``J``)."""
    result, current = {}, None
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code = line.split("\t", 1)[0]
        if re.fullmatch(r"[A-U]", code):
            current = code
        elif re.fullmatch(r"\d\d", code):
            result[code] = current
    return result


def normalise(value: str) -> str:
    value = (value or "").strip().upper().replace(" ", "")
    if value[:1].isalpha() and len(value) > 1:  # "J62.01" as some registers write it
        value = value[1:]
    if re.fullmatch(r"\d\.\d{1,2}", value):  # a spreadsheet dropped the leading zero
        value = "0" + value
    if re.fullmatch(r"\d{4}", value):
        value = f"{value[:2]}.{value[2:]}"
    elif re.fullmatch(r"\d{3}", value):
        value = f"{value[:2]}.{value[2]}"
    return value


def validate_nace(value: str) -> None:
    # Section letters group divisions; a member's activity is a numeric code.
    if value and (value not in table() or not value[:1].isdigit()):
        raise ValidationError(
            _("%(code)s is not a NACE Rev. 2 code (e.g. 62.01)."),
            code="invalid_nace",
            params={"code": value},
        )


def validate_sector(value: str) -> None:
    """A section letter (``C``), a division (``62``), a group or a class (``62.01``)."""
    value = (value or "").strip().upper()
    if value and not re.fullmatch(r"[A-U]", value) and normalise(value) not in table():
        raise ValidationError(
            _("Enter a NACE section letter (C), division (62) or code (62.01)."),
            code="invalid_nace",
        )


def sector_list(text: str) -> list[str]:
    """The NACE sections and codes of a text, separated by spaces, commas or semicolons: each
    normalised (``c`` is ``C``, ``6201`` is ``62.01``), in order and once. A ValidationError
    names every piece that is neither, so nothing is kept of a list with a wrong code in it."""
    codes, wrong = [], []
    for piece in re.split(r"[\s,;]+", text or ""):
        if not piece:
            continue
        try:
            validate_sector(piece)
        except ValidationError:
            wrong.append(piece)
            continue
        code = piece.upper()
        codes.append(code if re.fullmatch(r"[A-U]", code) else normalise(code))
    if wrong:
        raise ValidationError(
            _("%(codes)s: enter a NACE section letter (C), division (62) or code (62.01)."),
            code="invalid_nace",
            params={"codes": ", ".join(wrong)},
        )
    return list(dict.fromkeys(codes))


def title(code: str) -> str:
    return table().get(code, "")


def section_of(code: str) -> str:
    return sections().get((code or "")[:2], "")
