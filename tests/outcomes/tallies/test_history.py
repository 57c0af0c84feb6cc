"""The history of a report: every changed value and every status transition, never editable."""

import pytest

from outcomes.models import PeriodReport, ReportHistory
from outcomes.tallies.errors import ReportError
from outcomes.tallies.models import HistoryIsReadOnly
from outcomes.tallies.services import report_approve, report_recall, report_reopen, report_save, report_submit
from tests.conftest import report_input

pytestmark = pytest.mark.django_db


def values(report):
    return {(h.field, h.old, h.new) for h in report.history.filter(kind="value")}


def test_creating_a_report_records_who_entered_which_values(intervention, coordinator):
    report = report_save(
        intervention=intervention,
        period_code="2024Q1",
        data=report_input(new=(2, 1, 0), exits={"employment": (1, 0, 0)}, comment="Bra kvartal"),
        user=coordinator,
    ).report
    assert {("new.women", "", "2"), ("new.men", "", "1"), ("exits_by_reason.employment.women", "", "1")} <= values(
        report
    )
    assert ("comment", "", "Bra kvartal") in values(report)
    assert ("breakdowns.age_band.unknown.women", "", "2") in values(report)
    assert all(h.user == coordinator and h.version == 1 for h in report.history.all())
    status = report.history.get(kind="status")
    assert (status.old, status.new) == ("", "draft")


def test_a_later_save_records_only_the_values_that_changed_with_old_and_new(intervention, coordinator, staff):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(2, 1, 0)), user=coordinator)
    report = report_save(
        intervention=intervention, period_code="2024Q1", data=report_input(new=(3, 1, 0), spent_sek=500), user=staff
    ).report
    later = report.history.filter(version=2)
    assert {(h.field, h.old, h.new) for h in later} == {
        ("new.women", "2", "3"),
        ("spent_sek", "0", "500"),
        *{
            (f"breakdowns.{d}.unknown.women", "2", "3")
            for d in [
                "age_band",
                "education",
                "income_source",
                "time_on_support",
                "uvas",
                "referrer",
                "home_municipality",
            ]
        },
    }
    assert {h.user for h in later} == {staff}


def test_saving_the_same_values_again_adds_no_history(intervention):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(2, 1, 0)))
    count = ReportHistory.objects.count()
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(2, 1, 0)))
    assert ReportHistory.objects.count() == count


def test_a_value_set_back_to_zero_is_recorded(intervention):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(spent_sek=900))
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(spent_sek=0)).report
    assert ("spent_sek", "900", "0") in values(report)


def test_every_status_transition_is_recorded_with_who_and_the_reopen_reason(intervention, coordinator, staff):
    report = report_save(
        intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0)), user=coordinator
    ).report
    report_submit(report=report, user=coordinator)
    report_recall(report=report, user=coordinator)
    report_submit(report=report, user=coordinator)
    report_approve(report=report, user=staff)
    report_reopen(report=report, reason="Fel antal nya", user=staff)
    transitions = [(h.old, h.new, h.user, h.reason) for h in report.history.filter(kind="status").order_by("id")]
    assert transitions == [
        ("", "draft", coordinator, ""),
        ("draft", "submitted", coordinator, ""),
        ("submitted", "draft", coordinator, ""),
        ("draft", "submitted", coordinator, ""),
        ("submitted", "approved", staff, ""),
        ("approved", "draft", staff, "Fel antal nya"),
    ]
    report.refresh_from_db()
    assert report.history.filter(kind="status").order_by("id").last().version == report.version


def test_a_refused_save_leaves_no_history(intervention):
    with pytest.raises(ReportError):
        report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(-1, 0, 0)))
    assert not ReportHistory.objects.exists() and not PeriodReport.objects.exists()


def test_history_can_be_neither_changed_nor_deleted(intervention):
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(2, 0, 0))).report
    entry = report.history.get(field="new.women")
    entry.new = "99"
    with pytest.raises(HistoryIsReadOnly):
        entry.save()
    with pytest.raises(HistoryIsReadOnly):
        entry.delete()
    with pytest.raises(HistoryIsReadOnly):
        ReportHistory.objects.filter(report=report).update(new="99")
    with pytest.raises(HistoryIsReadOnly):
        ReportHistory.objects.all().delete()
    assert ReportHistory.objects.get(pk=entry.pk).new == "2"
