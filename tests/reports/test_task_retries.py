"""Tasks retry only on transient database errors: a broken connection, not a broken row."""

import logging
from unittest import mock

import pytest
from django.db import DataError, IntegrityError, InterfaceError, OperationalError

from finsam.celery import app
from outcomes import tasks as outcome_tasks
from reports import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _failures_stay_in_the_task():
    """As on a worker: a failed eager task (and its eager retries) answer a failed result."""
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


@pytest.mark.parametrize("error", [DataError, IntegrityError])
def test_it_fails_a_recomputation_at_once_without_retrying_on_a_permanent_database_error(intervention, caplog, error):
    with (
        mock.patch.object(tasks.goal_services, "goal_results_recompute", side_effect=error("bad row")) as recompute,
        caplog.at_level(logging.ERROR, logger="celery.app.trace"),
    ):
        outcome = tasks.goal_results_recompute_goals.apply(args=(intervention.pk,))
    assert outcome.failed()
    assert isinstance(outcome.result, error)
    assert recompute.call_count == 1
    assert "bad row" in caplog.text  # the failure is logged, with the database's message


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_it_retries_a_recomputation_on_a_broken_connection_and_then_succeeds(intervention, error):
    with mock.patch.object(
        tasks.goal_services, "goal_results_recompute", side_effect=[error("connection lost"), error("again"), 3]
    ) as recompute:
        outcome = tasks.goal_results_recompute_goals.apply(args=(intervention.pk,))
    assert outcome.successful()
    assert recompute.call_count == 3


def test_it_does_not_retry_the_overdue_reminders_on_a_data_error(db):
    with mock.patch.object(outcome_tasks, "overdue_reminders_send", side_effect=DataError("value too long")) as send:
        outcome = outcome_tasks.overdue_reminders_send_task.apply()
    assert outcome.failed()
    assert send.call_count == 1
