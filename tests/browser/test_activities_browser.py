"""The section "Övriga mått" of the report form, staff's measures catalog and the activity log's
form in a real browser (headless Chromium against the live server), with screenshots kept under
``var/test-artifacts/``."""

import shutil

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from outcomes.models import Activity, Measure, MeasureCount, PeriodReport
from outcomes.periods import Period
from outcomes.tallies.services import report_save
from tests.browser.test_report_form_browser import ARTIFACTS, SINGLE_VALUED, browser, type_into, wait_for
from tests.conftest import report_input
from tests.factories import PASSWORD, InterventionFactory, MembershipFactory

__all__ = ["browser"]  # the fixture, imported for the tests below


def sign_in(driver, live_server, user) -> None:
    driver.get(f"{live_server.url}/konto/login/")
    type_into(driver, "username", user.email)
    type_into(driver, "password", PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(driver, "h1")


def keep_screenshot(driver, name: str, tmp_path) -> None:
    driver.set_window_size(1400, driver.execute_script("return document.documentElement.scrollHeight"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / name
    assert driver.save_screenshot(str(screenshot))
    shutil.copy(screenshot, tmp_path / name)
    assert screenshot.stat().st_size > 10_000


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_counts_measures_in_the_report_and_leaves_one_blank(live_server, browser, tmp_path):
    intervention = InterventionFactory(name="Coachingteamet", frequency="quarter")
    coordinator = MembershipFactory(
        association=intervention.association, intervention=intervention, role="coordinator"
    ).user
    period = Period.for_date(timezone.localdate(), "quarter").previous()
    sign_in(browser, live_server, coordinator)
    browser.get(f"{live_server.url}/insatser/{intervention.pk}/{period.code}/")
    section = wait_for(browser, "#measures")
    assert "Övriga mått" in section.text and "Deltagare i arbetsträning" in section.text
    type_into(browser, "new__women", 2)
    for dimension in SINGLE_VALUED:
        type_into(browser, f"dim__{dimension}__unknown__women", 2)
    type_into(browser, "measure__advisory_calls__total", 22)
    type_into(browser, "measure__work_training__women", 3)
    type_into(browser, "measure__work_training__men", 2)
    type_into(browser, "measure__external_work_training__women", 2)
    browser.execute_script("document.getElementById('measures').scrollIntoView()")
    keep_screenshot(browser, "report_form_measures.png", tmp_path)
    browser.find_element(By.CSS_SELECTOR, 'button[value="save"]').click()
    wait_for(browser, ".messages")
    report = PeriodReport.objects.get(intervention=intervention, period=period.code)
    stored = {m.measure.code: m.total for m in MeasureCount.objects.filter(report=report).select_related("measure")}
    assert stored == {"advisory_calls": 22, "work_training": 5, "external_work_training": 2}  # referrals blank
    browser.get(f"{live_server.url}/insatser/{intervention.pk}/{period.code}/")
    assert browser.find_element(By.NAME, "measure__advisory_calls__total").get_attribute("value") == "22"
    assert browser.find_element(By.NAME, "measure__referrals__women").get_attribute("value") == ""


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_logs_a_fair_corrects_a_split_and_sees_it_listed(live_server, browser, tmp_path):
    structural = InterventionFactory(name="Kompetensnätverket", kind="structural", frequency="quarter")
    coordinator = MembershipFactory(
        association=structural.association, intervention=structural, role="coordinator"
    ).user
    period = Period.for_date(timezone.localdate(), "quarter").previous()
    sign_in(browser, live_server, coordinator)

    # the structural report form has no participant grid and links to the log
    browser.get(f"{live_server.url}/insatser/{structural.pk}/{period.code}/")
    hint = wait_for(browser, "#structural-hint")
    assert not browser.find_elements(By.NAME, "new__women")
    hint.find_element(By.LINK_TEXT, "Aktivitetslogg").click()
    wait_for(browser, "#activity-new").click()
    wait_for(browser, "#activity-form")

    day = period.start.replace(day=5)
    browser.find_element(By.NAME, "date").send_keys(day.strftime("%Y-%m-%d"))
    browser.execute_script(f"document.getElementsByName('date')[0].value = '{day.isoformat()}'")
    type_into(browser, "title", "Finsammässan")
    Select(browser.find_element(By.NAME, "kind")).select_by_value("conference")
    type_into(browser, "attendees", 220)
    type_into(browser, "attendees_women", 150)
    type_into(browser, "attendees_men", 60)
    type_into(browser, "exhibitors", 15)
    type_into(browser, "spent_sek", 25310)
    browser.find_element(By.CSS_SELECTOR, "#activity-form button[type=submit]").click()
    summary = wait_for(browser, "#felsammanfattning")
    assert "Deltagare per kön summerar till 210 men antalet deltagare är 220." in summary.text
    assert not Activity.objects.exists()

    type_into(browser, "attendees_other", 10)
    keep_screenshot(browser, "activity_form.png", tmp_path)
    browser.find_element(By.CSS_SELECTOR, "#activity-form button[type=submit]").click()
    log = wait_for(browser, "#activity-log-text")
    assert log.text == "Finsammässan (220)"
    assert "115" in browser.find_element(By.CSS_SELECTOR, "table.activities").text  # 25 310 kr / 220
    keep_screenshot(browser, "activity_log.png", tmp_path)
    activity = Activity.objects.get()
    assert (activity.attendees_women, activity.attendees_men, activity.attendees_other) == (150, 60, 10)


@pytest.mark.django_db(transaction=True)
def test_staff_add_a_measure_with_radios_and_checkboxes_and_cannot_change_a_used_ones_split(
    live_server, browser, tmp_path
):
    intervention = InterventionFactory(name="Coachingteamet", frequency="quarter")
    association = intervention.association
    staff = MembershipFactory(association=association, role="staff").user
    data = report_input()
    data.measures = {"work_training": {"women": 3, "men": 2, "other": 0}}
    report_save(intervention=intervention, period_code="2024Q1", data=data)
    sign_in(browser, live_server, staff)

    browser.get(f"{live_server.url}/forbund/{association.pk}/kataloger/")
    wait_for(browser, "main").find_element(By.LINK_TEXT, "Övriga mått").click()
    wait_for(browser, 'input[name="split"]')
    type_into(browser, "code", "network_meetings")
    type_into(browser, "label_sv", "Nätverksträffar med arbetsgivare")
    browser.find_element(By.CSS_SELECTOR, 'input[name="split"][value="total"]').click()
    browser.find_element(By.CSS_SELECTOR, 'input[name="aggregation"][value="sum"]').click()
    browser.find_element(By.CSS_SELECTOR, 'input[name="kinds"][value="structural"]').click()
    keep_screenshot(browser, "staff_measures_form.png", tmp_path)
    browser.find_element(By.CSS_SELECTOR, "form[aria-labelledby=ny-post] button[type=submit]").click()
    row = wait_for(browser, 'tr[data-code="network_meetings"]')
    assert "totalt, summeras (flöde); strukturövergripande" in row.text
    measure = Measure.objects.get(association=association, code="network_meetings")
    assert (measure.split, measure.aggregation, measure.kinds) == ("total", "sum", ["structural"])

    used = Measure.objects.get(association=association, code="work_training")
    browser.get(f"{live_server.url}/forbund/{association.pk}/kataloger/matt/{used.pk}/")
    type_into(browser, "label_sv", "Arbetsträning")
    wait_for(browser, 'input[name="split"][value="total"]').click()
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    summary = wait_for(browser, ".error-summary")
    assert "Uppdelning kan inte ändras när måttet redan finns i rapporter." in summary.text
    assert browser.find_element(By.NAME, "label_sv").get_attribute("value") == "Arbetsträning"
    keep_screenshot(browser, "staff_measure_locked.png", tmp_path)
    used.refresh_from_db()
    assert (used.label_sv, used.split) == ("Deltagare i arbetsträning", "gender")
