"""Every page of each role, in headless Chromium, at 1280 and at 390 px: axe-core finds no serious
or critical violation of WCAG 2.1 A and AA, and at 390 px no page is wider than 400 px.

The pages are not listed here: they are the web routes of the URL configuration, enumerated and
filled exactly as ``tests/test_access_matrix.py`` does (its ``POLICY`` says which role may see a
page, its world and ``parameter_values`` fill the URL parameters). A page added later is swept as
soon as it has its access-matrix entry, and a page the matrix cannot fill fails there. Pages are
the answers that are HTML; files (CSV, XLSX, charts) and redirects are not pages. Besides the
routes, the error pages (403, 404), the report form showing broken rules and one value's history
are swept.

axe-core is the npm package ``make test`` installs into ``var/axe/`` (see the Makefile). One
browser session is reused for every page, so the sweep costs a page load and an axe run per page
and width.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.conf import settings
from django.test import Client

from tests.test_access_matrix import (
    ALLOW,
    INSIDERS,
    OBJECT_PARAMS,
    ROUTES,
    build_world,
    cases,
    expected_class,
    policy_entry,
)

AXE = Path(settings.BASE_DIR) / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
PHONE_LIMIT = 400
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEVERE = {"serious", "critical"}


@dataclasses.dataclass(frozen=True)
class Page:
    user: str
    url: str
    name: str


def pages_of(world) -> list[Page]:
    """Every HTML page a person of association A may open, as the access matrix fills it."""
    pages = []
    for route in ROUTES:
        if route.kind != "web" or route.method != "GET":
            continue
        has_object = any(p in OBJECT_PARAMS for p in route.params)
        for target, variant, url, _ghost in cases(world, route):
            if target != "granted":
                continue
            entry = policy_entry(route, variant)
            for user in INSIDERS:
                if expected_class(entry, user, has_object, target) != ALLOW:
                    continue
                client = Client()
                client.force_login(world.users[user])
                response = client.get(url)
                if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                    pages.append(Page(user, url, route.route or "/"))
    return pages


def open_as(driver, live_server, world, user: str, cookies: dict) -> None:
    if user not in cookies:
        client = Client()
        client.force_login(world.users[user])
        cookies[user] = client.cookies[settings.SESSION_COOKIE_NAME].value
    driver.delete_all_cookies()
    driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookies[user]})


def set_width(driver, width: int) -> None:
    """A phone-sized viewport (device metrics, as Chromium's device mode sets them)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 844 if width < 600 else 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def axe_violations(driver) -> list[str]:
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
          .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))
          .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));""",
        AXE_TAGS,
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in result if v["impact"] in SEVERE]


def page_width(driver) -> int:
    return driver.execute_script(
        "return Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0)"
    )


def too_wide(driver) -> list[str]:
    """The outermost elements that reach past the screen, to say what to fix."""
    return driver.execute_script(
        """const limit = window.innerWidth; const found = [];
        for (const el of document.body.querySelectorAll('*')) {
          if (el.getBoundingClientRect().right <= limit + 1) continue;
          if (found.some(f => f.contains(el))) continue;
          found.push(el);
        }
        return found.slice(0, 4).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
          ' ' + Math.round(el.getBoundingClientRect().right) + ' px');"""
    )


def sweep(driver, live_server, world, pages) -> list[str]:
    problems, cookies = [], {}
    by_user = sorted(pages, key=lambda p: p.user)
    for width in WIDTHS:
        set_width(driver, width)
        current = None
        for page in by_user:
            if page.user != current:
                driver.get(f"{live_server.url}/konto/login/")
                open_as(driver, live_server, world, page.user, cookies)
                current = page.user
            driver.get(f"{live_server.url}{page.url}")
            where = f"{page.url} as {page.user} at {width} px"
            problems += [f"{where}: {v}" for v in axe_violations(driver)]
            if width < 600 and (wide := page_width(driver)) > PHONE_LIMIT:
                problems.append(f"{where}: the page is {wide} px wide (at most {PHONE_LIMIT}): {too_wide(driver)}")
    return problems


def extra_pages(world) -> list[Page]:
    """Page states the routes do not show by themselves: error pages and broken rules."""
    granted = world.target("granted").intervention
    ungranted = world.target("ungranted").intervention
    return [
        Page("coordinator_a", f"/insatser/{ungranted.pk}/2024Q1/", "404"),
        Page("viewer_a", f"/resultat/insatser/{granted.pk}/mal/nytt/", "403"),
        Page("staff_a", "/finns-inte/", "404"),
        # one value's history, where the report form's cells link (issue 18)
        Page("coordinator_a", f"/insatser/{granted.pk}/2024Q1/historik/?falt=new.women", "value history"),
    ]


def test_every_page_of_each_role_passes_axe_and_fits_a_phone(transactional_db, live_server, driver):
    assert AXE.exists(), f"axe-core is missing at {AXE}: `make test` installs it (npm install axe-core)"
    world = build_world()
    pages = pages_of(world)
    names = {p.name for p in pages}
    assert {"/", "insatser/<int:intervention_id>/<str:period>/", "resultat/forbund/<int:association_id>/"} <= names
    # the staff pages (issue 14), the change log and the file import (issue 16) are swept too
    assert {"forbund/<int:association_id>/", "forbund/<int:association_id>/andringslogg/", "las-in/"} <= names
    # the measures catalog and one measure's edit page (issue 15)
    assert {
        "forbund/<int:association_id>/kataloger/matt/",
        "forbund/<int:association_id>/kataloger/matt/<int:entry_id>/",
    } <= names
    pages += extra_pages(world)
    problems = sweep(driver, live_server, world, pages)
    print(f"page sweep: {len(pages)} pages × {len(WIDTHS)} widths, {len(problems)} problems")
    assert not problems, "\n".join(problems)


def test_the_sweep_finds_a_violation_and_a_page_too_wide_for_a_phone(live_server, driver):
    """The checks themselves: an image without a text alternative is a critical violation, and a
    1000 px wide block makes the page too wide at 390 px."""
    driver.get(f"{live_server.url}/konto/login/")
    set_width(driver, 390)
    driver.execute_script(
        "const i = document.createElement('img'); i.src = '/static/outcomes/site.css'; document.body.append(i);"
        "const d = document.createElement('div'); d.textContent = 'x'; d.setAttribute('data-w', '1');"
        "d.style.setProperty('width', '1000px'); document.body.append(d);"
    )
    assert any(v.startswith("image-alt (critical)") for v in axe_violations(driver))
    assert page_width(driver) > PHONE_LIMIT


def contrast(rgb_a, rgb_b) -> float:
    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_three_to_one_on_the_page_and_in_the_header(live_server, driver):
    """WCAG 1.4.11: a focused link's outline against the white page, a focused header button's
    against the dark header."""
    driver.get(f"{live_server.url}/konto/login/")
    set_width(driver, 1280)
    colours = driver.execute_script(
        """const rgb = s => s.match(/\\d+/g).slice(0, 3).map(Number);
        const link = document.querySelector('main a'); link.focus();
        const page = [rgb(getComputedStyle(link).outlineColor), rgb(getComputedStyle(document.body).backgroundColor)];
        const header = document.querySelector('header');
        const b = document.createElement('button'); b.textContent = 'x'; header.append(b); b.focus();
        return [page, [rgb(getComputedStyle(b).outlineColor), rgb(getComputedStyle(header).backgroundColor)]];"""
    )
    page, header = colours
    page[1] = page[1] if any(page[1]) else [255, 255, 255]  # a transparent body is the white canvas
    assert contrast(*page) >= 3, f"focus ring {page[0]} on {page[1]}"
    assert contrast(*header) >= 3, f"focus ring {header[0]} on {header[1]}"
