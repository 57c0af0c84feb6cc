import csv
import io
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from outcomes.periods import Period
from reports.exports.layouts import detail_document, summary_document
from reports.exports.services import render_document
from reports.exports.suppression import MASK
from reports.summaries.selectors import association_summary, intervention_detail
from tests.reports.summary_data import lekeberg, small

pytestmark = pytest.mark.django_db


def summary_doc(association, code="2024", **kwargs):
    return summary_document(association_summary(association=association, period=Period.parse(code)), **kwargs)


def sheet_rows(sheet):
    """The table of a sheet: the rows under the header (row 3) until the first empty row."""
    rows = []
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        rows.append(list(row))
    return rows


def row_named(rows, name):
    return next(row for row in rows if row[0] == name)


def test_the_xlsx_export_has_a_sheet_per_section_with_the_summary_numbers(association):
    lekeberg(association)
    small(association)
    workbook = load_workbook(io.BytesIO(render_document(summary_doc(association), "xlsx")))
    assert workbook.sheetnames == [
        "Deltagare under perioden",
        "Pågående vid periodens början",
        "Nya deltagare",
        "Avslutade",
        "Pågående vid periodens slut",
        "Avslutsorsaker",
        "Stegförflyttning",
        "Ekonomi",
        "Mål",
    ]
    participants = workbook["Deltagare under perioden"]
    assert participants.freeze_panes == "B4"
    lekeberg_row = row_named(sheet_rows(participants), "Coachingteamet Lekeberg")
    assert lekeberg_row[1:5] == [14, 13, 0, 27]
    assert lekeberg_row[8:12] == [7, 6, 1, 14]  # jmf 2023
    assert participants["B4"].number_format == "#,##0"
    assert participants["F4"].number_format == "0%"
    step = row_named(sheet_rows(workbook["Stegförflyttning"]), "Coachingteamet Lekeberg")
    assert step[1:3] == [5, 11]
    assert step[3] == pytest.approx(5 / 11)
    money = row_named(sheet_rows(workbook["Ekonomi"]), "Coachingteamet Lekeberg")
    assert money[1:3] == [2403500, 2356616]
    assert money[4] == 87282
    assert workbook["Ekonomi"].column_dimensions["A"].width >= len("Coachingteamet Lekeberg")


def test_the_csv_export_is_utf8_with_bom_and_semicolons_and_decimal_commas(association):
    lekeberg(association)
    data = render_document(summary_doc(association), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Sammanställning helåret 2024 – " + association.name
    step_header = rows.index(["Stegförflyttning"])
    lekeberg_step = rows[step_header + 2]
    assert lekeberg_step[:4] == ["Coachingteamet Lekeberg", "5", "11", "45,5"]


def test_the_csv_keeps_its_decimal_comma_when_the_reader_asks_for_english(association):
    lekeberg(association)
    with translation.override("en"):
        data = render_document(summary_doc(association), "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    lekeberg_step = rows[rows.index(["Stegförflyttning"]) + 2]
    assert lekeberg_step[:4] == ["Coachingteamet Lekeberg", "5", "11", "45,5"]


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)  # table cells wrap; non-breaking spaces group thousands


def test_the_pdf_appendix_is_a4_and_holds_the_summary_numbers(association):
    lekeberg(association)
    data = render_document(summary_doc(association), "pdf")
    reader = PdfReader(io.BytesIO(data))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(data)
    assert "Sammanställning helåret 2024" in text
    assert "Coachingteamet Lekeberg" in text
    assert re.search(r"Coachingteamet Lekeberg\s+14\s+13\s+0\s+27", text)
    assert "2 356 616" in text
    assert "87 282" in text
    assert re.search(r"5\s+11\s+45 %", text)


def test_the_intervention_pdf_has_its_tables_and_bar_charts(association):
    intervention = lekeberg(association)
    detail = intervention_detail(intervention=intervention, period=Period.parse("2024"))
    data = render_document(detail_document(detail, with_charts=True), "pdf")
    text = pdf_text(data)
    assert "Coachingteamet Lekeberg – helåret 2024" in text
    assert re.search(r"Åter till remittent/anvisande part\s+3\s+3\s+0\s+6", text)
    images = {image.name for page in PdfReader(io.BytesIO(data)).pages for image in page.images}
    assert len(images) == len(detail.dimensions) + 1  # one chart per dimension and exits by reason


def test_internal_exports_keep_the_small_numbers(association):
    lekeberg(association)
    doc = summary_doc(association)
    assert not doc.masked
    assert MASK not in render_document(doc, "csv").decode("utf-8-sig")


def test_the_xlsx_cuts_sheet_names_at_a_word_and_gives_breakdowns_a_total_row(association):
    intervention = lekeberg(association)
    detail = intervention_detail(intervention=intervention, period=Period.parse("2024"))
    workbook = load_workbook(io.BytesIO(render_document(detail_document(detail), "xlsx")))
    assert "Nya – Försörjning vid" in workbook.sheetnames  # "… vid inskrivning" is 33 characters
    assert all(len(name) <= 31 and not name.endswith(("–", " ")) for name in workbook.sheetnames)
    exits = sheet_rows(workbook["Avslutsorsaker"])
    assert exits[-1][:5] == ["Totalt", 5, 6, 0, 11]  # the reasons add up to the exits
    assert exits[-1][5:] == [1.0, 1.0, None, 1.0]
    assert sum(row[4] for row in exits[:-1]) == 11
    assert workbook["Avslutsorsaker"]["E4"].number_format == "#,##0"
