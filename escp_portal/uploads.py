"""What an uploaded file really is, from its first bytes and structure rather than its name.

No libmagic: the few types the portal takes have plain signatures (PDF, PNG, JPEG, the old
Office compound file), are ZIP packages with a known part (XLSX, DOCX, OpenDocument), or are text.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
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


# --- size caps ----------------------------------------------------------------------------------


def megabytes(n: int) -> str:
    """A byte cap as people say it: 20 MB, 0.5 MB."""
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0")


def too_large(file, max_bytes: int) -> bool:
    """Whether the upload is larger than ``max_bytes``, by its size alone (nothing is read)."""
    return (getattr(file, "size", None) or 0) > max_bytes


class OversizedUpload(UploadedFile):
    """What is left of a file larger than ``UPLOAD_MAX_BYTES``: its name and size, no content.
    The size checks of each upload refuse it with their message; its content reads as empty."""

    def __init__(self, name, content_type, size, charset=None, content_type_extra=None):
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)


class CappedUploadHandler(FileUploadHandler):
    """The first upload handler: a file larger than ``UPLOAD_MAX_BYTES`` is not received
    further. The handlers after it (memory, temporary file) get its first bytes only, and what
    they kept is dropped; the form receives an ``OversizedUpload`` and says the file is too large.
    The rest of the request is still read, so the fields after the file arrive."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.cap = settings.UPLOAD_MAX_BYTES
        self.over = False

    def receive_data_chunk(self, raw_data, start):
        if self.over or start + len(raw_data) > self.cap:
            self.over = True
            return None  # the handlers after this one get nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if not self.over:
            return None  # the next handler completes the file
        for handler in getattr(self.request, "upload_handlers", ()):
            kept = getattr(handler, "file", None)
            if handler is not self and kept is not None:
                kept.close()  # a temporary file is deleted when closed
                handler.file = None
        return OversizedUpload(
            self.file_name, self.content_type, file_size, self.charset, self.content_type_extra
        )


# --- zip packages (XLSX) ------------------------------------------------------------------------


def check_package_size(stream, *, max_bytes: int, max_ratio: int) -> None:
    """Refuse a ZIP package (an XLSX) that would expand too far, from its directory alone: the
    sizes it declares for its parts (which ``zipfile`` never reads past) in total, and how much
    smaller they are packed. Raises ValidationError; nothing is decompressed."""
    stream.seek(0)
    archive = _zip(stream)
    if archive is None:
        return  # not a package: the content check says so
    with archive:
        infos = archive.infolist()
    stream.seek(0)
    expanded = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if expanded > max_bytes or (expanded > 1024 * 1024 and expanded > max_ratio * max(packed, 1)):
        raise ValidationError(
            _(
                "The workbook unpacks to too much data to be read safely (at most %(mb)s MB "
                "unpacked, and at most %(ratio)s times its packed size): save it again from "
                "Excel, or split it into several files."
            )
            % {"mb": megabytes(max_bytes), "ratio": max_ratio},
            code="expands",
        )
