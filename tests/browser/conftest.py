"""One headless Chromium per test module for the sweeps (starting one costs a second or two)."""

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.browser.test_summary_screenshot import CHROMEDRIVER, CHROMIUM


@pytest.fixture(scope="module")
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=sv-SE"):
        options.add_argument(argument)
    chrome = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    chrome.set_page_load_timeout(120)
    chrome.set_script_timeout(60)
    yield chrome
    chrome.quit()
