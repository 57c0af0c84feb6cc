"""A coordinator moves a spreadsheet into the service in a real browser (headless Chromium):
downloads the template, fills it (openpyxl here, Excel for people), uploads it, sees the preview
with an error naming sheet and cell, fixes the file, uploads it again and submits. And pasting a
block of cells copied from a spreadsheet into the report form fills the grid.

A screenshot of the preview is kept in ``var/test-artifacts/import_preview.png``.
"""

import base64
import shutil

import pytest
from selenium.webdriver.common.by import By

from outcomes.models import PeriodReport, ReportStatus
from tests.browser import test_report_form_browser as form_tests
from tests.browser.test_report_form_browser import ARTIFACTS, SINGLE_VALUED, type_into, wait_for
from tests.factories import PASSWORD, InterventionFactory, MembershipFactory
from tests.outcomes.imports.filedata import row_of, saved, workbook_of

browser = form_tests.browser  # the headless Chromium fixture of the report form's test

FETCH_AS_BASE64 = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: "same-origin"}).then(r => r.arrayBuffer()).then(buffer => {
  const bytes = new Uint8Array(buffer); let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  done(btoa(text));
});
"""


def sign_in(browser, live_server, user):
    browser.get(f"{live_server.url}/konto/login/")
    type_into(browser, "username", user.email)
    type_into(browser, "password", PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, "section.intervention")


def fill(content: bytes, *, returned_women) -> bytes:
    """The first quarter filled in: 3 women and 2 men new, all of unknown background, two exits,
    and 22 advisory calls (a measure counted as a total, in the sum column)."""
    workbook = workbook_of(content)
    sheet = workbook["2024Q1"]
    sheet[f"C{row_of(sheet, 'new')}"], sheet[f"D{row_of(sheet, 'new')}"] = 3, 2
    sheet[f"C{row_of(sheet, 'exit:employment')}"] = 1
    sheet[f"C{row_of(sheet, 'exit:returned')}"] = returned_women
    for dimension in SINGLE_VALUED:
        row = row_of(sheet, f"breakdown:{dimension}.unknown")
        sheet[f"C{row}"], sheet[f"D{row}"] = 3, 2
    sheet[f"C{row_of(sheet, 'spent_sek')}"] = 125000
    sheet[f"F{row_of(sheet, 'measure:advisory_calls')}"] = 22
    return saved(workbook)


def upload(browser, path):
    browser.find_element(By.ID, "import-link").click()
    wait_for(browser, "#upload-form").find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
    return wait_for(browser, "#import-reports")


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_imports_a_filled_template_fixes_an_error_and_submits(live_server, browser, tmp_path):
    intervention = InterventionFactory(name="Coachingteamet", frequency="quarter")
    coordinator = MembershipFactory(
        association=intervention.association, intervention=intervention, role="coordinator"
    ).user
    sign_in(browser, live_server, coordinator)

    link = browser.find_element(By.CSS_SELECTOR, "a.template-link")
    content = base64.b64decode(browser.execute_async_script(FETCH_AS_BASE64, link.get_attribute("href") + "?ar=2024"))
    returned = f"C{row_of(workbook_of(content)['2024Q1'], 'exit:returned')}"
    wrong = tmp_path / "pinnstatistik-2024.xlsx"
    wrong.write_bytes(fill(content, returned_women="tre"))

    upload(browser, wrong)
    errors = browser.find_element(By.ID, "import-errors").text
    assert errors == f"Blad 2024Q1, cell {returned}: ”tre” är inte ett heltal."
    assert not browser.find_elements(By.ID, "import-save")
    browser.set_window_size(1400, browser.execute_script("return document.documentElement.scrollHeight"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "import_preview.png"
    assert browser.save_screenshot(str(screenshot))
    shutil.copy(screenshot, tmp_path / screenshot.name)
    assert not PeriodReport.objects.exists()

    fixed = tmp_path / "pinnstatistik-2024-rattad.xlsx"
    fixed.write_bytes(fill(content, returned_women=1))
    browser.get(f"{live_server.url}/")
    table = upload(browser, fixed)
    assert not browser.find_elements(By.ID, "import-errors")
    row = table.find_element(By.CSS_SELECTOR, 'tr[data-period="2024Q1"]')
    assert row.get_attribute("data-action") == "create" and "skapas" in row.text
    browser.find_element(By.CSS_SELECTOR, '#import-save button[value="submit"]').click()
    assert "Filen är inläst" in wait_for(browser, ".messages").text

    report = PeriodReport.objects.get(intervention=intervention, period="2024Q1")
    assert report.status == ReportStatus.SUBMITTED
    assert (report.new.women, report.new.men, report.exits.women, report.spent_sek) == (3, 2, 2, 125000)
    assert {code: value.values() for code, value in report.figures().measures.items()} == {
        "advisory_calls": {"total": 22}
    }
    assert report.history.filter(reason="Från fil: pinnstatistik-2024-rattad.xlsx").exists()


PASTE = """
const input = document.querySelector(`input[name="${arguments[0]}"]`);
const data = new DataTransfer();
data.setData("text/plain", arguments[1]);
input.focus();
input.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
"""


@pytest.mark.django_db(transaction=True)
def test_a_block_pasted_from_a_spreadsheet_fills_the_grid_from_the_cell(live_server, browser):
    intervention = InterventionFactory(name="Coachingteamet", frequency="quarter")
    coordinator = MembershipFactory(
        association=intervention.association, intervention=intervention, role="coordinator"
    ).user
    sign_in(browser, live_server, coordinator)
    browser.get(f"{live_server.url}/insatser/{intervention.pk}/2024Q2/")
    wait_for(browser, "#report-form")
    browser.execute_script(PASTE, "reason__employment__women", "2\t1\t0\r\n1\t 0\t1\r\n")
    value = lambda name: browser.find_element(By.NAME, name).get_attribute("value")  # noqa: E731
    assert [value(f"reason__employment__{g}") for g in ("women", "men", "other")] == ["2", "1", "0"]
    assert [value(f"reason__studies__{g}") for g in ("women", "men", "other")] == ["1", "0", "1"]
    women_total = browser.find_element(By.CSS_SELECTOR, 'table[data-grid="exits"] output[data-col="0"]')
    assert women_total.text == "3"  # the live totals follow the paste
    # one value is the browser's own paste into one cell
    browser.execute_script(PASTE, "new__women", "7")
    assert value("new__men") == ""
