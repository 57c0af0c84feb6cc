"""Helpers of the file-import tests: stored reports, templates edited with openpyxl, CSV text."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from outcomes.imports.csv import HEADER
from outcomes.imports.template import template_xlsx
from outcomes.tallies.services import report_save
from tests.conftest import report_input

GENDER_COLUMN = {"women": "C", "men": "D", "other": "E"}


def year_stored(intervention, year: int = 2024) -> None:
    """Four quarters that keep every rule: each starts where the one before ended."""
    start = (3, 2, 0)
    for quarter in range(1, 5):
        data = report_input(start=start, new=(2, 1, 0), exits={"employment": (1, 0, 0)}, spent_sek=1000 * quarter)
        report_save(intervention=intervention, period_code=f"{year}Q{quarter}", data=data)
        start = (start[0] + 1, start[1] + 1, start[2])


def workbook_of(content: bytes):
    return load_workbook(io.BytesIO(content))


def saved(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row_of(sheet, key: str) -> int:
    """The row whose code column (G) holds ``key`` (``new``, ``exit:employment``, ``spent_sek``)."""
    for row in range(1, sheet.max_row + 1):
        if sheet[f"G{row}"].value == key:
            return row
    raise AssertionError(f"no row {key!r} in {sheet.title}")


def cell_of(sheet, key: str, gender: str = "women") -> str:
    return f"{GENDER_COLUMN[gender]}{row_of(sheet, key)}"


def edited(intervention, year: int, changes: dict[tuple[str, str], object]) -> bytes:
    """The downloaded template with ``{(sheet, cell): value}`` changed, as openpyxl saves it."""
    workbook = workbook_of(template_xlsx(intervention=intervention, year=year))
    for (sheet, cell), value in changes.items():
        workbook[sheet][cell] = value
    return saved(workbook)


def long_csv(lines: list[tuple], *, bom: bool = False) -> bytes:
    text = ";".join(HEADER) + "\n" + "\n".join(";".join("" if v is None else str(v) for v in line) for line in lines)
    return (("\ufeff" if bom else "") + text + "\n").encode()
