"""The XLSX writer: one sheet per section of a :class:`~reports.exports.document.Document`."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.exports.document import Document, whole
from reports.exports.suppression import MASK

#: Number formats by cell kind, shown with the reader's Swedish locale.
XLSX_FORMATS = {"count": "#,##0", "sek": "#,##0", "share": "0%", "percent": "0%"}
#: Traffic lights as coloured cells with their word.
LIGHT_FILLS = {"green": "9BD39B", "yellow": "F5DC6E", "red": "EE8F8F", "no_data": "DDDDDD"}


def _xlsx_value(cell):
    """One unit per column: a share and a percent (a national average, last year's percent) are
    both fractions under a percent format, a count is a whole number, a light is its word."""
    if cell.masked:
        return MASK
    if cell.kind == "share":
        return float(cell.value.fraction) if cell.value and cell.value.fraction is not None else None
    if cell.kind == "percent":
        return None if cell.value is None else float(cell.value) / 100
    if cell.kind in ("count", "sek"):
        return whole(cell.value)
    if cell.kind == "light":
        return cell.text()
    return cell.value


def _xlsx_text_only(sheet) -> None:
    """Every string of the sheet is stored as text, never as a formula or an error value: names,
    owners, goal and catalog labels are typed by people and must not run (``=HYPERLINK(…)``)."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _cut_at_word(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at the last whole word ("Nya – Unga som varken arbetar"),
    never inside one; a single long word is cut at the limit."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" –-,(") or text[:limit]


def _sheet_title(title: str, used: set[str]) -> str:
    name = _cut_at_word("".join(ch for ch in title if ch not in "[]:*?/\\").strip(), 31) or "Blad"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = _cut_at_word(name, 31 - len(suffix)) + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def to_xlsx(doc: Document) -> bytes:
    """One sheet per section: title and notes above a frozen bold header row, numbers as numbers
    with Swedish grouping and percent formats, masked cells as text, column widths that fit."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for section in doc.sections:
        sheet = workbook.create_sheet(_sheet_title(section.title, used))
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([doc.title])
        header_row = 3
        sheet.append(section.header)
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDDDDD")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(str(h)) for h in section.header]
        for row in section.rows:
            sheet.append([_xlsx_value(cell) for cell in row])
            for column, cell in enumerate(row, start=1):
                target = sheet.cell(row=sheet.max_row, column=column)
                if not cell.masked and cell.kind in XLSX_FORMATS:
                    target.number_format = XLSX_FORMATS[cell.kind]
                if cell.masked:
                    target.alignment = Alignment(horizontal="right")
                if cell.kind == "light" and cell.value in LIGHT_FILLS:
                    target.fill = PatternFill("solid", fgColor=LIGHT_FILLS[cell.value])
                widths[column - 1] = max(widths[column - 1], len(cell.text()) + 1)
        sheet.freeze_panes = f"B{header_row + 1}"  # header row and the name column stay in view
        for note in [section.note, *doc.notes]:
            if note:
                sheet.append([])
                sheet.append([note])
        _xlsx_text_only(sheet)
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60 if column == 1 else 24)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
