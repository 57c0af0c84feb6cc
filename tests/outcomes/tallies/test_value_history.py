"""A value's history from its cell in the report form (issue 18): each value with history links
to the history page filtered to that value, which lists its versions (who, when, old → new)."""

import re

import pytest

from outcomes.tallies.services import report_save
from tests.conftest import report_input
from tests.outcomes.tallies.webforms import report_url, signed_in

pytestmark = pytest.mark.django_db


def history_url(intervention, key=""):
    return report_url(intervention, suffix="historik/") + (f"?falt={key}" if key else "")


@pytest.fixture
def changed(intervention, coordinator):
    """A report whose women's new participants went 4 → 1 234 and whose spending was set once."""
    first = report_save(
        intervention=intervention, period_code="2024Q1", data=report_input(new=(4, 2, 0)), user=coordinator
    )
    report_save(
        intervention=intervention,
        period_code="2024Q1",
        data=report_input(new=(1234, 2, 0), spent_sek=250000),
        user=coordinator,
        expected_version=first.report.version,
    )
    return first.report


def rows(html):
    body = html[html.index('id="historik-tabell"') :]
    return re.findall(r"<tr class=\"history-(\w+)\">(.*?)</tr>", body, re.S)


def test_the_history_filtered_to_one_value_lists_only_its_versions_with_who_and_old_and_new(
    intervention, coordinator, changed
):
    html = signed_in(coordinator).get(history_url(intervention, "new.women")).content.decode()
    assert "<h1>Historik för Nya deltagare, kvinnor</h1>" in html
    found = rows(html)
    assert [kind for kind, _row in found] == ["value", "value"]
    newest, oldest = (row for _kind, row in found)
    assert coordinator.email in newest and "<td>4</td><td>1\xa0234</td>" in newest
    assert "<td></td><td>4</td>" in oldest  # created: no old value
    assert "Nya deltagare, män" not in html and "Förbrukat" not in html
    assert 'href="/insatser/' in html and "Visa hela rapportens historik" in html


def test_the_unfiltered_history_and_an_unknown_key_show_every_change(intervention, coordinator, changed):
    client = signed_in(coordinator)
    page = client.get(history_url(intervention)).content.decode()
    assert f"<h1>Historik för {intervention.name}, kvartal 1 2024</h1>" in page  # the period in Swedish
    every = rows(page)
    assert len(every) > 3 and any("Förbrukat (kr)" in row for _kind, row in every)
    for key in ("nonsense", "status", "new.women%00"):
        response = client.get(history_url(intervention, key))
        assert response.status_code == 200
        assert len(rows(response.content.decode())) == len(every)


def test_each_value_with_history_links_to_its_own_history_by_its_label(intervention, coordinator, changed):
    html = signed_in(coordinator).get(report_url(intervention)).content.decode()
    url = history_url(intervention, "new.women")
    assert f'<a class="cell-history" href="{url}" aria-label="Historik för Nya deltagare, kvinnor">historik</a>' in html
    assert 'href="{}"'.format(history_url(intervention, "spent_sek")) in html
    # A value never set has no history to show.
    assert history_url(intervention, "new.other") not in html
    assert history_url(intervention, "exits.women") not in html


def test_a_form_not_yet_saved_has_no_history_links(intervention, coordinator):
    html = signed_in(coordinator).get(report_url(intervention)).content.decode()
    assert 'class="cell-history"' not in html
