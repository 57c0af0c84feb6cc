"""The counted measures ("Övriga mått") in the template and in both readers, and the template
of a structural intervention (measures, spent and comment only)."""

from dataclasses import replace

import pytest

from outcomes.imports.preview import CHANGE, UNCHANGED, files_import
from outcomes.imports.template import template_xlsx
from outcomes.models import Measure, MeasureCount, PeriodReport, ReportHistory
from outcomes.tallies.inputs import ReportInput
from outcomes.tallies.services import report_save
from tests.factories import InterventionFactory
from tests.outcomes.imports.filedata import edited, long_csv, row_of, saved, workbook_of, year_stored

pytestmark = pytest.mark.django_db

#: Offered for individual interventions by the default catalog: a total and a per-gender measure.
TOTAL_MEASURE, GENDER_MEASURE = "advisory_calls", "referrals"


def measures_stored(intervention, period: str, measures: dict) -> None:
    """``measures`` (code to keys) added to the stored report of ``period``, its counts kept."""
    report = PeriodReport.objects.get(intervention=intervention, period=period)
    data = ReportInput.from_figures(report.figures(), report.comment)
    report_save(
        intervention=intervention, period_code=period, data=replace(data, measures={**data.measures, **measures})
    )


@pytest.fixture
def with_measures(intervention):
    """A stored year whose Q1 counts 22 advisory calls and referrals (3, 0, 1), and Q2 zero calls."""
    year_stored(intervention)
    measures_stored(intervention, "2024Q1", {TOTAL_MEASURE: {"total": 22}, GENDER_MEASURE: {"women": 3, "other": 1}})
    measures_stored(intervention, "2024Q2", {TOTAL_MEASURE: {"total": 0}})
    return intervention


def stored_measures(intervention, period: str) -> dict:
    report = PeriodReport.objects.get(intervention=intervention, period=period)
    return {code: value.values() for code, value in report.figures().measures.items()}


def test_the_template_has_the_measures_offered_for_the_kind_with_what_is_stored(with_measures):
    workbook = workbook_of(template_xlsx(intervention=with_measures, year=2024))
    q1, q2, q3 = workbook["2024Q1"], workbook["2024Q2"], workbook["2024Q3"]
    offered = [m for m in Measure.objects.filter(association=with_measures.association) if m.offered_for("individual")]
    codes = [q1[f"G{r}"].value for r in range(1, q1.max_row + 1) if str(q1[f"G{r}"].value).startswith("measure:")]
    assert sorted(codes) == sorted(f"measure:{m.code}" for m in offered) and len(codes) == 6
    heading = row_of(q1, f"measure:{codes[0].partition(':')[2]}") - 1
    assert q1[f"A{heading}"].value == "Övriga mått"
    calls, referrals = row_of(q1, f"measure:{TOTAL_MEASURE}"), row_of(q1, f"measure:{GENDER_MEASURE}")
    assert q1[f"B{calls}"].value == "Rådgivande samtal utan inskrivning"
    # A total-only measure takes its number in the sum column; its gender cells stay locked.
    assert [q1[f"{c}{calls}"].value for c in "CDEF"] == [None, None, None, 22]
    assert not q1[f"F{calls}"].protection.locked and q1[f"C{calls}"].protection.locked
    assert [q1[f"{c}{referrals}"].value for c in "CDEF"] == [3, 0, 1, f"=SUM(C{referrals}:E{referrals})"]
    # A stored zero is written as 0, a measure not counted is left blank.
    assert q2[f"F{row_of(q2, f'measure:{TOTAL_MEASURE}')}"].value == 0
    assert q3[f"F{row_of(q3, f'measure:{TOTAL_MEASURE}')}"].value is None
    assert [q2[f"{c}{row_of(q2, f'measure:{GENDER_MEASURE}')}"].value for c in "CDE"] == [None, None, None]


def test_a_template_with_measures_imported_unchanged_is_four_unchanged_reports(coordinator, with_measures):
    before = (ReportHistory.objects.count(), MeasureCount.objects.count())
    content = template_xlsx(intervention=with_measures, year=2024)
    preview = files_import(user=coordinator, files=[("mall.xlsx", content)], dry_run=False)
    assert not preview.errors, preview.errors
    assert [row.action for row in preview.rows] == [UNCHANGED] * 4
    assert (ReportHistory.objects.count(), MeasureCount.objects.count()) == before
    assert stored_measures(with_measures, "2024Q2") == {TOTAL_MEASURE: {"total": 0}}


def test_one_measure_cell_edited_is_one_changed_report_with_that_cells_diff(coordinator, with_measures):
    sheet = workbook_of(template_xlsx(intervention=with_measures, year=2024))["2024Q1"]
    cell = f"F{row_of(sheet, f'measure:{TOTAL_MEASURE}')}"
    content = edited(with_measures, 2024, {("2024Q1", cell): 25})
    preview = files_import(user=coordinator, files=[("mall.xlsx", content)])
    assert [row.action for row in preview.rows] == [CHANGE, UNCHANGED, UNCHANGED, UNCHANGED]
    assert preview.rows[0].diff == [{"label": "Rådgivande samtal utan inskrivning, totalt", "old": "22", "new": "25"}]
    assert stored_measures(with_measures, "2024Q1")[TOTAL_MEASURE] == {"total": 22}
    saved_preview = files_import(user=coordinator, files=[("mall.xlsx", content)], dry_run=False)
    assert saved_preview.stored
    assert stored_measures(with_measures, "2024Q1") == {
        TOTAL_MEASURE: {"total": 25},
        GENDER_MEASURE: {"women": 3, "men": 0, "other": 1},
    }


def test_a_measure_left_blank_stays_blank_and_one_filled_with_zero_is_counted(coordinator, intervention):
    sheet = workbook_of(template_xlsx(intervention=intervention, year=2024))["2024Q1"]
    referrals = row_of(sheet, f"measure:{GENDER_MEASURE}")
    changes = {
        ("2024Q1", f"C{row_of(sheet, 'new')}"): 2,
        ("2024Q1", f"C{row_of(sheet, 'breakdown:age_band.unknown')}"): 2,
        ("2024Q1", f"D{referrals}"): 0,
    }
    preview = files_import(user=coordinator, files=[("mall.xlsx", edited(intervention, 2024, changes))], dry_run=False)
    assert preview.stored, preview.errors
    assert stored_measures(intervention, "2024Q1") == {GENDER_MEASURE: {"women": 0, "men": 0, "other": 0}}


@pytest.mark.parametrize(
    ("column", "value", "code", "message"),
    [
        ("F", -3, "negative_count", "Blad 2024Q1, cell F{row}: "),
        ("F", "tre", "not_integer", "Blad 2024Q1, cell F{row}: ”tre” är inte ett heltal."),
        ("D", 4, "measure_split", "Blad 2024Q1, cell D{row}: Måttet ”Rådgivande samtal utan inskrivning” räknas"),
    ],
)
def test_a_bad_measure_cell_is_refused_at_its_sheet_and_cell_and_nothing_is_stored(
    coordinator, with_measures, column, value, code, message
):
    sheet = workbook_of(template_xlsx(intervention=with_measures, year=2024))["2024Q1"]
    row = row_of(sheet, f"measure:{TOTAL_MEASURE}")
    before = (ReportHistory.objects.count(), MeasureCount.objects.count(), stored_measures(with_measures, "2024Q1"))
    content = edited(with_measures, 2024, {("2024Q1", f"{column}{row}"): value})
    preview = files_import(user=coordinator, files=[("mall.xlsx", content)], dry_run=False, submit=True)
    assert not preview.stored
    errors = preview.errors
    assert [(e["code"], e["sheet"], e["cell"]) for e in errors] == [(code, "2024Q1", f"{column}{row}")]
    assert errors[0]["message"].startswith(message.format(row=row))
    after = (ReportHistory.objects.count(), MeasureCount.objects.count(), stored_measures(with_measures, "2024Q1"))
    assert after == before


def test_a_structural_interventions_template_has_only_measures_spent_and_comment(association):
    structural = InterventionFactory(association=association, kind="structural")
    Measure.objects.filter(association=association, code=GENDER_MEASURE).update(kinds=["individual", "structural"])
    sheet = workbook_of(template_xlsx(intervention=structural, year=2024))["2024Q1"]
    codes = [sheet[f"G{r}"].value for r in range(7, sheet.max_row + 1) if sheet[f"G{r}"].value]
    assert codes == [f"measure:{GENDER_MEASURE}", "spent_sek", "comment"]
    sections = [sheet[f"A{r}"].value for r in range(7, sheet.max_row + 1) if sheet[f"A{r}"].value]
    assert sections == ["Övriga mått", "Pengar och kommentar"]
    instructions = " ".join(
        str(c.value)
        for c in workbook_of(template_xlsx(intervention=structural, year=2024))["Instruktioner"]["A"]
        if c.value
    )
    assert "Övriga mått" in instructions and "Pågående" not in instructions  # no participants to tell about


def test_a_structural_template_filled_stores_spending_and_measures_and_refuses_participants(staff, association):
    structural = InterventionFactory(association=association, kind="structural")
    Measure.objects.filter(association=association, code=GENDER_MEASURE).update(kinds=["individual", "structural"])
    workbook = workbook_of(template_xlsx(intervention=structural, year=2024))
    sheet = workbook["2024Q1"]
    sheet[f"C{row_of(sheet, 'spent_sek')}"] = 25310
    sheet[f"C{row_of(sheet, f'measure:{GENDER_MEASURE}')}"] = 2
    preview = files_import(user=staff, files=[("mall.xlsx", saved(workbook))], dry_run=False)
    assert preview.stored, preview.errors
    report = PeriodReport.objects.get(intervention=structural, period="2024Q1")
    assert report.spent_sek == 25310 and report.new.total == 0
    assert stored_measures(structural, "2024Q1") == {GENDER_MEASURE: {"women": 2, "men": 0, "other": 0}}
    # A participant row typed into a structural sheet is refused at its cell.
    last = sheet.max_row + 1
    sheet[f"B{last}"], sheet[f"C{last}"], sheet[f"G{last}"] = "Nya deltagare", 4, "new"
    refused = files_import(user=staff, files=[("mall.xlsx", saved(workbook))], dry_run=False)
    assert not refused.stored
    assert [(e["code"], e["cell"]) for e in refused.errors] == [("structural_no_participants", f"B{last}")]
    assert PeriodReport.objects.get(intervention=structural, period="2024Q1").version == report.version


def test_the_long_csv_reads_measures_per_gender_or_as_a_total_and_blank_lines_stay_blank(staff, intervention):
    lines = [
        (intervention.pk, "2024Q1", "new", None, 1, None, None, None),
        (intervention.pk, "2024Q1", "breakdown", "age_band.unknown", 1, None, None, None),
        (intervention.pk, "2024Q1", "measure", TOTAL_MEASURE, None, None, None, 22),
        (intervention.pk, "2024Q1", "measure", "Inkomna anmälningar", 3, None, 1, None),
        (intervention.pk, "2024Q1", "measure", "work_training", None, None, None, None),
    ]
    preview = files_import(user=staff, files=[("a.csv", long_csv(lines))], dry_run=False)
    assert preview.stored, preview.errors
    assert stored_measures(intervention, "2024Q1") == {
        TOTAL_MEASURE: {"total": 22},
        GENDER_MEASURE: {"women": 3, "men": 0, "other": 1},
    }


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (("measure", TOTAL_MEASURE, 3, None, None, None), "measure_split"),
        (("measure", GENDER_MEASURE, None, None, None, 5), "measure_split"),
        (("measure", TOTAL_MEASURE, None, None, None, -1), "negative_count"),
        (("measure", TOTAL_MEASURE, None, None, None, "tjugo"), "not_integer"),
        (("measure", "no_such_measure", None, None, None, 5), "unknown_code"),
    ],
)
def test_a_bad_measure_line_in_the_csv_is_refused_at_its_line_and_nothing_is_stored(staff, intervention, line, code):
    lines = [
        (intervention.pk, "2024Q1", "new", None, 1, None, None, None),
        (intervention.pk, "2024Q1", "breakdown", "age_band.unknown", 1, None, None, None),
        (intervention.pk, "2024Q1", *line),
    ]
    preview = files_import(user=staff, files=[("a.csv", long_csv(lines))], dry_run=False)
    assert not preview.stored
    assert [(e["code"], e["line"]) for e in preview.errors] == [(code, 4)]
    assert preview.errors[0]["message"].startswith("Rad 4: ")
    assert not PeriodReport.objects.exists() and not MeasureCount.objects.exists()
