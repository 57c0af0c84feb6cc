"""Measures, the activity log and occupancy in the summary page and the exports."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from outcomes.activities.rules import ActivityInput
from outcomes.activities.services import activity_create
from outcomes.counts import Counts
from outcomes.periods import Period
from outcomes.tallies.services import report_save, report_submit
from reports.exports.layouts import summary_document
from reports.exports.services import render_document
from reports.exports.suppression import MASK
from reports.summaries.selectors import association_summary
from tests.conftest import report_input
from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.webforms import signed_in
from tests.reports.summary_data import lekeberg

pytestmark = pytest.mark.django_db


def structural_year(association):
    structural = InterventionFactory(association=association, kind="structural", name="Strukturinsatsen")
    activity_create(
        intervention=structural,
        data=ActivityInput(
            date=dt.date(2024, 10, 5),
            title="Finsammässan",
            kind="conference",
            attendees=220,
            attendees_by_gender=Counts(150, 68, 2),
        ),
    )
    activity_create(
        intervention=structural,
        data=ActivityInput(date=dt.date(2024, 3, 1), title="Nätverksträff", kind="network", attendees=10),
    )
    report_submit(
        report=report_save(intervention=structural, period_code="2024Q4", data=report_input(spent_sek=25310)).report
    )
    return structural


def sheet_rows(workbook, name):
    return [[c.value for c in row] for row in workbook[name].iter_rows(min_row=2)]


def test_the_xlsx_has_measures_with_uppgift_saknas_the_activity_log_and_occupancy(association):
    individual = lekeberg(association)
    individual.places = 20
    individual.save()
    structural_year(association)
    summary = association_summary(association=association, period=Period.parse("2024"))
    workbook = load_workbook(io.BytesIO(render_document(summary_document(summary), "xlsx")))
    activities = sheet_rows(workbook, "Aktiviteter")
    fair_row = next(r for r in activities if r[0] == "Strukturinsatsen")
    assert fair_row[3] == 230 and fair_row[-1] == "Nätverksträff (10), Finsammässan (220)"
    occupancy = next(r for r in sheet_rows(workbook, "Beläggning") if r[0] == "Coachingteamet Lekeberg")
    assert occupancy[1:3] == [20, 16]  # 16 ongoing at the end of 2024 of 20 places
    assert all(r[0] != "Strukturinsatsen" for r in sheet_rows(workbook, "Deltagare under perioden"))


def test_publication_masks_small_attendee_counts_by_gender(association):
    structural_year(association)
    summary = association_summary(association=association, period=Period.parse("2024"))
    workbook = load_workbook(io.BytesIO(render_document(summary_document(summary, publish=True), "xlsx")))
    row = next(r for r in sheet_rows(workbook, "Aktiviteter") if r[0] == "Strukturinsatsen")
    women, men, other = row[4:7]
    assert other == MASK  # 2 people of another or no stated gender
    # Only the fair was split (220 of 230 attendees), so no sum gives the 2 away; the log, which
    # names each activity's attendees, is internal only.
    assert (women, men) == (150, 68)
    assert row[-1] == MASK


def test_a_blank_measure_reads_uppgift_saknas_and_the_summary_page_shows_the_log(association):
    individual = InterventionFactory(association=association, name="Med mått")
    data = report_input()
    data.measures = {"advisory_calls": {"total": 22}}
    report_submit(report=report_save(intervention=individual, period_code="2024Q1", data=data).report)
    other = InterventionFactory(association=association, name="Andra mått")
    data = report_input()
    data.measures = {"referrals": {"women": 5, "men": 5}}
    report_submit(report=report_save(intervention=other, period_code="2024Q1", data=data).report)
    structural_year(association)
    summary = association_summary(association=association, period=Period.parse("2024"))
    workbook = load_workbook(io.BytesIO(render_document(summary_document(summary), "xlsx")))
    measures = sheet_rows(workbook, "Övriga mått")
    assert ["Med mått", "Rådgivande samtal utan inskrivning", None, None, None, 22] in measures
    assert ["Med mått", "Inkomna anmälningar", None, None, None, "uppgift saknas"] in measures
    staff = MembershipFactory(association=association, role="staff").user
    page = signed_in(staff).get(f"/resultat/forbund/{association.pk}/?period=2024").content.decode()
    assert "Nätverksträff (10), Finsammässan (220)" in page
    assert "Övriga mått" in page and "uppgift saknas" in page
