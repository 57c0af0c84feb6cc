"""The report form and the summary at 1280 and 390 px, as a person sees them; the screenshots are
kept in ``var/test-artifacts/`` to be looked at.

At 390 px the page does not scroll sideways, every gender column of the report form is on the
screen and the header still offers "Logga ut".
"""

import pytest
from selenium.webdriver.common.by import By

from outcomes.tallies.services import report_save
from tests.browser.test_every_page import PHONE_LIMIT, page_width, set_width
from tests.browser.test_summary_screenshot import ARTIFACTS, sign_in
from tests.conftest import report_input
from tests.factories import InterventionFactory, MembershipFactory
from tests.reports.goals.test_selectors import step_goal
from tests.reports.summary_data import lekeberg, small


def full_page_screenshot(driver, width: int, name: str) -> None:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": min(height, 12000), "deviceScaleFactor": 1, "mobile": width < 600},
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / name))
    set_width(driver, width)


def on_screen(driver, element) -> bool:
    box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", element)
    return box[0] >= 0 and box[1] <= driver.execute_script("return window.innerWidth") + 1


@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_form_and_the_summary_fit_the_screen(transactional_db, live_server, client, driver, width):
    staff = MembershipFactory(role="staff").user
    association = staff.memberships.get().association
    intervention = lekeberg(association)
    step_goal(intervention)
    small(association)
    driver.get(f"{live_server.url}/konto/login/")
    sign_in(driver, client, live_server, staff)
    set_width(driver, width)

    driver.get(f"{live_server.url}/insatser/{intervention.pk}/2024Q2/")
    assert page_width(driver) <= max(width, PHONE_LIMIT)
    logout = driver.find_element(By.XPATH, "//header//button[normalize-space()='Logga ut']")
    assert logout.is_displayed() and on_screen(driver, logout)
    for column in ("women", "men", "other"):
        cell = driver.find_element(By.CSS_SELECTOR, f"table.participants input[name$='{column}']")
        assert on_screen(driver, cell), f"the {column} column of the participants is off the screen"
    full_page_screenshot(driver, width, f"rapportformular-{width}.png")

    driver.get(f"{live_server.url}/resultat/forbund/{association.pk}/?period=2024")
    assert page_width(driver) <= max(width, PHONE_LIMIT)
    first = driver.find_element(By.CSS_SELECTOR, "table.summary tbody th")
    assert "Coachingteamet Lekeberg" in first.text and on_screen(driver, first)
    # the intervention column stays in view when the wide table is scrolled to its end (defect 13)
    driver.execute_script("const box = document.querySelector('.scroll'); box.scrollLeft = box.scrollWidth;")
    assert on_screen(driver, first) and first.is_displayed()
    assert driver.execute_script(
        "const th = arguments[0], r = th.getBoundingClientRect();"
        "return document.elementFromPoint(r.left + 5, r.top + 5).closest('th') === th;",
        first,
    ), "the intervention's name is covered while the table scrolls"
    driver.execute_script("document.querySelector('.scroll').scrollLeft = 0;")
    full_page_screenshot(driver, width, f"sammanstallning-{width}.png")


def test_a_warnings_note_goes_once_the_value_is_changed(transactional_db, live_server, client, driver):
    intervention = InterventionFactory(name="Coachingteamet")
    coordinator = MembershipFactory(
        association=intervention.association, intervention=intervention, role="coordinator"
    ).user
    report_save(intervention=intervention, period_code="2023Q4", data=report_input(start=(4, 0, 0)))
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(start=(3, 0, 0)))
    driver.get(f"{live_server.url}/konto/login/")
    sign_in(driver, client, live_server, coordinator)
    set_width(driver, 1280)
    driver.get(f"{live_server.url}/insatser/{intervention.pk}/2024Q1/")
    note = driver.find_element(By.CSS_SELECTOR, "#id_start__women-msg .warning")
    assert "föregående period slutade med 4" in note.text and note.is_displayed()
    assert "föregående period slutade med 4" in driver.find_element(By.ID, "varningar").text
    field = driver.find_element(By.ID, "id_start__women")
    field.clear()
    field.send_keys("4")
    assert not note.is_displayed()
