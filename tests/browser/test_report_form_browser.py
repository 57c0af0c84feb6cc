"""A coordinator fills a quarterly report in a real browser (headless Chromium from Debian's
packages, driven by Selenium against pytest-django's live server).

The browser sees what a person sees: the live totals flag exits by reason that do not add up,
submitting is refused with the error summary linking to the cell, and after the correction the
report is submitted and shown as such on the start page. A screenshot of the filled form is kept
under ``var/test-artifacts/`` (and the test's ``tmp_path``).
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from outcomes.counts import Counts
from outcomes.models import PeriodReport, ReportStatus
from outcomes.periods import Period
from tests.factories import PASSWORD, InterventionFactory, MembershipFactory

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"
SINGLE_VALUED = ("age_band", "education", "income_source", "time_on_support", "uvas", "referrer", "home_municipality")


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--lang=sv-SE",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def type_into(driver, name: str, value) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(str(value))


def wait_for(driver, css: str):
    return WebDriverWait(driver, 15).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_fills_checks_corrects_and_submits_a_quarterly_report(live_server, browser, tmp_path):
    intervention = InterventionFactory(name="Coachingteamet", frequency="quarter")
    coordinator = MembershipFactory(
        association=intervention.association, intervention=intervention, role="coordinator"
    ).user
    period = Period.for_date(timezone.localdate(), "quarter").previous()

    # sign in
    browser.get(f"{live_server.url}/konto/login/")
    type_into(browser, "username", coordinator.email)
    type_into(browser, "password", PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    row = wait_for(browser, f'tr[data-period="{period.code}"]')
    assert row.get_attribute("data-status") in ("not_started", "overdue")

    # open the period's form and fill it; exits by reason for women add up to 1, not 2
    row.find_element(By.TAG_NAME, "a").click()
    wait_for(browser, "#report-form")
    assert browser.find_element(By.TAG_NAME, "h1").text == f"Coachingteamet – kvartal {period.number} {period.year}"
    for name, value in {
        "new__women": 3,
        "new__men": 2,
        "exits__women": 2,
        "exits__men": 1,
        "reason__employment__women": 1,
        "reason__returned__men": 1,
        "spent_sek": 125000,
    }.items():
        type_into(browser, name, value)
    for dimension in SINGLE_VALUED:
        type_into(browser, f"dim__{dimension}__unknown__women", 3)
        type_into(browser, f"dim__{dimension}__unknown__men", 2)
    type_into(browser, "comment", "Två gick vidare till arbete eller studier.")

    # the live totals show the mismatch before anything is sent
    women_total = browser.find_element(By.CSS_SELECTOR, 'table[data-grid="exits"] output[data-col="0"]')
    assert women_total.text == "1"
    assert "mismatch" in women_total.find_element(By.XPATH, "..").get_attribute("class")

    browser.find_element(By.CSS_SELECTOR, 'button[value="submit"]').click()
    summary = wait_for(browser, "#felsammanfattning")
    message = "Avslutade per orsak (kvinnor) summerar till 1 men antalet avslutade är 2."
    link = summary.find_element(By.LINK_TEXT, message)
    assert link.get_attribute("href").endswith("#id_exits__women")
    # keyboard: the summary has the focus, and Enter on its link puts the focus in the cell
    assert browser.switch_to.active_element.get_attribute("id") == "felsammanfattning"
    link.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "id_exits__women"
    assert browser.find_element(By.ID, "report-status").get_attribute("data-status") == "draft"
    assert message in browser.find_element(By.ID, "id_exits__women-msg").text
    # what was typed is still there after the refused submission
    assert browser.find_element(By.NAME, "new__women").get_attribute("value") == "3"

    # correct it by keyboard: one woman left for studies (Tab moves cell by cell along the row)
    browser.find_element(By.NAME, "reason__employment__other").send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("name") == "reason__studies__women"
    browser.switch_to.active_element.send_keys("1")
    women_total = browser.find_element(By.CSS_SELECTOR, 'table[data-grid="exits"] output[data-col="0"]')
    assert women_total.text == "2"
    assert "mismatch" not in women_total.find_element(By.XPATH, "..").get_attribute("class")
    # the whole form in one image: make the window as tall as the page
    browser.set_window_size(1400, browser.execute_script("return document.documentElement.scrollHeight"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "report_form_filled.png"
    assert browser.save_screenshot(str(screenshot))
    shutil.copy(screenshot, tmp_path / screenshot.name)
    assert screenshot.stat().st_size > 10_000

    browser.find_element(By.CSS_SELECTOR, 'button[value="submit"]').click()
    row = wait_for(browser, f'tr[data-period="{period.code}"][data-status="submitted"]')
    assert "inskickad" in row.text
    assert "är inskickad" in browser.find_element(By.CSS_SELECTOR, ".messages").text

    report = PeriodReport.objects.get(intervention=intervention, period=period.code)
    assert report.status == ReportStatus.SUBMITTED
    assert report.figures().exits_by_reason == {
        "employment": Counts(1, 0, 0),
        "studies": Counts(1, 0, 0),
        "returned": Counts(0, 1, 0),
    }
    assert report.spent_sek == 125000


@pytest.mark.django_db(transaction=True)
def test_kronor_typed_with_a_decimal_comma_are_refused_not_multiplied_by_a_hundred(live_server, browser):
    """Typed into a browser's number field, "182500,50" lost its comma and was saved as 18 250 050
    kr. The fields are text fields for whole numbers, so the server sees what was typed."""
    intervention = InterventionFactory(name="Coachingteamet", frequency="quarter")
    coordinator = MembershipFactory(
        association=intervention.association, intervention=intervention, role="coordinator"
    ).user
    period = Period.for_date(timezone.localdate(), "quarter").previous()
    browser.get(f"{live_server.url}/konto/login/")
    type_into(browser, "username", coordinator.email)
    type_into(browser, "password", PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, f'tr[data-period="{period.code}"]').find_element(By.TAG_NAME, "a").click()
    wait_for(browser, "#report-form")
    type_into(browser, "new__women", 1)
    type_into(browser, "spent_sek", "182500,50")
    browser.find_element(By.CSS_SELECTOR, 'button[value="save"]').click()
    summary = wait_for(browser, "#felsammanfattning")
    assert "Förbrukat ska anges i hela kronor, utan decimaler." in summary.text
    assert browser.find_element(By.NAME, "spent_sek").get_attribute("value") == "182500,50"
    assert not PeriodReport.objects.filter(intervention=intervention, spent_sek=18_250_050).exists()
    assert not PeriodReport.objects.filter(intervention=intervention).exists()
