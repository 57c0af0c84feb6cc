"""Every bad file is refused with a message that says why, and nothing is stored."""

import io
import zipfile

import pytest

from outcomes.imports.files import MAX_FILE_BYTES
from outcomes.imports.preview import files_import
from outcomes.imports.template import template_xlsx
from outcomes.models import PeriodReport, ReportHistory
from tests.outcomes.imports.filedata import cell_of, edited, long_csv, row_of, saved, workbook_of, year_stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(intervention):
    """A stored year, and what the database holds of it: nothing may change."""
    year_stored(intervention)

    def snapshot():
        reports = list(PeriodReport.objects.order_by("pk").values_list("pk", "version", "new_women", "status"))
        return reports, ReportHistory.objects.count()

    before = snapshot()
    yield intervention
    assert snapshot() == before, "a refused file changed what is stored"


def good(intervention) -> dict:
    """A change a file may make and no rule minds (2024Q4's spent kronor), as ``edited`` takes it.
    Every bad file that can carry it does, so that nothing stored is the refusal's doing and not
    a file that changes nothing (``test_the_good_change_alone_is_stored``)."""
    sheet = workbook_of(template_xlsx(intervention=intervention, year=2024))["2024Q4"]
    return {("2024Q4", cell_of(sheet, "spent_sek")): 4321}


def good_workbook(intervention):
    return workbook_of(edited(intervention, 2024, good(intervention)))


def good_line(intervention) -> tuple:
    return (intervention.pk, "2024Q4", "comment", "Inläst från fil", None, None, None, None)


def test_the_good_change_alone_is_stored(coordinator, intervention):
    year_stored(intervention)
    for name, content in (
        ("mall.xlsx", edited(intervention, 2024, good(intervention))),
        ("a.csv", long_csv([good_line(intervention)])),
    ):
        version = PeriodReport.objects.get(intervention=intervention, period="2024Q4").version
        preview = files_import(user=coordinator, files=[(name, content)], dry_run=False, submit=True)
        assert preview.stored, preview.errors
        assert PeriodReport.objects.get(intervention=intervention, period="2024Q4").version > version
    report = PeriodReport.objects.get(intervention=intervention, period="2024Q4")
    assert report.comment == "Inläst från fil" and report.status == "submitted"


def _save(user, name, content):
    """The import as "Spara och skicka in" runs it: it must refuse and store nothing."""
    preview = files_import(user=user, files=[(name, content)], dry_run=False, submit=True)
    assert not preview.stored
    return preview


def _messages(preview) -> list[str]:
    return [e["message"] for e in preview.errors]


def test_a_file_that_is_neither_xlsx_nor_csv_is_refused(coordinator, stored):
    preview = _save(coordinator, "bild.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert [e["code"] for e in preview.refusals] == ["not_supported"]
    assert "varken en Excel-arbetsbok" in _messages(preview)[0]


def test_a_zip_that_is_not_a_workbook_is_refused(coordinator, stored):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert [e["code"] for e in _save(coordinator, "brev.xlsx", out.getvalue()).refusals] == ["not_supported"]


def test_a_file_over_5_mb_is_refused(coordinator, stored):
    content = long_csv([(stored.pk, "2024Q1", "comment", "x" * 100, None, None, None, None)]) + b" " * MAX_FILE_BYTES
    preview = _save(coordinator, "stor.csv", content)
    assert [e["code"] for e in preview.refusals] == ["too_large"]
    assert "större än 5 MB" in _messages(preview)[0]


def test_a_workbook_that_unpacks_to_far_more_than_it_weighs_is_refused_as_a_zip_bomb(coordinator, stored):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"0" * (60 * 1024 * 1024) + b">")
    assert len(out.getvalue()) < MAX_FILE_BYTES
    preview = _save(coordinator, "bomb.xlsx", out.getvalue())
    assert [e["code"] for e in preview.refusals] == ["suspicious_file"]


def test_more_than_10_000_lines_are_refused_in_a_csv_and_in_a_workbook(coordinator, stored):
    # One good line and blank lines: only the count of lines is wrong.
    content = long_csv([good_line(stored)]) + b"\n" * 10_001
    assert [e["code"] for e in _save(coordinator, "lang.csv", content).refusals] == ["too_many_lines"]
    workbook = good_workbook(stored)
    sheet = workbook["2024Q4"]
    for number in range(sheet.max_row + 1, 10_002):
        sheet[f"H{number}"] = number  # a column the reader does not read
    assert [e["code"] for e in _save(coordinator, "lang.xlsx", saved(workbook)).refusals] == ["too_many_lines"]


def test_a_formula_where_a_count_belongs_is_refused_at_its_cell_and_sum_formulas_are_ignored(coordinator, stored):
    sheet = workbook_of(template_xlsx(intervention=stored, year=2024))["2024Q3"]
    cell = cell_of(sheet, "new", "men")
    preview = _save(coordinator, "mall.xlsx", edited(stored, 2024, {("2024Q3", cell): "=1+2", **good(stored)}))
    assert _messages(preview) == [
        f"Blad 2024Q3, cell {cell}: en formel (=1+2) står där ett antal ska stå. Skriv in talet."
    ]


def test_text_where_a_count_belongs_is_refused_naming_sheet_and_cell(coordinator, stored):
    sheet = workbook_of(template_xlsx(intervention=stored, year=2024))["2024Q3"]
    cell = cell_of(sheet, "exit:employment")
    preview = _save(coordinator, "mall.xlsx", edited(stored, 2024, {("2024Q3", cell): "tre", **good(stored)}))
    assert _messages(preview) == [f"Blad 2024Q3, cell {cell}: ”tre” är inte ett heltal."]
    assert preview.errors[0]["sheet"] == "2024Q3" and preview.errors[0]["cell"] == cell


def test_merged_label_cells_are_refused(coordinator, stored):
    workbook = good_workbook(stored)
    sheet = workbook["2024Q2"]
    row = row_of(sheet, "new")
    sheet.merge_cells(f"B{row - 1}:B{row}")
    preview = _save(coordinator, "mall.xlsx", saved(workbook))
    assert [e["code"] for e in preview.refusals] == ["merged_cells"]
    assert "Blad 2024Q2 har sammanfogade celler" in _messages(preview)[0]


def test_moved_label_cells_are_refused(coordinator, stored):
    workbook = good_workbook(stored)
    sheet = workbook["2024Q1"]
    sheet.move_range(f"B6:G{sheet.max_row}", cols=1)
    preview = _save(coordinator, "mall.xlsx", saved(workbook))
    assert _messages(preview) == [
        "Blad 2024Q1: rubrikraden (rad 6) har ändrats eller flyttats. Använd mallen som den laddades ned."
    ]


def test_a_label_that_is_not_one_of_the_templates_is_refused_at_its_cell(coordinator, stored):
    workbook = good_workbook(stored)
    sheet = workbook["2024Q4"]
    row = row_of(sheet, "exit:employment")
    sheet[f"B{row}"], sheet[f"G{row}"] = "Teleporterad", None
    preview = _save(coordinator, "mall.xlsx", saved(workbook))
    assert _messages(preview) == [
        f"Blad 2024Q4, cell B{row}: okänd rad ”Teleporterad”. Ändra inte etiketterna i mallen."
    ]


def test_a_hidden_extra_sheet_is_refused(coordinator, stored):
    workbook = good_workbook(stored)
    workbook.create_sheet("Gömt").sheet_state = "hidden"
    preview = _save(coordinator, "mall.xlsx", saved(workbook))
    assert [e["code"] for e in preview.refusals] == ["hidden_sheet"]
    assert "dolt blad (”Gömt”)" in _messages(preview)[0]


def test_an_unknown_intervention_or_period_is_refused_at_its_cell(coordinator, stored, teammate_intervention):
    wrong = {("2024Q1", "B2"): 999999, ("2024Q2", "B3"): "2024Q7", ("2024Q3", "B3"): "2019Q4"}
    content = edited(stored, 2024, {**wrong, **good(stored)})
    preview = _save(coordinator, "mall.xlsx", content)
    by_sheet = {e["sheet"]: (e.get("cell"), e["code"]) for e in preview.errors}
    assert by_sheet == {
        "2024Q1": ("B2", "not_found"),
        "2024Q2": ("B3", "invalid_period"),
        "2024Q3": ("B3", "period_outside_intervention"),
    }
    not_granted = edited(stored, 2024, {("2024Q1", "B2"): teammate_intervention.pk, **good(stored)})
    assert [e["code"] for e in _save(coordinator, "mall.xlsx", not_granted).errors] == ["not_found"]


def test_an_identity_number_in_any_cell_is_refused(coordinator, stored):
    sheet = workbook_of(template_xlsx(intervention=stored, year=2024))["2024Q1"]
    comment = f"C{row_of(sheet, 'comment')}"
    identity = {("2024Q1", "H9"): "Kalle 570730-4787", ("2024Q2", comment): "ring 570730-4787"}
    content = edited(stored, 2024, {**identity, **good(stored)})
    preview = _save(coordinator, "mall.xlsx", content)
    assert {(e["sheet"], e["cell"], e["code"]) for e in preview.errors} == {
        ("2024Q1", "H9", "personal_data"),
        ("2024Q2", comment, "personal_data"),
    }
    csv = long_csv([(stored.pk, "2024Q1", "comment", "Ring 570730-4787", None, None, None, None), good_line(stored)])
    assert [(e["line"], e["code"]) for e in _save(coordinator, "a.csv", csv).errors] == [(2, "personal_data")]
    assert [e["code"] for e in _save(coordinator, "570730-4787.csv", csv).refusals] == ["personal_data"]


def test_a_workbook_declaring_xml_entities_is_refused(coordinator, stored):
    content = edited(stored, 2024, good(stored))
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/workbook.xml":
                head = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                data = head + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            archive.writestr(member, data)
    preview = _save(coordinator, "mall.xlsx", out.getvalue())
    assert [e["code"] for e in preview.refusals] == ["xml_entities"]


def test_one_bad_sheet_stores_none_of_the_good_ones(coordinator, stored):
    sheet = workbook_of(template_xlsx(intervention=stored, year=2024))["2024Q1"]
    content = edited(stored, 2024, {("2024Q3", cell_of(sheet, "spent_sek")): 99, ("2024Q4", cell_of(sheet, "new")): -1})
    preview = _save(coordinator, "mall.xlsx", content)
    assert [(e["sheet"], e["code"]) for e in preview.errors] == [("2024Q4", "negative_count")]


def test_a_negative_count_by_reason_or_category_is_named_by_its_labels_never_its_codes(coordinator, stored):
    """Defect 1 of issue 18: "Avslutade av orsak employment", "Antal i education/unknown"."""
    sheet = workbook_of(template_xlsx(intervention=stored, year=2024))["2024Q1"]
    changes = {
        ("2024Q1", cell_of(sheet, "exit:employment")): -1,
        ("2024Q1", cell_of(sheet, "breakdown:education.unknown", "men")): -2,
    }
    preview = _save(coordinator, "mall.xlsx", edited(stored, 2024, changes))
    messages = [e["message"] for e in preview.errors if e["code"] == "negative_count"]
    assert any("Avslutade av orsak ”Arbete/anställning” (kvinnor) får inte vara negativt." in m for m in messages)
    assert any("Antal i ”Utbildningsnivå: Uppgift saknas” (män) får inte vara negativt." in m for m in messages)
    assert not any("employment" in m or "education" in m for m in messages), messages
