"""The reader of filled templates (XLSX), in openpyxl's read-only mode.

Each period sheet becomes one report body for the JSON import (:class:`FileReport`), with where
each value came from. Refused for the whole file (:class:`~outcomes.imports.files.FileRefused`):
a hidden sheet, merged cells, more than :data:`~outcomes.imports.files.MAX_LINES` rows. Errors
at a cell: a formula where a count belongs (the template's sum cells are formulas and are
ignored), a count that is not a whole number, a label that is not one of the template's (moved or
unknown), personal data in any cell. The counting rules (a measure's split included) are left to
the report service.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from outcomes.imports.files import MAX_LINES, FileRefused
from outcomes.imports.sections import (
    AMOUNT,
    COUNTS,
    TEXT,
    TOTAL,
    BodyBuilder,
    FileReport,
    LineIndex,
    Where,
    counts_from,
    located,
    norm,
    not_visible,
    whole_number,
)
from outcomes.imports.template import COUNT_COLUMNS, HEADER_ROW, INSTRUCTIONS, SUM_COLUMN, SUM_LABEL, header
from outcomes.validators import personal_data_message

_FAILED = object()
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z0-9:]+)"')


def workbook_read(content: bytes, *, index_for) -> list[FileReport]:
    """The reports of a template workbook. ``index_for(intervention_id)`` answers the
    :class:`LineIndex` of the intervention's association, or ``None`` when the id names no
    intervention the user sees (its labels are then not looked up; the import refuses it)."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl and defusedxml raise many kinds for a broken or hostile file
        raise FileRefused("not_supported", _("Filen är ingen läsbar Excel-arbetsbok (.xlsx).")) from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        reports = []
        lines = 0
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                raise FileRefused(
                    "hidden_sheet",
                    _("Arbetsboken har ett dolt blad (”%(name)s”). Ta bort det eller visa det och läs in igen.")
                    % {"name": sheet.title},
                )
            _merged_check(archive, sheet)
            if sheet.title == INSTRUCTIONS:
                continue
            rows = []
            for row in sheet.iter_rows():
                lines += 1
                if lines > MAX_LINES:
                    raise FileRefused("too_many_lines", _("Filen har fler än 10 000 rader. Dela upp den."))
                rows.append(row)
            report = _sheet_read(sheet.title, rows, index_for)
            if report is not None:
                reports.append(report)
        return reports
    finally:
        workbook.close()


def _merged_check(archive: zipfile.ZipFile, sheet) -> None:
    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return
    try:
        data = archive.read(path.lstrip("/"))
    except KeyError:
        return
    found = _MERGE.search(data)
    if found:
        raise FileRefused(
            "merged_cells",
            _(
                "Blad %(sheet)s har sammanfogade celler (%(range)s). "
                "Dela upp dem: varje etikett och antal har sin egen cell."
            )
            % {"sheet": sheet.title, "range": found.group(1).decode()},
        )


def _cells(row) -> dict[str, object]:
    """The row's cells by column letter (empty cells left out)."""
    out = {}
    for position, cell in enumerate(row, start=1):
        if getattr(cell, "value", None) is not None:
            out[get_column_letter(getattr(cell, "column", None) or position)] = cell
    return out


def _value(cells, column):
    cell = cells.get(column)
    return None if cell is None else cell.value


def _is_formula(cell) -> bool:
    return cell is not None and (
        getattr(cell, "data_type", None) == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    )


def _sheet_read(title: str, rows: list, index_for) -> FileReport | None:
    """One period sheet as a report, or ``None`` for a sheet with nothing filled in."""
    grid = {number: _cells(row) for number, row in enumerate(rows, start=1)}
    sheet_place = Where(sheet=title)
    intervention_id, _error = whole_number(_value(grid.get(2, {}), "B"))
    period = _value(grid.get(3, {}), "B")
    builder = BodyBuilder(
        intervention_id,
        str(period or "").strip() or title,
        sheet_place,
        {
            "intervention": Where(sheet=title, cells={"value": "B2"}),
            "period": Where(sheet=title, cells={"value": "B3"}),
        },
    )
    report = FileReport(builder=builder, name=_("Blad %(sheet)s") % {"sheet": title})
    expected = [norm(h) for h in header()]
    found = [norm(_value(grid.get(HEADER_ROW, {}), c)) for c in "ABCDEFG"]
    if found != expected:
        builder.errors.append(
            located(
                sheet_place,
                "moved_labels",
                _("rubrikraden (rad %(row)s) har ändrats eller flyttats. Använd mallen som den laddades ned.")
                % {"row": HEADER_ROW},
            )
        )
        return report
    if intervention_id is None:
        builder.errors.append(
            located(
                builder.places["intervention"],
                "not_found",
                _("cellen ska ange insatsens id."),
                field_name="intervention",
            )
        )
        return report
    _personal_data_check(title, grid, builder)
    index = index_for(intervention_id)
    if index is None:
        not_visible(builder)
        return report
    filled = _lines_read(title, grid, index, builder)
    return report if filled or builder.errors else None


def _personal_data_check(title: str, grid: dict, builder: BodyBuilder) -> None:
    """Every text cell of the sheet; the comment is checked by the report service."""
    for number, cells in grid.items():
        comment_row = str(_value(cells, "G") or "").strip() == "comment"
        for column, cell in cells.items():
            if not isinstance(cell.value, str) or _is_formula(cell) or (comment_row and column == "C"):
                continue
            refusal = personal_data_message(cell.value)
            if refusal:
                where = Where(sheet=title, cells={"value": f"{column}{number}"})
                builder.errors.append(located(where, "personal_data", refusal))


def _lines_read(title: str, grid: dict, index: LineIndex, builder: BodyBuilder) -> int:
    """Put every line of the sheet into the body; answer how many values were filled in."""
    section = None
    filled = 0
    for number in sorted(n for n in grid if n > HEADER_ROW):
        cells = grid[number]
        label, code = _value(cells, "B"), _value(cells, "G")
        if label is None and code is None:
            if _value(cells, "A") is not None:
                section = index.titles.get(norm(_value(cells, "A")))
                if section is None:
                    where = Where(sheet=title, cells={"value": f"A{number}"})
                    message = _("okänd del ”%(label)s”.") % {"label": str(_value(cells, "A"))[:60]}
                    builder.errors.append(located(where, "unknown_label", message))
            elif any(c in cells for c in "CDE"):
                where = Where(sheet=title, cells={"value": f"B{number}"})
                builder.errors.append(located(where, "moved_labels", _("raden har värden men ingen etikett.")))
            continue
        if norm(label) == norm(SUM_LABEL) and code is None:
            continue  # a sum the sheet computes
        line = (index.by_key.get(str(code).strip()) if code is not None else None) or index.find(section, label)
        if line is None:
            where = Where(sheet=title, cells={"value": f"B{number}"})
            message = _("okänd rad ”%(label)s”. Ändra inte etiketterna i mallen.") % {"label": str(label)[:60]}
            builder.errors.append(located(where, "unknown_label", message))
            continue
        filled += _line_put(title, number, cells, line, builder)
    return filled


def _line_put(title: str, number: int, cells: dict, line, builder: BodyBuilder) -> int:
    label_cell = f"B{number}"
    if line.kind in (COUNTS, TOTAL):
        # A measure counted as a total is read from the sum column; its gender cells are read
        # too, so that numbers typed there are refused by the measure's rule at their cell.
        columns = {**COUNT_COLUMNS, "total": SUM_COLUMN} if line.kind == TOTAL else COUNT_COLUMNS
        where = Where(sheet=title, cells={"label": label_cell, **{k: f"{c}{number}" for k, c in columns.items()}})
        values, ok = {}, True
        for key, column in columns.items():
            parsed = _number(cells.get(column), where, key, builder)
            ok = ok and parsed is not _FAILED
            if parsed is not None and parsed is not _FAILED:
                values[key] = parsed
        if values and ok:
            # Blank genders of a filled row are 0; a row left blank is not in the body (a
            # measure is then blank, not zero).
            builder.add(line, counts_from(values) if line.kind == COUNTS else values, where)
        return len(values)
    where = Where(sheet=title, cells={"label": label_cell, "value": f"C{number}"})
    cell = cells.get("C")
    if line.kind == AMOUNT:
        parsed = _number(cell, where, "value", builder)
        if parsed is None or parsed is _FAILED:
            return 0
        builder.add(line, parsed, where)
        return 1
    if line.kind == TEXT and cell is not None and str(cell.value).strip():
        builder.add(line, str(cell.value).strip(), where)
        return 1
    return 0


def _number(cell, where: Where, key: str, builder: BodyBuilder):
    """The cell's whole number, ``None`` for a blank, ``_FAILED`` after recording an error."""
    if cell is None:
        return None
    if _is_formula(cell):
        message = _("en formel (%(f)s) står där ett antal ska stå. Skriv in talet.") % {"f": str(cell.value)[:40]}
        builder.errors.append(located(where, "formula", message, key))
        return _FAILED
    value, error = whole_number(cell.value)
    if error:
        builder.errors.append(located(where, "not_integer", error, key))
        return _FAILED
    return value
