"""The association summary's table and the completeness matrix as a person sees them (issue 18).

Defect 13: the summary table was 2 236 px wide in a 1 232 px page, with rows 350 px tall because
five goals shared one cell. Goals now have their own table, so the summary table fits the page at
1280 px and its rows stay one figure tall; the intervention column is sticky (kept in view at
390 px by ``test_phone_screenshots.py``). The completeness matrix scrolls inside a labelled region
that the keyboard reaches, with the intervention column kept in view.
"""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.test_every_page import PHONE_LIMIT, axe_violations, page_width, set_width
from tests.browser.test_phone_screenshots import full_page_screenshot, on_screen
from tests.browser.test_summary_screenshot import sign_in
from tests.factories import InterventionFactory, MembershipFactory
from tests.reports.goals.test_selectors import step_goal
from tests.reports.summary_data import enter, lekeberg, small

SUMMARY_ROW_LIMIT = 160  # px: a row of figures with their "jmf" lines, never a list of goals


def test_the_summary_table_fits_the_page_and_goals_have_rows_of_their_own(
    transactional_db, live_server, client, driver
):
    staff = MembershipFactory(role="staff").user
    association = staff.memberships.get().association
    intervention = lekeberg(association)
    for target in (40, 50, 60, 70, 80):  # five goals, as in the defect
        step_goal(intervention, target=target)
    small(association)
    driver.get(f"{live_server.url}/konto/login/")
    sign_in(driver, client, live_server, staff)
    set_width(driver, 1280)
    driver.get(f"{live_server.url}/resultat/forbund/{association.pk}/?period=2024")
    table, box = (driver.find_element(By.CSS_SELECTOR, css) for css in ("table.summary", "main"))
    measure = "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];"
    table_width = driver.execute_script(measure, table)[0]
    main_width = driver.execute_script(
        "const s = getComputedStyle(arguments[0]);"
        "return arguments[0].clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);",
        box,
    )
    print(f"summary table {table_width:.0f} px in a {main_width:.0f} px page")
    assert table_width <= main_width + 1
    heights = [driver.execute_script(measure, row)[1] for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    print(f"summary rows {[round(h) for h in heights]} px tall")
    assert len(heights) == 2 and max(heights) <= SUMMARY_ROW_LIMIT
    goals = driver.find_elements(By.CSS_SELECTOR, "table.summary-goals tbody tr")
    assert [row.find_element(By.CSS_SELECTOR, "th").text for row in goals] == ["Coachingteamet Lekeberg"] * 5
    assert {row.find_element(By.CSS_SELECTOR, "td").text for row in goals} == {"Stegförflyttning"}
    assert axe_violations(driver) == []
    full_page_screenshot(driver, 1280, "sammanstallning-mal-1280.png")
    set_width(driver, 390)
    driver.get(f"{live_server.url}/resultat/forbund/{association.pk}/?period=2024")
    assert page_width(driver) <= PHONE_LIMIT
    full_page_screenshot(driver, 390, "sammanstallning-mal-390.png")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_completeness_matrix_fits_scrolls_by_keyboard_and_keeps_the_intervention_in_view(
    transactional_db, live_server, client, driver, width
):
    staff = MembershipFactory(role="staff").user
    association = staff.memberships.get().association
    quarterly = lekeberg(association)
    monthly = InterventionFactory(association=association, name="Månadsinsatsen Nora", frequency="month")
    enter(monthly, {"2024M01": {"new": (1, 0, 0)}, "2024M02": {"new": (1, 1, 0)}})
    driver.get(f"{live_server.url}/konto/login/")
    sign_in(driver, client, live_server, staff)
    set_width(driver, width)
    driver.get(f"{live_server.url}/forbund/{association.pk}/rapportering/?period=2024Q1")
    assert page_width(driver) <= max(width, PHONE_LIMIT)
    assert axe_violations(driver) == []
    region = driver.find_element(By.CSS_SELECTOR, "[role=region].matrix-scroll")
    assert region.get_attribute("aria-labelledby") == "matrix-heading" and region.get_attribute("tabindex") == "0"
    assert "Januari 2024" in region.text and "Kvartal 4 2024" in region.text
    first = driver.find_element(By.CSS_SELECTOR, f"[data-matrix-intervention='{quarterly.pk}'] th")
    assert first.text == "Coachingteamet Lekeberg" and on_screen(driver, first)
    # The keyboard reaches the region and scrolls it; the intervention column stays in view.
    driver.execute_script("document.getElementById('period-code').focus();")
    for _ in range(12):
        if driver.switch_to.active_element == region:
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    assert driver.switch_to.active_element == region, "the matrix's region is not reached with Tab"
    for _ in range(40):
        region.send_keys(Keys.ARROW_RIGHT)
    scrolled = driver.execute_script("return arguments[0].scrollLeft", region)
    scrollable = driver.execute_script("return arguments[0].scrollWidth - arguments[0].clientWidth", region)
    if width < 600:
        assert scrollable > 0 and scrolled > 0, "at 390 px the matrix should scroll inside its region"
    assert on_screen(driver, first) and driver.execute_script(
        "const th = arguments[0], r = th.getBoundingClientRect();"
        "return document.elementFromPoint(r.left + 5, r.top + 5).closest('th') === th;",
        first,
    ), "the intervention's name is covered while the matrix scrolls"
    driver.execute_script("arguments[0].scrollLeft = 0;", region)
    full_page_screenshot(driver, width, f"rapportering-matris-{width}.png")
    # Submitted today, long after 2024's deadlines: Q1 has Lekeberg's and two months late, March overdue.
    assert "0 % (0/4)" in driver.find_element(By.CSS_SELECTOR, ".matrix tfoot").text
