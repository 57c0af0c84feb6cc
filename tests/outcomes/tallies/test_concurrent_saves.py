"""Concurrent first saves of one period, on the real PostgreSQL (CI's second run)."""

import threading

import pytest
from django.db import connection

from outcomes.counts import Counts
from outcomes.models import PeriodReport
from outcomes.tallies.services import ReportInput, report_save

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_simultaneous_first_saves_of_a_period_all_succeed_and_make_one_report(intervention):
    writers = 8
    barrier = threading.Barrier(writers)
    errors = []

    def save(index):
        try:
            barrier.wait(timeout=10)
            report_save(
                intervention=intervention,
                period_code="2025Q1",
                data=ReportInput(ongoing_at_start=Counts(), new=Counts(index, 1, 0)),
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
    report = PeriodReport.objects.get(intervention=intervention, period="2025Q1")
    assert report.version == writers
