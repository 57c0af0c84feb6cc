"""A staff member of a new association sets up the year in a real browser (issue 14, "Must show").

Headless Chromium against the live server: the staff member adds two member municipalities,
creates an intervention with owner, places and a budget, adds an exit reason and retires another,
invites a coordinator (the mail is in the test outbox); the coordinator opens the link, sets a
password and enters a report; the staff member approves it, and the Ändringslogg lists each step
with who and when. Every page is kept as a screenshot at 1280 and 390 px in ``var/test-artifacts/``.
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from outcomes.models import ExitReason, Intervention, Member, PeriodReport, ReportStatus
from outcomes.periods import Period
from tests.browser.test_report_form_browser import ARTIFACTS, SINGLE_VALUED, browser, type_into, wait_for
from tests.factories import PASSWORD, AssociationFactory, MembershipFactory

__all__ = ["browser"]  # the fixture, shared with the report form's test

WIDTHS = (1280, 390)


def shoot(driver, name: str) -> None:
    """Screenshots of the page at a desktop and a phone width; on the phone nothing scrolls sideways."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height, 600), 6000))
        assert driver.save_screenshot(str(ARTIFACTS / f"staff_{name}_{width}.png"))
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{name} scrolls sideways by {overflow} px at {width} px"
    driver.set_window_size(1280, 1000)


def sign_in(driver, base: str, email: str, password: str = PASSWORD) -> None:
    driver.get(f"{base}/konto/login/")
    type_into(driver, "username", email)
    type_into(driver, "password", password)
    # The login page has a main h1 too: wait until the start page has replaced it.
    click_and_wait_for_next_page(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    wait_for(driver, "main h1")


def sign_out(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "header form button[type=submit]").click()
    wait_for(driver, "input[name=username]")


def click_and_wait_for_next_page(driver, button) -> None:
    """Click and wait until the next page has replaced this one (a wait for an element that both
    pages have would otherwise return before the POST is done).

    The old document is marked and the wait is for a loaded document without the mark. Selenium's
    ``staleness_of`` asks the browser about the old element instead, and Chromium sometimes answers
    that question mid-navigation with an error ("Node with given id does not belong to the
    document") rather than "stale", which failed a CI run.
    """
    driver.execute_script("document.documentElement.dataset.leaving = 'yes'")
    button.click()
    WebDriverWait(driver, 20, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && !document.documentElement.dataset.leaving"
        )
    )


def submit(driver, label: str) -> None:
    click_and_wait_for_next_page(driver, driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']"))


def every_field_has_a_label(driver) -> None:
    for field in driver.find_elements(By.CSS_SELECTOR, "main input:not([type=hidden]), main select"):
        field_id = field.get_attribute("id")
        labelled = driver.find_elements(By.CSS_SELECTOR, f"label[for='{field_id}']") or field.find_elements(
            By.XPATH, "ancestor::label"
        )
        assert labelled, f"no label for {field.get_attribute('name')}"


@pytest.mark.django_db(transaction=True)
def test_staff_set_up_an_association_invite_a_coordinator_and_approve_the_report(live_server, browser):
    cache.clear()  # sign-in throttling counts of earlier tests from 127.0.0.1 must not refuse ours
    association = AssociationFactory(name="Samordningsförbundet Norra Örebro län")
    staff = MembershipFactory(association=association, role="staff").user
    base = live_server.url
    period = Period.for_date(timezone.localdate(), "quarter").previous()

    # 1. sign in and reach the association's pages from the header
    sign_in(browser, base, staff.email)
    browser.find_element(By.LINK_TEXT, "Förbundet").click()
    wait_for(browser, "ul.task-list")
    shoot(browser, "overview")

    # 2. two member municipalities; a duplicate is refused at the field, keeping what was typed
    browser.find_element(By.CSS_SELECTOR, "ul.task-list").find_element(By.LINK_TEXT, "Medlemmar").click()
    for name in ("Lindesbergs kommun", "Ljusnarsbergs kommun", "Lindesbergs kommun"):
        type_into(browser, "name", name)
        browser.find_element(By.CSS_SELECTOR, "select[name=kind] option[value=municipality]").click()
        submit(browser, "Lägg till medlem")
        wait_for(browser, "main h1")
    assert "Förbundet har redan en medlem som heter så." in browser.find_element(By.ID, "id_name_error").text
    assert browser.find_element(By.NAME, "name").get_attribute("value") == "Lindesbergs kommun"
    every_field_has_a_label(browser)
    shoot(browser, "members")
    assert Member.objects.filter(association=association).count() == 2

    # 3. an intervention with owner, places and a budget
    browser.get(f"{base}/forbund/{association.pk}/insatser/")
    browser.find_element(By.LINK_TEXT, "Ny insats").click()
    wait_for(browser, "input[name=name]")
    for name, value in {
        "name": "Coachingteamet",
        "owner": "Lindesbergs kommun",
        "start": f"{period.year - 1}-01-01",
        "places": "40",
        "budget_year": str(period.year),
        "budget_sek": "1200000",
    }.items():
        type_into(browser, name, value)
    every_field_has_a_label(browser)
    shoot(browser, "intervention_new")
    submit(browser, "Skapa insatsen")
    wait_for(browser, "[data-budget-year]")
    shoot(browser, "intervention_edit")
    intervention = Intervention.objects.get(association=association)
    assert (intervention.owner, intervention.places) == ("Lindesbergs kommun", 40)
    assert intervention.budgets.get(year=period.year).budget_sek == 1_200_000

    # 4. an exit reason added, another retired
    browser.get(f"{base}/forbund/{association.pk}/kataloger/")
    browser.find_element(By.LINK_TEXT, "Avslutsorsaker").click()
    type_into(browser, "code", "arbetstraning")
    type_into(browser, "label_sv", "Arbetsträning")
    browser.find_element(By.CSS_SELECTOR, "select[name=outcome_class] option[value=continued_rehab]").click()
    submit(browser, "Lägg till")
    wait_for(browser, "tr[data-code=arbetstraning]")
    browser.find_element(By.CSS_SELECTOR, "tr[data-code=moved] button[value=retire]").click()
    wait_for(browser, "tr[data-code=moved][data-active=false]")
    shoot(browser, "exit_reasons")
    assert not ExitReason.objects.get(association=association, code="moved").active

    # 5. the settings page shows the socio-economic value per person and year
    browser.get(f"{base}/forbund/{association.pk}/installningar/")
    assert "340000 kr" in browser.find_element(By.CSS_SELECTOR, "[data-testid=value-per-person]").text
    every_field_has_a_label(browser)
    shoot(browser, "settings")

    # 6. invite a coordinator of the intervention
    browser.get(f"{base}/forbund/{association.pk}/personer/")
    type_into(browser, "email", "samordnare@lindesberg.se")
    browser.find_element(By.CSS_SELECTOR, "input[name=role][value=coordinator]").click()
    browser.find_element(By.CSS_SELECTOR, f"input[name=interventions][value='{intervention.pk}']").click()
    submit(browser, "Skicka inbjudan")
    wait_for(browser, "tr[data-person='samordnare@lindesberg.se']")
    shoot(browser, "people")
    assert [m.to for m in mail.outbox] == [["samordnare@lindesberg.se"]]
    link = re.search(r"https?://\S+/konto/inbjudan/\S+/", mail.outbox[0].body).group(0)
    sign_out(browser)

    # 7. the coordinator opens the link, sets a password and lands on the start page
    browser.get(base + "/" + link.split("/", 3)[3])
    type_into(browser, "new_password1", "Blåbär-i-skogen-2024")
    type_into(browser, "new_password2", "Blåbär-i-skogen-2024")
    shoot(browser, "invitation")
    submit(browser, "Spara lösenordet")
    row = wait_for(browser, f'tr[data-period="{period.code}"]')

    # 8. ... and enters the report for the intervention
    row.find_element(By.PARTIAL_LINK_TEXT, "Fyll i").click()
    wait_for(browser, "#report-form")
    type_into(browser, "new__women", 2)
    type_into(browser, "new__men", 1)
    for dimension in SINGLE_VALUED:
        type_into(browser, f"dim__{dimension}__unknown__women", 2)
        type_into(browser, f"dim__{dimension}__unknown__men", 1)
    browser.find_element(By.CSS_SELECTOR, 'button[value="submit"]').click()
    wait_for(browser, f'tr[data-period="{period.code}"][data-status="submitted"]')
    sign_out(browser)

    # 9. the staff member approves it
    sign_in(browser, base, staff.email)
    browser.get(f"{base}/insatser/{intervention.pk}/{period.code}/")
    submit(browser, "Godkänn och lås")
    wait_for(browser, "main h1")
    assert PeriodReport.objects.get(intervention=intervention, period=period.code).status == ReportStatus.APPROVED

    # 10. the Ändringslogg lists each step with who and when
    browser.get(f"{base}/forbund/{association.pk}/andringslogg/")
    table = wait_for(browser, "[data-testid=change-log]")
    rows = [r.text for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    today = timezone.localtime().strftime("%Y-%m-%d")

    def logged(*words, by):
        return any(all(w in r for w in words) and by in r and today in r for r in rows)

    assert logged("medlem", "Lindesbergs kommun", by=staff.email)
    assert logged("medlem", "Ljusnarsbergs kommun", by=staff.email)
    assert logged("insats", "Coachingteamet", "antal platser: 40", by=staff.email)
    assert logged("beviljade medel", "1200000", by=staff.email)
    assert logged("katalog", "arbetstraning", by=staff.email)
    assert logged("katalog", "moved", "aktiv", "ja", "nej", by=staff.email)
    assert logged("samordnare@lindesberg.se", "Coachingteamet", "inbjuden", by=staff.email)
    assert logged("samordnare@lindesberg.se", "antagen", by="samordnare@lindesberg.se")
    assert logged("periodrapport", period.code, "inskickad", by="samordnare@lindesberg.se")
    assert logged("periodrapport", period.code, "godkänd", by=staff.email)
    shoot(browser, "change_log")
