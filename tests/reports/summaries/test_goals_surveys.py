"""Goals and indicator surveys in the summary, the intervention detail, the API and exports."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from outcomes.periods import Period
from outcomes.surveys.rules import AnswerInput, SurveyInput
from outcomes.surveys.services import survey_save
from reports.exports.layouts import detail_document, summary_document
from reports.exports.services import render_document
from reports.goals.services import GoalInput, goal_create, step_definition_set
from reports.summaries.api import SummaryOutputSerializer
from reports.summaries.selectors import association_summary, intervention_detail
from tests.factories import PASSWORD
from tests.reports.summary_data import lekeberg

pytestmark = pytest.mark.django_db

LEKEBERG_STEPS = ["employment", "studies", "job_seeking", "af_programme", "other_self_support", "municipal_labour"]


@pytest.fixture
def lekeberg_with_goal(association, django_capture_on_commit_callbacks):
    intervention = lekeberg(association)
    with django_capture_on_commit_callbacks(execute=True):
        step_definition_set(intervention=intervention, reasons=LEKEBERG_STEPS, excluded_reasons=[])
        goal_create(
            intervention=intervention,
            data=GoalInput(year=2024, label="Stegförflyttning", kind="step_progression", target=Decimal(50)),
        )
    return intervention


def test_the_summary_carries_the_goal_result_and_its_yellow_light(association, lekeberg_with_goal):
    summary = association_summary(association=association, period=Period.parse("2024"))
    (goal,) = summary.rows[0].goals
    assert (goal.label, goal.numerator, goal.denominator, goal.percent) == ("Stegförflyttning", 5, 11, 45)
    assert (goal.target, goal.status) == (50, "yellow")
    assert SummaryOutputSerializer.of(summary).data["interventions"][0]["goals"][0]["status"] == "yellow"


def test_the_summary_uses_the_interventions_own_step_definition(association, lekeberg_with_goal):
    step_definition_set(intervention=lekeberg_with_goal, reasons=["employment"], excluded_reasons=["returned"])
    row = association_summary(association=association, period=Period.parse("2024")).rows[0]
    # one exit to work, over the 11 exits less the 6 who went back to the referrer
    assert str(row.current.step_progression) == "20 % (1/5)"


def test_the_pages_show_the_goal_with_target_result_and_light(association, staff, client, lekeberg_with_goal):
    assert client.login(email=staff.email, password=PASSWORD)
    summary_html = client.get(f"/resultat/forbund/{association.pk}/?period=2024").content.decode()
    # the goals' own table (defect 13): intervention, goal, result, target, light
    assert (
        '<tr><th scope="row">Coachingteamet Lekeberg</th><td>Stegförflyttning</td>'
        '<td class="num">45&nbsp;% (5/11)</td><td class="num">50&nbsp;%</td>'
    ) in summary_html
    assert "Delvis uppnått" in summary_html
    detail_html = client.get(f"/resultat/insatser/{lekeberg_with_goal.pk}/?period=2024").content.decode()
    assert "Mål och måluppfyllelse" in detail_html
    assert "minst 50 %" in detail_html and "Delvis uppnått" in detail_html


def test_the_pages_write_at_most_targets_decimals_and_counts_as_the_goal_page_does(
    association, staff, client, lekeberg_with_goal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for data in (
            GoalInput(
                year=2024,
                label="Till vård",
                kind="share_of_exits",
                comparator="at_most",
                target=Decimal("12.5"),
                reasons=["care"],
            ),
            GoalInput(year=2024, label="Nya", kind="count", measure="new", target=Decimal(30), position=2),
        ):
            goal_create(intervention=lekeberg_with_goal, data=data)
    assert client.login(email=staff.email, password=PASSWORD)
    summary_html = client.get(f"/resultat/forbund/{association.pk}/?period=2024").content.decode()
    assert '<td>Till vård</td><td class="num">' in summary_html
    assert '<td class="num">12,5&nbsp;%</td>' in summary_html and '<td class="num">30</td>' in summary_html
    detail_html = client.get(f"/resultat/insatser/{lekeberg_with_goal.pk}/?period=2024").content.decode()
    assert "högst 12,5 %" in detail_html and "minst 30<" in detail_html
    goals_html = client.get(f"/resultat/insatser/{lekeberg_with_goal.pk}/mal/?period=2024").content.decode()
    assert "högst 12,5 %" in goals_html and "minst 30<" in goals_html


def test_the_exports_have_a_goal_sheet_and_publication_keeps_only_target_and_light(association, lekeberg_with_goal):
    summary = association_summary(association=association, period=Period.parse("2024"))
    internal = load_workbook(io.BytesIO(render_document(summary_document(summary), "xlsx")))["Mål"]
    assert [c.value for c in internal[4]][:7] == [
        "Coachingteamet Lekeberg",
        "Stegförflyttning",
        "minst 50 %",
        pytest.approx(5 / 11),
        5,
        11,
        "Delvis uppnått",
    ]
    published = load_workbook(io.BytesIO(render_document(summary_document(summary, publish=True), "xlsx")))["Mål"]
    assert [c.value for c in published[4]][:7] == [
        "Coachingteamet Lekeberg",
        "Stegförflyttning",
        "minst 50 %",
        "..",
        "..",
        "..",
        "Delvis uppnått",
    ]


def test_the_intervention_detail_shows_its_survey_tables_when_there_are_any(association, staff, client):
    intervention = lekeberg(association)
    detail = intervention_detail(intervention=intervention, period=Period.parse("2024"))
    assert detail.surveys is None
    survey_save(
        intervention=intervention,
        period_code="2024",
        group="participant_ongoing",
        data=SurveyInput(
            invited=33,
            answered={"women": 14, "men": 9, "other": 1},
            answers=[AnswerInput("p1", (0, 1, 2, 6, 8, 7), 0)],
        ),
    )
    detail = intervention_detail(intervention=intervention, period=Period.parse("2024"))
    rate = detail.surveys["response_rates"][0]
    assert (rate["invited"], rate["answered"], rate["percent"]) == (33, 24, 73)
    assert client.login(email=staff.email, password=PASSWORD)
    html = client.get(f"/resultat/insatser/{intervention.pk}/?period=2024").content.decode()
    assert "Indikatorenkäter 2024" in html and "Svarsfrekvens" in html
    assert "63 % <small>(15/24)</small>" in html  # p1: clearly positive 8 + 7 of 24
    sheet = load_workbook(io.BytesIO(render_document(detail_document(detail), "xlsx")))["Enkäter"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=6)]
    assert ["Pågående deltagare", 33, 9, 24, pytest.approx(24 / 33)] in [r[:5] for r in rows]
