"""The spreadsheet template of one intervention and year (``template.xlsx``).

One sheet per base period of the year within the intervention's time, laid out like the report
form by :func:`outcomes.imports.sections.report_sections`, filled with what is stored, plus an
instructions sheet first. Labels and codes are locked (sheet protection without a password: it
guards against slips, not people); the count cells are unlocked and validated as whole numbers
0 or more, so Excel and LibreOffice refuse "tre" before the service has to. The sums are
formulas the sheet computes itself; the reader ignores them. A measure counted as one total
takes its number in the sum column (as the report form's "Totalt"); its gender cells are locked.
A structural intervention's sheets have no participants: measures, spent and comment only.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from outcomes.counts import GENDER_LABELS, GENDERS
from outcomes.imports.sections import AMOUNT, COUNTS, TEXT, TOTAL, report_sections
from outcomes.limits import MAX_REPORT_COUNT, MAX_REPORT_SEK
from outcomes.models import PeriodReport, ReportStatus
from outcomes.organisations.models import InterventionKind
from outcomes.periods import Period

#: Where things are on a period's sheet (the reader looks for them there).
ID_CELL, PERIOD_CELL, STATUS_CELL = "B2", "B3", "B4"
HEADER_ROW = 6
COLUMNS = ("A", "B", "C", "D", "E", "F", "G")  # section, label, women, men, other, sum, code
COUNT_COLUMNS = {"women": "C", "men": "D", "other": "E"}
VALUE_COLUMN, SUM_COLUMN, CODE_COLUMN, LABEL_COLUMN = "C", "F", "G", "B"
INSTRUCTIONS = "Instruktioner"
SUM_LABEL = "Summa"


def header() -> list[str]:
    return [_("Del"), _("Rad"), *(str(GENDER_LABELS[g]).capitalize() for g in GENDERS), _("Summa"), _("Kod")]


def template_year(value, default: int) -> int | None:
    """The year a template is asked for: four digits from 2000 to 2100, else ``None``."""
    if value in (None, ""):
        return default
    value = str(value).strip()
    if len(value) == 4 and value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


def template_periods(intervention, year: int) -> list[Period]:
    """The base periods of ``year`` within the intervention's time."""
    return [p for p in Period(year, "Y", 1).base_periods(intervention.frequency) if intervention.runs_during(p)]


def template_xlsx(*, intervention, year: int) -> bytes:
    """The template workbook of ``intervention`` and ``year``, filled with the stored reports.

    A year outside the intervention's time gives a workbook with the instructions only."""
    periods = template_periods(intervention, year)
    stored = {
        r.period: r
        for r in PeriodReport.objects.filter(
            intervention=intervention, period__in=[p.code for p in periods]
        ).with_rows()
    }
    workbook = Workbook()
    _instructions(workbook.active, intervention, year, periods)
    for period in periods:
        _period_sheet(workbook.create_sheet(period.code), intervention, period, stored.get(period.code))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _instructions(sheet, intervention, year: int, periods) -> None:
    sheet.title = INSTRUCTIONS
    lines = [
        _("Mall för pinnstatistik: %(name)s, %(year)s") % {"name": intervention.name, "year": year},
        "",
        _("Ett blad per period (%(periods)s). Fyll i antal per kön i de vita cellerna: heltal, 0 eller större.")
        % {"periods": ", ".join(p.code for p in periods) or "-"},
        _("Summorna räknar bladet ut självt; de läses inte in. Ändra inte etiketter, koder eller rubriker."),
        *(
            [_("Lämna ”Pågående vid periodens början” tom så tas den från förra periodens slut.")]
            if intervention.kind != InterventionKind.STRUCTURAL  # its sheets have no participants
            else []
        ),
        _(
            "Övriga mått: lämna raden tom om måttet inte räknats (tomt är inte 0). "
            "Ett mått som räknas totalt fylls i kolumnen Summa."
        ),
        _("Ett blad utan några ifyllda värden läses inte in. Godkända perioder är låsta och lämnas orörda."),
        _("Läs in filen under ”Läs in fil”: du ser först vad som ändras, och sparar sedan allt eller inget."),
        _("Skriv aldrig namn, personnummer eller annat som pekar ut en person."),
    ]
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True


_LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")


def _period_sheet(sheet, intervention, period: Period, report: PeriodReport | None) -> None:
    locked = report is not None and report.status == ReportStatus.APPROVED
    _sheet_head(sheet, intervention, period, report, locked)
    validations = _validations(sheet)
    figures = report.figures() if report else None
    row = HEADER_ROW + 1
    for section in report_sections(intervention, report):
        row = _section_write(sheet, row, section, (report, figures), locked, validations)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 44
    sheet.column_dimensions["G"].width = 30
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.protection.sheet = True


def _sheet_head(sheet, intervention, period: Period, report, locked: bool) -> None:
    """Title, the intervention's id, the period, the status and the header row."""
    sheet["A1"] = f"{intervention.name} – {period.code}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"], sheet[ID_CELL] = _("Insats (id)"), intervention.pk
    sheet["A3"], sheet[PERIOD_CELL] = _("Period"), period.code
    sheet["A4"] = _("Status")
    sheet[STATUS_CELL] = str(report.get_status_display()) if report else _("ej påbörjad")
    if locked:
        sheet["C4"] = _("Godkänd och låst: värdena läses inte in.")
    for column, title in zip(COLUMNS, header(), strict=True):
        sheet[f"{column}{HEADER_ROW}"] = title
        sheet[f"{column}{HEADER_ROW}"].font = Font(bold=True)


def _validations(sheet) -> dict:
    """Whole numbers from 0 for counts and for kronor, as Excel and LibreOffice check them."""
    found = {}
    for kind, maximum, message in (
        (COUNTS, MAX_REPORT_COUNT, _("Ange ett heltal, 0 eller större.")),
        (AMOUNT, MAX_REPORT_SEK, _("Ange hela kronor, 0 eller större.")),
    ):
        validation = DataValidation(
            type="whole", operator="between", formula1="0", formula2=str(maximum), allow_blank=True
        )
        validation.error, validation.showErrorMessage = message, True
        sheet.add_data_validation(validation)
        found[kind] = validation
    return found


def _section_write(sheet, row: int, section, stored: tuple, locked: bool, validations: dict) -> int:
    """The section's title, its lines and its computed sum; answers the next free row.
    ``stored`` is the stored report and its figures (``None`` twice for a period not reported)."""
    report, figures = stored
    sheet[f"A{row}"] = section.title
    sheet[f"A{row}"].font = Font(bold=True)
    row += 1
    first = row
    for line in section.lines:
        sheet[f"{LABEL_COLUMN}{row}"], sheet[f"{CODE_COLUMN}{row}"] = line.label, line.key
        sheet[f"{CODE_COLUMN}{row}"].font = Font(color="888888")
        if line.kind in (COUNTS, TOTAL):
            _counts_write(sheet, row, line, (report, figures), locked, validations[COUNTS])
        elif line.kind == AMOUNT:
            _input(sheet[f"{VALUE_COLUMN}{row}"], figures.spent_sek if figures else None, locked, validations[AMOUNT])
        elif line.kind == TEXT:
            _input(sheet[f"{VALUE_COLUMN}{row}"], (report.comment if report else "") or None, locked, None)
        row += 1
    if section.summed and section.lines:
        sheet[f"{LABEL_COLUMN}{row}"] = SUM_LABEL
        sheet[f"{LABEL_COLUMN}{row}"].font = Font(bold=True)
        for column in (*COUNT_COLUMNS.values(), SUM_COLUMN):
            sheet[f"{column}{row}"] = f"=SUM({column}{first}:{column}{row - 1})"
        row += 1
    return row


def _counts_write(sheet, row: int, line, stored: tuple, locked: bool, validation) -> None:
    """A line of counts: the genders and their computed sum, or for a measure counted as a
    total its number in the sum column and the gender cells locked."""
    report, figures = stored
    values = _stored_counts(figures, line)
    # A stored start of zeros is written as zeros: a blank start continues from the period
    # before, which may differ from what is stored. A stored measure's zero is a value (blank
    # is not), so it is written too.
    keep_zero = (report is not None and line.part == "ongoing_at_start") or (line.part == "measure" and bool(values))
    if line.kind == TOTAL:
        for column in COUNT_COLUMNS.values():
            sheet[f"{column}{row}"].fill = _LOCKED_FILL
        _input(sheet[f"{SUM_COLUMN}{row}"], values.get("total"), locked, validation, keep_zero=keep_zero)
        return
    for gender, column in COUNT_COLUMNS.items():
        value = values.get(gender, 0 if keep_zero else None)
        _input(sheet[f"{column}{row}"], value, locked, validation, keep_zero=keep_zero)
    sheet[f"{SUM_COLUMN}{row}"] = f"=SUM(C{row}:E{row})"


def _stored_counts(figures, line) -> dict:
    if figures is None:
        return {}
    if line.part == "measure":
        value = figures.measures.get(line.code)
        return value.values() if value is not None else {}
    if line.part == "ongoing_at_start":
        counts = figures.ongoing_at_start
    elif line.part == "new":
        counts = figures.new
    elif line.part == "exit":
        counts = figures.exits_by_reason.get(line.code)
    else:
        dimension, _dot, category = line.code.partition(".")
        counts = figures.breakdowns.get(dimension, {}).get(category)
    return counts.as_dict() if counts is not None else {}


def _input(cell, value, locked: bool, validation, *, keep_zero: bool = False) -> None:
    """A cell the owner fills: unlocked (unless the report is approved), validated, zeros blank."""
    cell.value = value if keep_zero or value not in (0, "") else None
    if isinstance(cell.value, str):
        cell.data_type = "s"  # a comment starting with "=" stays text
    if locked:
        cell.fill = _LOCKED_FILL
        return
    cell.protection = Protection(locked=False)
    if validation is not None:
        validation.add(cell)
