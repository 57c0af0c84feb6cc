"""Checks of an uploaded file before anything reads it: kind, size, zip bombs, XML entities.

A file is refused with :class:`FileRefused` (a Swedish message and a stable code) when it is not
an XLSX workbook or a CSV text, is larger than :data:`MAX_FILE_BYTES`, unpacks to more than
:data:`MAX_UNPACKED_BYTES` (or packs more than :data:`MAX_RATIO` times), or declares XML entities
(openpyxl parses with defusedxml as well, which refuses them again).
"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from outcomes.validators import personal_data_message

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # a template packs about 5-10 times; zip bombs thousands of times
MAX_MEMBERS = 500
MAX_LINES = 10_000
XLSX, CSV = "xlsx", "csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv"


class FileRefused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, str(message)

    def as_dict(self) -> dict:
        return {"field": "file", "code": self.code, "message": self.message}


def file_name_check(name: str) -> str:
    """The file's name as history records it; a name holding personal data is refused."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "import"
    refusal = personal_data_message(name)
    if refusal:
        raise FileRefused("personal_data", _("Filnamnet: %(why)s") % {"why": refusal})
    return name


def file_kind(content: bytes) -> str:
    """``xlsx`` or ``csv`` after every check of the raw file; :class:`FileRefused` otherwise."""
    if len(content) > MAX_FILE_BYTES:
        raise FileRefused("too_large", _("Filen är större än 5 MB. Dela upp den i flera filer."))
    if not content.strip():
        raise FileRefused("empty", _("Filen är tom."))
    if content[:4] == b"PK\x03\x04":
        _zip_check(content)
        return XLSX
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            "not_supported", _("Filen är varken en Excel-arbetsbok (.xlsx) eller en CSV-fil i UTF-8.")
        ) from None
    if "\x00" in text:
        raise FileRefused("not_supported", _("Filen är varken en Excel-arbetsbok (.xlsx) eller en CSV-fil i UTF-8."))
    return CSV


def _zip_check(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused("not_supported", _("Filen är ingen läsbar Excel-arbetsbok (.xlsx).")) from None
    if len(members) > MAX_MEMBERS:
        raise FileRefused("suspicious_file", _("Arbetsboken innehåller orimligt många delar och läses inte."))
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(packed, 64 * 1024):
        raise FileRefused(
            "suspicious_file",
            _("Arbetsboken packas upp till orimligt mycket data (%(mb)s MB) och läses inte.")
            % {"mb": unpacked // (1024 * 1024)},
        )
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise FileRefused("not_supported", _("Filen är ingen Excel-arbetsbok (.xlsx)."))
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(member) as part:
                head = part.read(4096)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
            raise FileRefused("not_supported", _("Filen är ingen läsbar Excel-arbetsbok (.xlsx).")) from None
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise FileRefused(
                "xml_entities", _("Arbetsboken innehåller XML-deklarationer (DOCTYPE/ENTITY) och läses inte.")
            )
