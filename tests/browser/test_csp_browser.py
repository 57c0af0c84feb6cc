"""Under the Content-Security-Policy every page renders in headless Chromium with no violation in
the console: the report form, the summary and its detail with charts, the survey form, the goal
page, the token page and both API documentation pages (which must still draw the API)."""

import pytest
from django.urls import reverse
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_summary_screenshot import CHROMEDRIVER, CHROMIUM, sign_in
from tests.factories import MembershipFactory
from tests.reports.goals.test_selectors import step_goal
from tests.reports.summary_data import lekeberg


@pytest.fixture
def browser(transactional_db, live_server):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=sv-SE"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def violations(browser) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]
    ]


def test_no_page_breaks_the_content_security_policy(browser, live_server, client):
    staff = MembershipFactory(role="staff").user
    association = staff.memberships.get().association
    intervention = lekeberg(association)
    step_goal(intervention)
    sign_in(browser, client, live_server, staff)
    browser.get_log("browser")  # drop what the sign-in page logged before the cookie

    pages = {
        "home": reverse("home"),
        "report form": f"/insatser/{intervention.pk}/2024Q1/",
        "summary": f"/resultat/forbund/{association.pk}/?period=2024",
        "detail with charts": f"/resultat/insatser/{intervention.pk}/?period=2024",
        "survey form": reverse("survey-intervention-edit", args=[intervention.pk, "2024", "participant_ongoing"]),
        "goal page": f"/resultat/insatser/{intervention.pk}/mal/",
        "tokens": "/api-nycklar/",
    }
    found = {}
    for name, path in pages.items():
        browser.get(live_server.url + path)
        assert "Pinnstatistik" in browser.title or "finsam-outcomes" in browser.title, (name, browser.title)
        found[name] = violations(browser)
        # the site's stylesheet applied: the header is the dark blue of site.css
        header = browser.find_element(By.TAG_NAME, "header")
        assert header.value_of_css_property("background-color") == "rgba(11, 61, 92, 1)", name

    browser.get(live_server.url + "/api/v1/docs/")
    WebDriverWait(browser, 60).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".opblock"))
    found["swagger"] = violations(browser)
    browser.get(live_server.url + "/api/v1/redoc/")
    WebDriverWait(browser, 60).until(lambda b: b.find_elements(By.CSS_SELECTOR, "[data-section-id]"))
    found["redoc"] = violations(browser)
    assert found == {name: [] for name in found}
