"""The CSV writer: the sections of a :class:`~reports.exports.document.Document` one after another."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from reports.exports.document import NUMERIC_KINDS, Cell, Document

#: What makes a spreadsheet program read a cell as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(text: str) -> str:
    """Text a spreadsheet program would run as a formula, with the usual leading apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_cell(cell: Cell) -> str:
    """A cell's CSV text; numbers (negative ones too) stay as they are."""
    text = cell.text(csv_style=True)
    number = cell.kind in NUMERIC_KINDS or isinstance(cell.value, int | float | Decimal)
    return text if number and not cell.masked else _csv_safe(text)


def to_csv(doc: Document) -> bytes:
    """UTF-8 with BOM and semicolons, as Swedish spreadsheet programs expect; sections follow one
    another with their title and header, separated by an empty line; decimal comma in shares.
    Text that would start a formula gets a leading apostrophe; numbers are left as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_safe(doc.title)])
    for note in doc.notes:
        writer.writerow([_csv_safe(note)])
    for section in doc.sections:
        writer.writerow([])
        writer.writerow([_csv_safe(section.title)])
        writer.writerow([_csv_safe(str(h)) for h in section.header])
        for row in section.rows:
            writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
