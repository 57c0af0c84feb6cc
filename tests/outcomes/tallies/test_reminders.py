"""The scheduled reminder about overdue reports: once per period, only to the coordinators."""

import datetime as dt

import pytest
from django.core import mail

from finsam.celery import app
from outcomes.models import OverdueReminder
from outcomes.tallies.reminders import overdue_reminders_send
from outcomes.tallies.services import report_save, report_submit
from outcomes.tasks import overdue_reminders_send_task
from tests.conftest import report_input
from tests.factories import InterventionFactory

pytestmark = pytest.mark.django_db


def test_coordinators_are_reminded_once_per_overdue_period(intervention, coordinator, staff):
    intervention.start = dt.date(2024, 1, 1)
    intervention.save()
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0))).report
    report_submit(report=report)
    report_save(intervention=intervention, period_code="2024Q2", data=report_input(new=(1, 0, 0)))  # a draft only
    # 2024Q2 ended 30 June; with 15 days it is overdue from 16 July. 2024Q3 is not over yet.
    assert overdue_reminders_send(today=dt.date(2024, 7, 15)) == 0
    assert overdue_reminders_send(today=dt.date(2024, 7, 16), site_url="https://finsam.example") == 1
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "2024Q2" in mail.outbox[0].subject and "försenad" in mail.outbox[0].subject
    assert f"https://finsam.example/insatser/{intervention.pk}/2024Q2/" in mail.outbox[0].body
    assert overdue_reminders_send(today=dt.date(2024, 7, 20)) == 0
    assert len(mail.outbox) == 1
    assert list(OverdueReminder.objects.values_list("period", flat=True)) == ["2024Q2"]


def test_an_intervention_without_coordinators_gets_no_reminder(association):
    InterventionFactory(association=association, start=dt.date(2024, 1, 1))
    assert overdue_reminders_send(today=dt.date(2024, 8, 1)) == 0
    assert mail.outbox == [] and not OverdueReminder.objects.exists()


def test_only_periods_of_the_last_year_are_reminded(intervention, coordinator):
    # the intervention started in 2020; a first run in 2024 reminds about at most a year back
    overdue_reminders_send(today=dt.date(2024, 7, 16))
    periods = sorted(OverdueReminder.objects.values_list("period", flat=True))
    assert periods == ["2023Q3", "2023Q4", "2024Q1", "2024Q2"]


def test_the_task_runs_the_reminders_and_is_scheduled_daily(intervention, coordinator):
    assert overdue_reminders_send_task.delay().get() >= 1
    assert overdue_reminders_send_task.delay().get() == 0
    schedule = app.conf.beat_schedule["outcomes-overdue-reminders"]
    assert schedule["task"] == "outcomes.tasks.overdue_reminders_send_task"


def test_an_association_that_turned_reminders_off_gets_none(intervention, coordinator, staff):
    from outcomes.organisations.services import association_settings_update

    intervention.start = dt.date(2024, 1, 1)
    intervention.save()
    association_settings_update(association=intervention.association, user=staff, reminder_emails=False)
    assert overdue_reminders_send(today=dt.date(2024, 7, 16)) == 0
    assert mail.outbox == []
    association_settings_update(association=intervention.association, user=staff, reminder_emails=True)
    assert overdue_reminders_send(today=dt.date(2024, 7, 16)) == 2  # 2024Q1 and 2024Q2
