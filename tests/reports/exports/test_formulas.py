"""Text that a spreadsheet program would run as a formula is exported as plain text (issue 12.2).

Names, owners, goal labels and catalog labels are typed by people; a cell that starts with ``=``,
``+``, ``-`` or ``@`` must reach the reader as the text they typed, never as a live formula.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.test import TestCase
from openpyxl import load_workbook

from outcomes.models import DimensionCategory, ExitReason
from outcomes.periods import Period
from reports.exports.document import Cell, Document, Section
from reports.exports.layouts import detail_document, summary_document
from reports.exports.services import render_document
from reports.goals import services
from reports.goals.services import GoalInput
from reports.summaries.selectors import association_summary, intervention_detail
from tests.factories import InterventionFactory
from tests.reports.summary_data import LEKEBERG_2024, enter

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("x")'
OWNER = "+1"
GOAL = "@SUM(A1)"
REASON = "-Avbröt själv"
CATEGORY = "-Okänd ålder"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(association):
    """An intervention whose user-typed texts all look like formulas, with a year of reports."""
    ExitReason.objects.filter(association=association, code="employment").update(label_sv=REASON)
    DimensionCategory.objects.filter(
        dimension__association=association, dimension__code="age_band", code="unknown"
    ).update(label_sv=CATEGORY)
    intervention = InterventionFactory(association=association, name=NAME, owner=OWNER)
    enter(intervention, LEKEBERG_2024)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.goal_create(
            intervention=intervention,
            data=GoalInput(year=2024, label=GOAL, kind="step_progression", target=Decimal(50)),
        )
    return intervention


def documents(intervention):
    period = Period.parse("2024")
    summary = association_summary(association=intervention.association, period=period)
    detail = intervention_detail(intervention=intervention, period=period)
    return {"summary": summary_document(summary), "detail": detail_document(detail)}


def all_cells(workbook):
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_it_writes_formula_like_names_goals_and_labels_as_text_in_xlsx(hostile):
    for kind, doc in documents(hostile).items():
        workbook = load_workbook(io.BytesIO(render_document(doc, "xlsx")))
        cells = all_cells(workbook)
        texts = {cell.value for cell in cells if cell.data_type == "s"}
        expected = {NAME, GOAL, REASON} if kind == "summary" else {GOAL, REASON, CATEGORY}
        assert expected <= texts, kind
        assert any(str(value).startswith(NAME) for value in texts), kind  # the detail's title
        formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
        assert formulas == [], kind


def test_it_keeps_numbers_numeric_in_an_xlsx_with_formula_like_text(hostile):
    workbook = load_workbook(io.BytesIO(render_document(documents(hostile)["summary"], "xlsx")))
    row = next(r for r in workbook["Deltagare under perioden"].iter_rows(min_row=4) if r[0].value == NAME)
    assert [c.value for c in row[1:5]] == [14, 13, 0, 27] and {c.data_type for c in row[1:5]} == {"n"}
    assert row[5].data_type == "n" and row[5].value == pytest.approx(14 / 27)


def csv_rows(doc):
    return list(csv.reader(io.StringIO(render_document(doc, "csv").decode("utf-8-sig")), delimiter=";"))


def test_it_prefixes_formula_like_text_with_an_apostrophe_in_csv(hostile):
    docs = documents(hostile)
    summary, detail = csv_rows(docs["summary"]), csv_rows(docs["detail"])
    values = [value for row in summary + detail for value in row]
    assert "'" + NAME in values
    assert "'" + GOAL in values
    assert "'" + REASON in values
    assert "'" + CATEGORY in values
    assert detail[0][0].startswith("'" + NAME)  # the title starts with the name
    assert [v for v in values if v.startswith(DANGEROUS)] == []
    participants = summary.index(["Deltagare under perioden"])
    row = next(r for r in summary[participants:] if r[0] == "'" + NAME)
    assert row[1:5] == ["14", "13", "0", "27"]


def test_it_leaves_negative_numbers_as_numbers_in_csv_and_xlsx():
    doc = Document(title="Test", subtitle="", publish=False, threshold=3)
    doc.sections.append(
        Section(
            "Ekonomi",
            ["Insats", "Förbrukat (kr)", "Antal", "Rikssnitt %"],
            [[Cell("-Minus"), Cell(-1500, "sek"), Cell(-3, "count"), Cell(Decimal("-2.5"))]],
        )
    )
    rows = csv_rows(doc)
    assert rows[-1] == ["'-Minus", "-1500", "-3", "-2.5"]
    sheet = load_workbook(io.BytesIO(render_document(doc, "xlsx")))["Ekonomi"]
    assert (sheet["A4"].value, sheet["A4"].data_type) == ("-Minus", "s")
    assert (sheet["B4"].value, sheet["C4"].value) == (-1500, -3)
    assert sheet["B4"].data_type == sheet["C4"].data_type == "n"
