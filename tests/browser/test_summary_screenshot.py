"""Headless Chromium opens the summary page of a running server and the tests keep the pictures.

Screenshots are written to the test's own directory (``tmp_path``) and copied to
``var/test-artifacts/`` so that a person can look at them after ``make test``.
"""

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageStat
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.factories import MembershipFactory
from tests.reports.summary_data import lekeberg, small

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


@pytest.fixture
def browser(transactional_db, live_server):
    """Started after and quit before the server and the database, so no request outlives them."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=2000,1100",
        "--lang=sv-SE",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)  # the machine is shared: be patient, never flaky
    yield driver
    driver.quit()


def keep(path: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, ARTIFACTS / path.name)


def assert_a_real_picture(data: bytes, *, min_width: int) -> None:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.width >= min_width
    extremes = ImageStat.Stat(image.convert("L")).extrema[0]
    assert extremes[1] - extremes[0] > 100, "the picture is blank"


def sign_in(browser, client, live_server, user):
    client.force_login(user)
    browser.get(f"{live_server.url}/konto/login/")
    browser.add_cookie(
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    )


def test_a_screenshot_of_the_summary_page_and_a_png_chart_are_saved(browser, live_server, client, tmp_path):
    staff = MembershipFactory(role="staff").user
    association = staff.memberships.get().association
    intervention = lekeberg(association)
    small(association)
    sign_in(browser, client, live_server, staff)

    browser.get(f"{live_server.url}/resultat/forbund/{association.pk}/?period=2024")
    assert "Sammanställning" in browser.title
    table = browser.find_element(By.CSS_SELECTOR, "table.summary")
    assert "Coachingteamet Lekeberg" in table.text
    assert "45 % (5/11)" in table.text
    browser.set_window_size(2000, browser.execute_script("return document.body.scrollHeight") + 120)
    page = tmp_path / "sammanstallning-2024.png"
    page.write_bytes(browser.get_screenshot_as_png())
    assert_a_real_picture(page.read_bytes(), min_width=1000)
    keep(page)

    chart_url = f"/resultat/insatser/{intervention.pk}/diagram/exits.png?period=2024"
    chart = tmp_path / "avslutade-per-orsak-2024.png"
    chart.write_bytes(client.get(chart_url).content)
    assert_a_real_picture(chart.read_bytes(), min_width=800)
    keep(chart)

    # One request at a time: the test server shares one SQLite connection between its threads, so
    # the detail page's many chart images loading at once would race in the test harness only.
    svg_url = f"/resultat/insatser/{intervention.pk}/diagram/exits.svg?period=2024"
    detail_html = client.get(f"/resultat/insatser/{intervention.pk}/?period=2024").content.decode()
    assert svg_url.replace("&", "&amp;") in detail_html or svg_url in detail_html
    browser.get(f"{live_server.url}{svg_url}")
    assert "Avslutade per orsak, 2024" in browser.page_source
    drawn = tmp_path / "avslutade-per-orsak-2024-svg.png"
    drawn.write_bytes(browser.get_screenshot_as_png())
    assert_a_real_picture(drawn.read_bytes(), min_width=800)
    keep(drawn)
