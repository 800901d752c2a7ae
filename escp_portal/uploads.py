"""What an uploaded file really is, from its first bytes and structure rather than its name.

No libmagic: the few types the portal takes have plain signatures (PDF, PNG, JPEG, the old
Office compound file), are ZIP packages with a known part (XLSX, DOCX, OpenDocument), or are text.
"""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and .doc (Office 97-2003)
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "xls": (OLE,),
    "doc": (OLE,),
}
# Office Open XML packages: the part each kind must have.
PACKAGE_PARTS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
OPENDOCUMENT = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
TEXT = {"csv", "txt"}
# Starts of binary formats: a file that starts so is not text, whatever it is named.
BINARY_STARTS = (b"%PDF-", b"PK\x03\x04", OLE, b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF")
LABELS = {
    "pdf": "PDF",
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "xls": "Excel",
    "doc": "Word",
    "xlsx": "Excel (.xlsx)",
    "docx": "Word (.docx)",
    "odt": "OpenDocument text",
    "ods": "OpenDocument spreadsheet",
    "csv": "CSV",
    "txt": "text",
}


def is_text(data: bytes) -> bool:
    """Text in UTF-8 or Windows-1252 (what spreadsheets save CSV in), not a binary file."""
    if b"\x00" in data or data.startswith(BINARY_STARTS):
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zip(stream):
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def is_package(stream, ext: str) -> bool:
    """A ZIP package of the kind ``ext`` names: XLSX and DOCX with their content types and main
    part, OpenDocument with its mimetype entry. Nothing is extracted but that entry."""
    archive = _zip(stream)
    if archive is None:
        return False
    with archive:
        names = set(archive.namelist())
        if ext in PACKAGE_PARTS:
            return "[Content_Types].xml" in names and PACKAGE_PARTS[ext] in names
        if ext in OPENDOCUMENT and "mimetype" in names:
            info = archive.getinfo("mimetype")
            return info.file_size < 100 and archive.read(info).strip() == OPENDOCUMENT[ext].encode()
    return False


def content_matches(stream, ext: str) -> bool:
    """Whether the file's content is of the type its extension ``ext`` names. ``stream`` is a
    seekable binary file; it is left at its start. Unknown extensions do not match."""
    stream.seek(0)
    try:
        if ext in SIGNATURES:
            head = stream.read(16)
            return any(head.startswith(s) for s in SIGNATURES[ext])
        if ext in PACKAGE_PARTS or ext in OPENDOCUMENT:
            return stream.read(4) == b"PK\x03\x04" and is_package(stream, ext)
        if ext in TEXT:
            return is_text(stream.read())
        return False
    finally:
        stream.seek(0)


def check_content(file, ext: str) -> None:
    """Raise a ValidationError with a message when the content is not what ``ext`` says."""
    stream = getattr(file, "file", None) or file
    if ext in LABELS and not content_matches(stream, ext):
        raise ValidationError(
            _(
                "The file's content is not %(kind)s, as its name (.%(ext)s) says: upload the "
                "file itself, not a renamed one."
            )
            % {"kind": LABELS[ext], "ext": ext},
            code="content",
        )
