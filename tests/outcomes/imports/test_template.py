"""The spreadsheet template and the round trip of a template through the import."""

import datetime as dt

import pytest

from outcomes.imports.preview import CHANGE, UNCHANGED, files_import
from outcomes.imports.template import template_xlsx
from outcomes.models import ExitReason, PeriodReport, ReportHistory
from tests.factories import InterventionFactory
from tests.outcomes.imports.filedata import cell_of, edited, row_of, saved, workbook_of, year_stored

pytestmark = pytest.mark.django_db


def test_the_template_has_an_instructions_sheet_and_one_sheet_per_quarter_filled_with_what_is_stored(intervention):
    year_stored(intervention)
    workbook = workbook_of(template_xlsx(intervention=intervention, year=2024))
    assert workbook.sheetnames == ["Instruktioner", "2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    q3 = workbook["2024Q3"]
    assert q3["B2"].value == intervention.pk and q3["B3"].value == "2024Q3"
    header = [q3[f"{c}6"].value for c in "ABCDEFG"]
    assert header == ["Del", "Rad", "Kvinnor", "Män", "Annan/ej angivet", "Summa", "Kod"]
    new = row_of(q3, "new")
    assert (q3[f"B{new}"].value, q3[f"C{new}"].value, q3[f"D{new}"].value) == ("Nya deltagare", 2, 1)
    start = row_of(q3, "ongoing_at_start")
    assert (q3[f"C{start}"].value, q3[f"D{start}"].value, q3[f"E{start}"].value) == (5, 4, 0)
    assert q3[f"F{new}"].value == f"=SUM(C{new}:E{new})"
    assert q3[f"C{row_of(q3, 'spent_sek')}"].value == 3000
    assert q3[f"B{row_of(q3, 'exit:employment')}"].value == "Arbete/anställning"


def test_labels_are_locked_and_count_cells_are_open_and_take_only_whole_numbers_from_zero(intervention):
    workbook = workbook_of(template_xlsx(intervention=intervention, year=2024))
    sheet = workbook["2024Q1"]
    assert sheet.protection.sheet
    new = row_of(sheet, "new")
    assert sheet[f"B{new}"].protection.locked and sheet[f"G{new}"].protection.locked
    assert not sheet[f"C{new}"].protection.locked
    validations = [v for v in sheet.data_validations.dataValidation if f"C{new}" in v.sqref]
    assert validations and validations[0].type == "whole" and validations[0].formula1 == "0"


def test_a_monthly_intervention_gets_twelve_sheets_and_a_late_start_only_its_quarters(association):
    monthly = InterventionFactory(association=association, frequency="month")
    late = InterventionFactory(association=association, start=dt.date(2024, 7, 1))
    assert len(workbook_of(template_xlsx(intervention=monthly, year=2024)).sheetnames) == 13
    assert workbook_of(template_xlsx(intervention=late, year=2024)).sheetnames[1:] == ["2024Q3", "2024Q4"]


def test_a_downloaded_template_imported_unchanged_is_four_unchanged_reports(coordinator, intervention):
    year_stored(intervention)
    before = ReportHistory.objects.count()
    content = template_xlsx(intervention=intervention, year=2024)
    preview = files_import(user=coordinator, files=[("mall.xlsx", content)], dry_run=False)
    assert [row.action for row in preview.rows] == [UNCHANGED] * 4
    assert not preview.errors and not any(row.diff for row in preview.rows)
    assert ReportHistory.objects.count() == before


def test_a_template_with_one_count_changed_is_one_changed_report_with_that_cells_diff(coordinator, intervention):
    year_stored(intervention)
    sheet = workbook_of(template_xlsx(intervention=intervention, year=2024))["2024Q1"]
    content = edited(intervention, 2024, {("2024Q1", cell_of(sheet, "ongoing_at_start")): 7})
    preview = files_import(user=coordinator, files=[("mall.xlsx", content)])
    assert [row.action for row in preview.rows] == [CHANGE, UNCHANGED, UNCHANGED, UNCHANGED]
    assert preview.rows[0].diff == [{"label": "Pågående vid periodens början, kvinnor", "old": "3", "new": "7"}]
    # The next quarter now starts from another end than the file's Q1: a warning at its cell.
    assert any("Blad 2024Q2, cell C" in w["message"] for w in preview.rows[1].warnings)
    assert PeriodReport.objects.get(intervention=intervention, period="2024Q1").ongoing_at_start.women == 3


def test_saving_the_changed_template_stores_it_and_history_names_the_file(coordinator, intervention):
    year_stored(intervention)
    sheet = workbook_of(template_xlsx(intervention=intervention, year=2024))["2024Q2"]
    content = edited(intervention, 2024, {("2024Q2", cell_of(sheet, "new", "other")): 2})
    preview = files_import(user=coordinator, files=[("pinnar 2024.xlsx", content)], dry_run=False)
    assert preview.stored
    report = PeriodReport.objects.get(intervention=intervention, period="2024Q2")
    assert report.new.other == 2 and report.status == "draft"
    entry = ReportHistory.objects.get(report=report, field="new.other")
    assert (entry.old, entry.new, entry.reason, entry.user) == ("0", "2", "Från fil: pinnar 2024.xlsx", coordinator)


def test_labels_are_matched_whatever_their_case_and_spacing_and_codes_are_taken_instead(coordinator, intervention):
    workbook = workbook_of(template_xlsx(intervention=intervention, year=2024))
    sheet = workbook["2024Q1"]
    new, employment = row_of(sheet, "new"), row_of(sheet, "exit:employment")
    sheet[f"B{new}"], sheet[f"G{new}"], sheet[f"C{new}"] = "  NYA   deltagare ", None, 1
    sheet[f"B{employment}"], sheet[f"G{employment}"], sheet[f"C{employment}"] = "employment", None, 1
    preview = files_import(user=coordinator, files=[("mall.xlsx", saved(workbook))], dry_run=False)
    assert preview.stored, preview.errors
    report = PeriodReport.objects.get(intervention=intervention, period="2024Q1")
    assert report.new.women == 1 and report.exits.women == 1


def test_a_retired_reason_a_report_already_counts_is_still_read_from_its_label(coordinator, intervention):
    year_stored(intervention)
    ExitReason.objects.filter(association=intervention.association, code="employment").update(active=False)
    content = template_xlsx(intervention=intervention, year=2024)
    preview = files_import(user=coordinator, files=[("mall.xlsx", content)])
    assert [row.action for row in preview.rows] == [UNCHANGED] * 4, preview.errors


def test_empty_sheets_are_not_reports_and_drafts_are_created_only_for_the_filled_ones(coordinator, intervention):
    sheet = workbook_of(template_xlsx(intervention=intervention, year=2024))["2024Q2"]
    content = edited(intervention, 2024, {("2024Q2", cell_of(sheet, "new")): 4})
    preview = files_import(user=coordinator, files=[("mall.xlsx", content)], dry_run=False)
    assert [(row.period, row.action) for row in preview.rows] == [("2024Q2", "create")]
    assert list(PeriodReport.objects.values_list("period", flat=True)) == ["2024Q2"]
