"""Clicking a value in the report form shows its history (issue 18), in headless Chromium: the
value's "historik" button (keyboard-usable, named after the value) opens its versions right under
its row, who changed it, when and old → new; axe finds nothing serious with it open, it fits a
390 px screen, and Escape closes it. Screenshots at both widths go to ``var/test-artifacts/``."""

import re

import pytest
from django.conf import settings
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from outcomes.tallies.services import report_save
from tests.browser.test_every_page import AXE, PHONE_LIMIT, axe_violations, page_width, set_width
from tests.browser.test_report_form_browser import ARTIFACTS
from tests.conftest import report_input
from tests.factories import InterventionFactory, MembershipFactory

NAME = "Historik för Nya deltagare, kvinnor"


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_opens_a_values_history_at_its_cell_by_keyboard(live_server, driver):
    assert AXE.exists(), f"axe-core is missing at {AXE}: `make test` installs it"
    intervention = InterventionFactory(name="Coachingteamet", frequency="quarter")
    coordinator = MembershipFactory(
        association=intervention.association, intervention=intervention, role="coordinator"
    ).user
    report_save(intervention=intervention, period_code="2023Q4", data=report_input(new=(2, 1, 0)), user=coordinator)
    first = report_save(
        intervention=intervention, period_code="2024Q1", data=report_input(new=(4, 1, 0)), user=coordinator
    )
    report_save(
        intervention=intervention,
        period_code="2024Q1",
        data=report_input(new=(1234, 1, 0)),
        user=coordinator,
        expected_version=first.report.version,
    )
    client = Client()
    client.force_login(coordinator)
    driver.get(f"{live_server.url}/konto/login/")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": session})
    set_width(driver, 1280)
    driver.get(f"{live_server.url}/insatser/{intervention.pk}/2024Q1/")
    wait = WebDriverWait(driver, 15)
    button = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, f'button.cell-history[aria-label="{NAME}"]')))
    assert button.get_attribute("aria-expanded") == "false"
    # The unusual value is questioned at the same cell.
    assert "Är detta rätt?" in driver.find_element(By.ID, "id_new__women-msg").text

    # Keyboard: focus the button, Enter opens the value's history under its row.
    driver.execute_script("arguments[0].focus()", button)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    panel_id = button.get_attribute("aria-controls")
    panel = wait.until(ec.visibility_of_element_located((By.ID, panel_id)))
    # Swedish thousands grouping whatever the browser's language (a space, never "1,234")
    wait.until(lambda d: re.search(r"4 → 1[ \xa0\u202f]234", panel.text))
    assert button.get_attribute("aria-expanded") == "true"
    entries = panel.find_elements(By.CSS_SELECTOR, "li")
    assert len(entries) == 2
    assert coordinator.email in entries[0].text and "(version 2)" in entries[0].text
    assert entries[1].text.endswith("– → 4")  # the first version: no value before
    assert NAME in panel.text and "Nya deltagare, män" not in panel.text
    assert panel.find_element(By.TAG_NAME, "a").get_attribute("href").endswith("historik/?falt=new.women")
    # the panel sits in its own row right under the value's row
    assert driver.execute_script(
        "return arguments[0].closest('tr').previousElementSibling.contains(arguments[1])", panel, button
    )
    assert axe_violations(driver) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", panel)
    assert driver.save_screenshot(str(ARTIFACTS / "rapportformular-historik-1280.png"))

    set_width(driver, 390)
    assert page_width(driver) <= PHONE_LIMIT
    assert axe_violations(driver) == []
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", panel)
    assert driver.save_screenshot(str(ARTIFACTS / "rapportformular-historik-390.png"))
    assert (ARTIFACTS / "rapportformular-historik-390.png").stat().st_size > 5_000

    # Escape closes it again, and the button says so.
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait.until(ec.invisibility_of_element_located((By.ID, panel_id)))
    assert button.get_attribute("aria-expanded") == "false"
