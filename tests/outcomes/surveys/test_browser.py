"""In a real browser the survey grid's running total follows the typing (progressive enhancement)."""

import pytest
from django.conf import settings
from django.urls import reverse
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def test_the_running_total_updates_while_typing_and_marks_a_mismatch(
    browser, live_server, client, coordinator, intervention
):
    client.force_login(coordinator)
    browser.get(live_server.url + reverse("home"))
    browser.add_cookie(
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    )
    browser.get(
        live_server.url + reverse("survey-intervention-edit", args=[intervention.pk, "2024", "participant_ongoing"])
    )
    browser.find_element(By.ID, "id_answered_women").send_keys("3")
    browser.find_element(By.ID, "id_answered_men").send_keys("2")
    grid = browser.find_element(By.CSS_SELECTOR, 'fieldset[data-question="p1"]')
    browser.find_element(By.ID, "id_q_p1_6").send_keys("4")
    assert grid.find_element(By.CLASS_NAME, "running-total").text == "4"
    assert grid.find_element(By.CLASS_NAME, "answered-of").text == "5"
    assert "mismatch" in grid.get_attribute("class")
    browser.find_element(By.ID, "id_q_p1_blank").send_keys("1")
    assert grid.find_element(By.CLASS_NAME, "running-total").text == "5"
    assert "mismatch" not in grid.get_attribute("class")
