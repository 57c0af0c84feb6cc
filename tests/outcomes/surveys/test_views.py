"""The survey web pages: one grid per question, rules named, lights, permissions."""

import re

import pytest
from django.urls import reverse

from outcomes.models import NationalAverage, Survey, SurveyQuestion
from outcomes.surveys.selectors import survey_figure
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    assert client.login(username=user.email, password=PASSWORD)
    return client


def edit_url(intervention, period="2024", group="participant_ongoing"):
    return reverse("survey-intervention-edit", args=[intervention.pk, period, group])


def post_data(invited=33, women=14, men=9, other=1, **questions):
    data = {"invited": invited, "answered_women": women, "answered_men": men, "answered_other": other}
    for code, (counts, blank) in questions.items():
        for index, count in enumerate(counts, start=1):
            data[f"q_{code}_{index}"] = count
        data[f"q_{code}_blank"] = blank
    return data


@pytest.fixture
def viewer(association):
    return MembershipFactory(association=association, role="viewer").user


def test_the_form_has_one_grid_per_question_with_a_label_on_every_input(client, coordinator, intervention):
    page = signed_in(client, coordinator).get(edit_url(intervention)).content.decode()
    assert page.count('<fieldset class="grid') == 1 + 7  # invited/answered plus p1–p7
    inputs = re.findall(r'<input type="text" name="[^"]+"[^>]*inputmode="numeric"[^>]*id="([^"]+)"', page)
    assert len(inputs) == 4 + 7 * 7
    for input_id in inputs:
        assert f'<label for="{input_id}"' in page, input_id
    assert "Aldrig" in page and "För det mesta" in page and "Inte alls" in page  # p6 is on the extent scale


def test_a_coordinator_saves_a_survey_without_javascript_and_sees_the_figures(client, coordinator, intervention):
    client = signed_in(client, coordinator)
    response = client.post(edit_url(intervention), post_data(p1=((0, 1, 2, 6, 8, 7), 0)))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert page.count("Enkäten är sparad.") == 1  # the flash message, shown once
    assert "svarsfrekvens 73 %" in page
    assert "87,5 %" in page and "62,5 %" in page  # Swedish decimal comma
    assert survey_figure(
        intervention=intervention, period="2024", figure="key_figure", group="participant_ongoing", question_code="p1"
    ) == (15, 24)
    # The running total is rendered by the server: 24 of 24 answered.
    assert re.search(r'<output class="running-total">24</output> av <span class="answered-of">24</span>', page)


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (post_data(p1=((0, 1, 2, 6, 8, 6), 0)), "(alternativ och blanka) summerar till 23 men 24 har svarat"),
        (post_data(p1=((0, 1, 2, 6, 8, 8), -1)), "Antal blanka svar på fråga p1 får inte vara negativt."),
        (post_data(invited=10, p1=((0, 1, 2, 6, 8, 7), 0)), "24 har svarat men bara 10 tillfrågades."),
    ],
)
def test_bad_input_is_shown_in_words_and_nothing_stored(client, coordinator, intervention, data, rule):
    response = signed_in(client, coordinator).post(edit_url(intervention), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enkäten sparades inte" in page
    assert rule in page
    assert "regel:" not in page  # the rule's code is not shown to people
    assert not Survey.objects.exists()


def test_a_mismatching_running_total_is_shown_after_a_refused_save(client, coordinator, intervention):
    response = signed_in(client, coordinator).post(edit_url(intervention), post_data(p1=((0, 1, 2, 6, 8, 6), 0)))
    page = response.content.decode()
    assert '<fieldset class="grid mismatch" data-question="p1">' in page
    assert re.search(r'<span class="total-bad"><output class="running-total">23</output> av', page)


@pytest.mark.parametrize(
    ("period", "group", "rule"),
    [("2024", "customers", "unknown_group"), ("2024", "board", "unknown_group"), ("20x4", "staff", "invalid_period")],
    # the code is kept in a data-rule attribute only; what people read is the message
)
def test_unknown_groups_and_periods_are_refused_with_the_rule_named(
    client, coordinator, intervention, period, group, rule
):
    client = signed_in(client, coordinator)
    page = client.get(edit_url(intervention, period=period, group=group))
    assert page.status_code == 400 and f'data-rule="{rule}"' in page.content.decode()
    posted = client.post(edit_url(intervention, period=period, group=group), post_data(s8=((0, 0, 0, 0, 0, 24), 0)))
    assert posted.status_code == 400 and f'data-rule="{rule}"' in posted.content.decode()
    assert "regel:" not in posted.content.decode()
    assert not Survey.objects.exists()


def test_a_tampered_question_field_is_not_stored(client, coordinator, intervention):
    data = {**post_data(p1=((0, 0, 0, 0, 0, 24), 0)), "q_x99_6": 24, "q_e1_6": 24}
    assert signed_in(client, coordinator).post(edit_url(intervention), data).status_code == 302
    assert list(Survey.objects.get().answers.values_list("question__code", flat=True)) == ["p1"]


def test_a_wrong_period_for_the_intervention_is_refused_with_the_rule_named(client, coordinator, intervention):
    response = signed_in(client, coordinator).post(
        edit_url(intervention, period="2024T1"), post_data(p1=((0, 1, 2, 6, 8, 7), 0))
    )
    assert response.status_code == 400 and "går inte att dela i hela kvartal" in response.content.decode()
    assert not Survey.objects.exists()


def test_viewers_read_but_cannot_save_and_outsiders_and_other_coordinators_see_nothing(
    client, coordinator, staff, viewer, outsider, intervention, teammate_intervention
):
    signed_in(client, staff).post(edit_url(intervention), post_data(p1=((0, 1, 2, 6, 8, 7), 0)))
    client.logout()
    signed_in(client, viewer)
    page = client.get(edit_url(intervention)).content.decode()
    assert "svarsfrekvens 73 %" in page and "Spara enkäten" not in page
    assert client.post(edit_url(intervention), post_data(p1=((0, 0, 0, 0, 0, 24), 0))).status_code == 403
    client.logout()
    signed_in(client, outsider)
    assert client.get(edit_url(intervention)).status_code == 404
    assert client.get(reverse("survey-intervention", args=[intervention.pk])).status_code == 404
    client.logout()
    signed_in(client, coordinator)
    assert client.get(edit_url(teammate_intervention)).status_code == 404
    assert Survey.objects.get().answers.get().option_6 == 7


def test_the_overview_shows_the_response_table_and_lights(client, staff, intervention):
    client = signed_in(client, staff)
    client.post(edit_url(intervention, "2023"), post_data(p1=((0, 0, 4, 5, 8, 7), 0)))
    client.post(edit_url(intervention, "2024"), post_data(p1=((0, 1, 2, 6, 8, 7), 0)))
    NationalAverage.objects.create(
        association=intervention.association,
        question=intervention.association.survey_questions.get(code="p1"),
        year=2024,
        percent=70,
    )
    page = client.get(reverse("survey-intervention", args=[intervention.pk]) + "?period=2024").content.decode()
    assert re.search(
        r"<td class=\"num\">33</td><td class=\"num\">9</td><td class=\"num\">24</td><td class=\"num\">73 %", page
    )
    assert "63 % <small>(15/24)</small>" in page
    assert "▼ lägre" in page  # below the national average of 70 %
    assert "● lika" in page  # 63 % last year too


def test_board_surveys_and_national_averages_are_for_staff(client, association, staff, viewer, coordinator):
    board = reverse("survey-association-edit", args=[association.pk, "2024", "board"])
    averages = reverse("survey-national-averages", args=[association.pk, 2024])
    data = post_data(invited=7, women=4, men=3, other=0, b12=((0, 0, 1, 2, 3, 1), 0))
    signed_in(client, coordinator)
    assert client.get(board).status_code == 404
    assert client.get(averages).status_code == 404
    client.logout()
    signed_in(client, viewer)
    assert client.post(board, data).status_code == 403
    assert client.post(averages, {"avg_p1": "70"}).status_code == 403
    client.logout()
    signed_in(client, staff)
    assert client.post(board, data).status_code == 302
    assert Survey.objects.get().intervention is None
    page = client.get(averages).content.decode()
    assert '<label for="id_avg_p1">' in page and '<label for="id_avg_b16">' in page
    refused = client.post(averages, {"avg_p1": "170", "avg_e6": "59,5"})
    assert refused.status_code == 400 and "ska vara en procentsats mellan 0 och 100" in refused.content.decode()
    assert "regel:" not in refused.content.decode() and "average_range" not in refused.content.decode()
    assert not NationalAverage.objects.exists()
    assert client.post(averages, {"avg_p1": "76", "avg_e6": "59,5"}).status_code == 302
    stored = {a.question.code: float(a.percent) for a in NationalAverage.objects.select_related("question")}
    assert stored == {"p1": 76.0, "e6": 59.5}
    # Shown back as typed in Swedish, with the decimal comma.
    assert 'value="59,5"' in client.get(averages).content.decode()


def test_the_start_page_links_to_the_surveys(client, coordinator, intervention):
    page = signed_in(client, coordinator).get(reverse("home")).content.decode()
    assert reverse("survey-intervention", args=[intervention.pk]) in page
    index = client.get(reverse("survey-index")).content.decode()
    assert intervention.name in index


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (post_data(invited=2**31), "Antal tillfrågade"),
        (post_data(invited=2**31, women=2**31, men=0, other=0, p1=((0, 0, 0, 0, 0, 2**31), 0)), "Svarande kvinnor"),
        (post_data(invited=2**31 - 1, women=24, men=0, other=0, p1=((0, 0, 0, 0, 0, 2**31), 0)), "Fråga p1, Alltid"),
    ],
)
def test_it_refuses_a_count_too_large_for_its_column_in_swedish_and_keeps_the_stored_survey(
    client, coordinator, intervention, data, named
):
    client = signed_in(client, coordinator)
    assert client.post(edit_url(intervention), post_data(p1=((0, 1, 2, 6, 8, 7), 0))).status_code == 302
    response = client.post(edit_url(intervention), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enkäten sparades inte" in page
    assert f"{named}: talet får vara högst 2\xa0147\xa0483\xa0647." in page
    survey = Survey.objects.get()
    assert (survey.invited, survey.answered_women, survey.version) == (33, 14, 1)


def test_a_national_average_may_be_typed_with_a_percent_sign(client, association):
    staff = MembershipFactory(association=association, role="staff").user
    averages = reverse("survey-national-averages", args=[association.pk, 2024])
    response = signed_in(client, staff).post(averages, {"avg_p1": "70 %", "avg_e6": "59,5%"})
    assert response.status_code == 302
    stored = {a.question.code: float(a.percent) for a in NationalAverage.objects.select_related("question")}
    assert stored == {"p1": 70.0, "e6": 59.5}
    page = client.get(response["Location"]).content.decode()
    assert page.count("Rikssnitten för 2024 är sparade.") == 1  # the flash message, shown once (defect 11)


def test_a_retired_question_shows_only_on_the_form_of_a_survey_that_answered_it(client, coordinator, intervention):
    client = signed_in(client, coordinator)
    assert client.post(edit_url(intervention), post_data(p1=((0, 1, 2, 6, 8, 7), 0))).status_code == 302
    SurveyQuestion.objects.filter(association=intervention.association, code="p1").update(active=False)
    answered = client.get(edit_url(intervention)).content.decode()
    new = client.get(edit_url(intervention, period="2025")).content.decode()
    assert answered.count('<fieldset class="grid') == 1 + 7
    assert new.count('<fieldset class="grid') == 1 + 6
    assert 'name="q_p1_1"' in answered and 'name="q_p1_1"' not in new
