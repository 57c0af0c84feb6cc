"""The long CSV, the staff's bulk import, saving as drafts or submitting, and locked reports."""

import pytest

from outcomes.imports.preview import CREATE, LOCKED, UNCHANGED, files_import
from outcomes.imports.template import template_xlsx
from outcomes.models import PeriodReport, ReportHistory
from outcomes.tallies.services import report_approve, report_submit
from tests.factories import InterventionFactory
from tests.outcomes.imports.filedata import cell_of, edited, long_csv, workbook_of, year_stored

pytestmark = pytest.mark.django_db

SINGLE_VALUED = ("age_band", "education", "income_source", "time_on_support", "uvas", "referrer", "home_municipality")


def _quarter(intervention, period, *, start=None, new=(2, 1, 0), exit_women=1, dimensions=("education",)):
    lines = []
    if start is not None:
        lines.append((intervention.pk, period, "ongoing_at_start", None, *start, None))
    lines += [
        (intervention.pk, period, "new", None, *new, None),
        (intervention.pk, period, "exit", "employment", exit_women, None, None, None),
        *((intervention.pk, period, "breakdown", f"{d}.unknown", *new, None) for d in dimensions),
        (intervention.pk, period, "spent_sek", None, None, None, None, "12 500"),
    ]
    return lines


def test_the_long_csv_makes_one_report_per_intervention_and_period_and_continues_the_start(staff, intervention):
    lines = _quarter(intervention, "2024Q1", start=(4, 3, 0)) + _quarter(intervention, "2024Q2")
    lines.append((intervention.pk, "2024Q2", "comment", "Sammanslaget från två blad", None, None, None, None))
    preview = files_import(user=staff, files=[("historik.csv", long_csv(lines, bom=True))], dry_run=False)
    assert preview.stored, preview.errors
    q1, q2 = PeriodReport.objects.filter(intervention=intervention).order_by("period")
    assert (q1.ongoing_at_start.women, q1.new.women, q1.exits.women, q1.spent_sek) == (4, 2, 1, 12500)
    assert q2.ongoing_at_start.women == 5  # 4 + 2 - 1: continued from 2024Q1's end
    assert q2.comment == "Sammanslaget från två blad"
    assert q2.figures().breakdowns == {"education": {"unknown": q2.new}}


def test_labels_are_accepted_in_the_csv_instead_of_codes(staff, intervention):
    lines = [
        (intervention.pk, "2024q1", "new", None, 1, None, None, None),
        (intervention.pk, "2024q1", "exit", "arbete/ANSTÄLLNING", 1, None, None, None),
        (intervention.pk, "2024q1", "breakdown", "Utbildningsnivå.uppgift saknas", 1, None, None, None),
    ]
    preview = files_import(user=staff, files=[("a.csv", long_csv(lines))], dry_run=False)
    assert preview.stored, preview.errors
    assert PeriodReport.objects.get(period="2024Q1").figures().exits_by_reason["employment"].women == 1


def test_bad_csv_lines_are_named_by_line_and_nothing_is_stored(staff, intervention):
    lines = [
        (intervention.pk, "2024Q1", "new", None, "två", None, None, None),
        (intervention.pk, "2024Q1", "exit", "teleported", 1, None, None, None),
        (intervention.pk, "2024Q1", "measure", "advisory_calls", None, None, None, "tjugo"),
        (intervention.pk, "2024Q1", "visits", None, 1, None, None, None),
        (intervention.pk, "2024Q2", "new", None, 1, None, None, None),
        (intervention.pk, "2024Q2", "new", None, 1, None, None, None),
    ]
    preview = files_import(user=staff, files=[("a.csv", long_csv(lines))], dry_run=False)
    assert not preview.stored and not PeriodReport.objects.exists()
    assert [(e["line"], e["code"]) for e in preview.errors] == [
        (2, "not_integer"),
        (3, "unknown_code"),
        (4, "not_integer"),
        (5, "unknown_part"),
        (7, "duplicate_line"),
    ]
    assert preview.errors[0]["message"] == "Rad 2: ”två” är inte ett heltal."
    summary = preview.summary()
    assert summary["created"] == 0 and [e["line"] for e in summary["errors"]] == [2, 6]


def test_a_csv_with_the_wrong_header_is_refused(staff, intervention):
    preview = files_import(user=staff, files=[("a.csv", b"insats;period\n1;2024Q1\n")], dry_run=False)
    assert [e["code"] for e in preview.refusals] == ["bad_header"]


def test_staff_import_many_interventions_and_years_in_one_commit(staff, association):
    interventions = [InterventionFactory(association=association) for _ in range(3)]
    lines = []
    for intervention in interventions:
        for year in (2021, 2022, 2023):
            for quarter in range(1, 5):
                start = (5, 5, 0) if (year, quarter) == (2021, 1) else None
                lines += _quarter(intervention, f"{year}Q{quarter}", start=start, dimensions=SINGLE_VALUED)
    preview = files_import(user=staff, files=[("alla.csv", long_csv(lines))])
    assert preview.count(CREATE) == 36 and not PeriodReport.objects.exists()
    stored = files_import(user=staff, files=[("alla.csv", long_csv(lines))], dry_run=False, submit=True)
    assert stored.stored, [(r.source, r.period) for r in stored.rows if r.errors]
    assert PeriodReport.objects.filter(status="submitted").count() == 36
    last = PeriodReport.objects.get(intervention=interventions[2], period="2023Q4")
    assert last.ongoing_at_start.women == 5 + 11 * (2 - 1)


def test_a_coordinator_cannot_import_an_intervention_they_are_not_granted(coordinator, teammate_intervention):
    preview = files_import(user=coordinator, files=[("a.csv", long_csv(_quarter(teammate_intervention, "2024Q1")))])
    assert {e["code"] for e in preview.errors} == {"not_found"}


def test_save_and_submit_submits_every_draft_and_history_names_the_file(coordinator, intervention):
    year_stored(intervention)
    report_submit(report=PeriodReport.objects.get(period="2024Q1"), user=None)
    preview = files_import(
        user=coordinator,
        files=[("mall.xlsx", template_xlsx(intervention=intervention, year=2024))],
        dry_run=False,
        submit=True,
    )
    assert preview.stored
    assert set(PeriodReport.objects.values_list("status", flat=True)) == {"submitted"}
    q2 = PeriodReport.objects.get(period="2024Q2")
    assert ReportHistory.objects.filter(report=q2, field="status", new="submitted", user=coordinator).exists()


def test_a_draft_whose_sums_do_not_hold_may_be_saved_but_not_submitted_and_then_nothing_is_stored(
    coordinator, intervention
):
    year_stored(intervention)
    sheet = workbook_of(template_xlsx(intervention=intervention, year=2024))["2024Q3"]
    content = edited(intervention, 2024, {("2024Q3", cell_of(sheet, "breakdown:education.unknown")): 9})
    preview = files_import(user=coordinator, files=[("mall.xlsx", content)], dry_run=False, submit=True)
    assert not preview.stored
    assert [e["code"] for e in preview.errors] == ["dimension_sum"]
    assert PeriodReport.objects.get(period="2024Q3").figures().breakdowns["education"]["unknown"].women == 2
    assert set(PeriodReport.objects.values_list("status", flat=True)) == {"draft"}
    drafts = files_import(user=coordinator, files=[("mall.xlsx", content)], dry_run=False)
    assert drafts.stored and any(w["code"] == "dimension_sum" for w in drafts.rows[2].warnings)
    assert PeriodReport.objects.get(period="2024Q3").figures().breakdowns["education"]["unknown"].women == 9


def test_approved_reports_are_shown_as_locked_and_left_alone(coordinator, staff, intervention):
    year_stored(intervention)
    q1 = PeriodReport.objects.get(period="2024Q1")
    report_approve(report=report_submit(report=q1, user=None), user=staff)
    sheet = workbook_of(template_xlsx(intervention=intervention, year=2024))["2024Q1"]
    content = edited(intervention, 2024, {("2024Q1", cell_of(sheet, "new")): 40})
    preview = files_import(user=coordinator, files=[("mall.xlsx", content)], dry_run=False)
    assert preview.stored
    assert [row.action for row in preview.rows] == [LOCKED, UNCHANGED, UNCHANGED, UNCHANGED]
    q1.refresh_from_db()
    assert q1.new.women == 2 and q1.status == "approved"
