"""Concurrent first saves of one survey, on the real PostgreSQL (CI's second run)."""

import threading

import pytest
from django.db import connection

from outcomes.models import Survey
from outcomes.surveys.rules import AnswerInput, SurveyInput
from outcomes.surveys.services import survey_save

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("group", ["participant_ongoing", "board"])
def test_simultaneous_first_saves_of_a_survey_all_succeed_and_make_one_survey(intervention, group):
    writers = 6
    barrier = threading.Barrier(writers)
    errors = []
    code = "p1" if group == "participant_ongoing" else "b12"
    owner = {"intervention": intervention} if group != "board" else {"association": intervention.association}

    def save(index):
        try:
            barrier.wait(timeout=10)
            survey_save(
                period_code="2025",
                group=group,
                data=SurveyInput(
                    invited=50, answered={"women": index + 1}, answers=[AnswerInput(code, (0, 0, 0, 0, 0, index + 1))]
                ),
                **owner,
            )
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    survey = Survey.objects.get(group=group, period="2025")
    assert survey.version == writers
