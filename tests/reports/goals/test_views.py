"""The goal page at /resultat/insatser/<id>/mal/ and the staff's forms on it."""

from decimal import Decimal

import pytest
from django.test import TestCase

from outcomes.counts import Counts
from outcomes.tallies.services import ReportInput, report_save, report_submit
from reports.goals import selectors, services
from reports.goals.services import GoalInput
from reports.models import Goal
from tests.factories import InterventionFactory, MembershipFactory
from tests.reports.goal_data import DIMENSIONS, LEKEBERG_STEPS, enter_lekeberg

pytestmark = pytest.mark.django_db


def page(intervention, suffix=""):
    return f"/resultat/insatser/{intervention.pk}/{suffix}"


@pytest.fixture
def lekeberg(intervention):
    """The worked example with its 50 % step goal, and 2023 with 1 step of 2 exits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.step_definition_set(intervention=intervention, reasons=LEKEBERG_STEPS, excluded_reasons=[])
        services.goal_create(
            intervention=intervention,
            data=GoalInput(year=2024, label="Stegförflyttning", kind="step_progression", target=Decimal(50)),
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = report_save(
            intervention=intervention,
            period_code="2023Q4",
            data=ReportInput(
                ongoing_at_start=Counts(5, 5),
                exits_by_reason={"employment": Counts(1), "returned": Counts(0, 1)},
                breakdowns={d: {"unknown": Counts()} for d in DIMENSIONS},
            ),
        ).report
        report_submit(report=report)
    enter_lekeberg(intervention)
    return intervention


def test_staff_see_goal_target_result_light_and_last_year(client, staff, lekeberg):
    client.force_login(staff)
    response = client.get(page(lekeberg, "mal/?period=2024"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stegförflyttning" in html
    assert "minst 50 %" in html
    assert "45 % (5/11)" in html
    assert "Delvis uppnått" in html and "dot-yellow" in html  # the yellow light, coloured by reports/goals.css
    assert "Samma period föregående år (2023)" in html
    assert "50 % (1/2)" in html  # 2023 by this year's step definition
    assert "Nytt mål" in html and "Ändra stegdefinitionen" in html


def test_the_first_half_year_shows_its_own_result(client, staff, lekeberg):
    client.force_login(staff)
    html = client.get(page(lekeberg, "mal/?period=2024H1")).content.decode()
    assert "40 % (2/5)" in html


def test_a_coordinator_sees_the_page_without_editing_and_may_preview_drafts(client, coordinator, lekeberg):
    client.force_login(coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_save(
            intervention=lekeberg,
            period_code="2025Q1",
            data=ReportInput(
                exits_by_reason={"employment": Counts(1)},
                breakdowns={d: {"unknown": Counts()} for d in DIMENSIONS},
            ),
        )
        services.goal_create(
            intervention=lekeberg,
            data=GoalInput(year=2025, label="Steg 2025", kind="step_progression", target=Decimal(50)),
        )
    html = client.get(page(lekeberg, "mal/?period=2024")).content.decode()
    assert "45 % (5/11)" in html and "Nytt mål" not in html and "Ta bort" not in html
    assert "Uppgift saknas" in client.get(page(lekeberg, "mal/?period=2025")).content.decode()
    preview = client.get(page(lekeberg, "mal/?period=2025&utkast=1")).content.decode()
    assert "Förhandsvisning" in preview and "100 % (1/1)" in preview and "Uppnått" in preview
    assert client.get(page(lekeberg, "mal/nytt/")).status_code == 403
    assert client.get(page(lekeberg, "stegdefinition/")).status_code == 403


def test_outsiders_and_ungranted_coordinators_get_404(client, outsider, coordinator, lekeberg):
    other = InterventionFactory(association=lekeberg.association)
    client.force_login(outsider)
    assert client.get(page(lekeberg, "mal/")).status_code == 404
    client.force_login(coordinator)
    assert client.get(page(other, "mal/")).status_code == 404


def test_a_viewer_reads_the_page(client, lekeberg):
    viewer = MembershipFactory(association=lekeberg.association, role="viewer").user
    client.force_login(viewer)
    assert "45 % (5/11)" in client.get(page(lekeberg, "mal/")).content.decode()


def test_staff_create_a_goal_in_the_form_and_see_its_result(client, staff, lekeberg):
    client.force_login(staff)
    form = {
        "year": 2024,
        "label": "Till arbete eller studier",
        "kind": "share_of_exits",
        "comparator": "at_least",
        "target": "15",
        "yellow_ratio": "0,8",
        "reasons": ["employment", "studies"],
        "excluded_reasons": ["moved"],
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(page(lekeberg, "mal/nytt/"), form)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Till arbete eller studier" in html and "18 % (2/11)" in html and "minst 15 %" in html


def test_a_refused_goal_shows_the_rule_on_the_field_and_stores_nothing(client, staff, intervention):
    client.force_login(staff)
    form = {"year": 2024, "label": "Andel", "kind": "share_of_exits", "comparator": "at_least"}
    response = client.post(page(intervention, "mal/nytt/"), {**form, "target": "150", "yellow_ratio": "0.8"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "högst 100" in html
    assert "Ange vilka avslutsorsaker" in html
    assert not Goal.objects.exists()


def test_staff_edit_a_goal_and_the_step_definition_in_forms(client, staff, lekeberg):
    client.force_login(staff)
    goal = Goal.objects.get()
    form = {
        "year": 2024,
        "label": "Stegförflyttning",
        "kind": "step_progression",
        "comparator": "at_least",
        "target": "45",
        "yellow_ratio": "0.8",
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(page(lekeberg, f"mal/{goal.pk}/"), form).status_code == 302
    assert "Uppnått" in client.get(page(lekeberg, "mal/?period=2024")).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            page(lekeberg, "stegdefinition/"), {"reasons": ["employment", "returned"], "excluded_reasons": []}
        )
    assert response.status_code == 302
    assert selectors.step_definition_of(lekeberg)["reasons"] == ["employment", "returned"]
    assert "64 % (7/11)" in client.get(page(lekeberg, "mal/?period=2024")).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(page(lekeberg, f"mal/{goal.pk}/ta-bort/"), {"confirm": "yes"}).status_code == 302
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("indicator_number", "32768", "Indikatornummer: talet får vara högst 32\xa0767."),
        ("position", "32768", "Ordning: talet får vara högst 32\xa0767."),
    ],
)
def test_it_refuses_a_number_too_large_for_its_column_in_the_goal_form(
    client, staff, intervention, field, value, message
):
    client.force_login(staff)
    form = {
        "year": 2024,
        "label": "Nytta",
        "kind": "indicator",
        "comparator": "at_least",
        "target": "70",
        "yellow_ratio": "0,8",
        "group": "participant_ongoing",
        "figure": "key_figure",
        "indicator_number": "1",
        field: value,
    }
    response = client.post(page(intervention, "mal/nytt/"), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Goal.objects.exists()


def test_deleting_a_goal_asks_first_and_one_click_deletes_nothing(client, lekeberg):
    staff = MembershipFactory(association=lekeberg.association, role="staff").user
    client.force_login(staff)
    goal = Goal.objects.get()
    asked = client.post(page(lekeberg, f"mal/{goal.pk}/ta-bort/"))
    text = asked.content.decode()
    assert asked.status_code == 200
    assert "Ta bort målet ”Stegförflyttning”?" in text and "Ja, ta bort målet" in text and "Avbryt" in text
    assert Goal.objects.filter(pk=goal.pk).exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(page(lekeberg, f"mal/{goal.pk}/ta-bort/"), {"confirm": "yes"}, follow=True)
    assert not Goal.objects.exists()
    assert done.content.decode().count("Målet är borttaget.") == 1  # the flash message, shown once


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        # Count goals count participants, the activity log and the catalog's measures (issue 15).
        (
            "count",
            "Ange vad som räknas: deltagare under perioden, nya deltagare, avslutade deltagare, "
            "deltagare i aktiviteter, antal aktiviteter, tillfällen, utställare, Rådgivande samtal",
        ),
        ("indicator", "Ange nyckeltal: andel positiva, andel tydligt positiva, nätverkets nyckeltal eller andel ja."),
    ],
)
def test_the_goal_form_names_the_choices_by_their_labels_never_their_codes(client, intervention, kind, message):
    staff = MembershipFactory(association=intervention.association, role="staff").user
    client.force_login(staff)
    body = {"year": "2024", "label": "Nytt mål", "kind": kind, "comparator": "at_least", "target": "10"}
    body |= {"yellow_ratio": "0,8", "position": "0"}
    response = client.post(page(intervention, "mal/nytt/"), body)
    text = response.content.decode()
    assert message in text
    assert "participants, new" not in text and "clearly_positive, key_figure" not in text
    assert not Goal.objects.exists()


@pytest.mark.parametrize("typed", ["10 %", "10%", "10\u00a0%"])
def test_a_goal_target_may_be_typed_with_a_percent_sign(client, intervention, typed):
    staff = MembershipFactory(association=intervention.association, role="staff").user
    client.force_login(staff)
    body = {"year": "2024", "label": "Till arbete", "kind": "step_progression", "comparator": "at_least"}
    body |= {"target": typed, "yellow_ratio": "0,8", "position": "0"}
    response = client.post(page(intervention, "mal/nytt/"), body)
    assert response.status_code == 302, response.content.decode()[-800:]
    assert Goal.objects.get().target == Decimal(10)


def test_a_count_goal_shows_whole_head_counts_with_thousands_separators(client, intervention):
    staff = MembershipFactory(association=intervention.association, role="staff").user
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = report_save(
            intervention=intervention,
            period_code="2024Q1",
            data=ReportInput(
                ongoing_at_start=Counts(0, 0),
                new=Counts(1000, 502),
                breakdowns={d: {"unknown": Counts(1000, 502)} for d in DIMENSIONS},
            ),
        ).report
        report_submit(report=report)
        services.goal_create(
            intervention=intervention,
            data=GoalInput(year=2024, label="Nya", kind="count", measure="new", target=Decimal(2500)),
        )
    client.force_login(staff)
    html = client.get(page(intervention, "mal/?period=2024Q1")).content.decode()
    assert "1\u00a0502" in html  # the result, grouped
    assert "1502" not in html and "1\u00a0502,0" not in html
    year = client.get(page(intervention, "mal/?period=2024")).content.decode()
    assert "minst 2\u00a0500" in year and "1\u00a0502" in year  # the year's target, grouped
