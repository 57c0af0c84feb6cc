"""Summaries read stored figures (issue 19): after any change to what is counted, the next
summary shows exactly what computing it from the reports shows, and a row computed from older
figures is never shown."""

import datetime as dt

import pytest

from outcomes.activities.rules import ActivityInput
from outcomes.activities.services import activity_create, activity_delete
from outcomes.models import ExitReason, Intervention, PeriodReport
from outcomes.periods import Period
from outcomes.tallies.services import report_approve, report_recall, report_reopen, report_save, report_save_many
from reports.goals.services import step_definition_set
from reports.models import StoredFigures
from reports.summaries.api import SummaryOutputSerializer
from reports.summaries.selectors import association_summary, national_summary
from reports.tasks import goal_results_recompute_for_report
from tests.conftest import report_input
from tests.factories import InterventionFactory
from tests.reports.summary_data import lekeberg, small

pytestmark = pytest.mark.django_db


def body(association, code="2024"):
    return SummaryOutputSerializer.of(association_summary(association=association, period=Period.parse(code))).data


def computed(association, code="2024"):
    """The summary with nothing stored: every figure computed from the reports."""
    StoredFigures.objects.all().delete()
    return body(association, code)


def q4(intervention):
    return PeriodReport.objects.get(intervention=intervention, period="2024Q4")


def change_a_submitted_report(intervention, association):
    report_save(
        intervention=intervention,
        period_code="2024Q4",
        data=report_input(new=(9, 9, 1), exits={"employment": (3, 0, 0)}, spent_sek=1),
    )


def recall(intervention, association):
    report_recall(report=q4(intervention))


def reopen(intervention, association):
    report_approve(report=q4(intervention))
    body(association)  # stored while approved
    report_reopen(report=q4(intervention), reason="Fel antal")


def steps(intervention, association):
    step_definition_set(intervention=intervention, reasons=["returned"], excluded_reasons=["studies"])


def exit_reason_class(intervention, association):
    reason = ExitReason.objects.get(association=association, code="returned")
    reason.outcome_class = "self_support"
    reason.save()


def import_many(intervention, association):
    other = Intervention.objects.get(association=association, name="Unga vuxna")
    data = report_input(new=(1, 2, 3), exits={"returned": (1, 0, 0)})
    results = report_save_many(items=[(intervention, "2024Q4", data, None), (other, "2024Q2", data, None)])
    assert all(result.changed for result in results)


def an_activity(intervention, association):
    structural = Intervention.objects.get(association=association, kind="structural")
    activity = activity_create(
        intervention=structural,
        data=ActivityInput(date=dt.date(2024, 5, 2), title="Nätverksträff", kind="network", attendees=40),
    )
    assert body(association)["totals"]["activities"]["attendees"] == 40
    activity_delete(activity=activity)


@pytest.mark.parametrize(
    "change",
    [
        change_a_submitted_report,
        recall,
        reopen,
        steps,
        exit_reason_class,
        import_many,
        an_activity,
    ],
)
def test_after_a_change_the_summary_shows_what_computing_it_shows(association, change):
    intervention = lekeberg(association)
    small(association)
    InterventionFactory(association=association, name="Nätverket", kind="structural")
    before = body(association)
    assert StoredFigures.objects.count() == 3 * 2  # three interventions, the year and the year before
    assert body(association) == before  # read from the stored rows
    change(intervention, association)
    after = body(association)
    assert after == computed(association)
    if change is not an_activity:  # the activity is gone again
        assert after != before


def test_a_draft_saved_changes_nothing_counted_and_keeps_the_stored_rows(association):
    intervention = lekeberg(association)
    before = body(association)
    version = Intervention.objects.get(pk=intervention.pk).figures_version
    report_save(intervention=intervention, period_code="2025Q1", data=report_input(new=(1, 1, 0)))
    assert Intervention.objects.get(pk=intervention.pk).figures_version == version
    assert body(association) == before


def test_a_stored_row_of_an_older_version_is_never_shown(association):
    intervention = lekeberg(association)
    before = body(association)
    StoredFigures.objects.filter(intervention=intervention).update(
        version=intervention.figures_version + 99, data={"not": "read"}
    )
    assert body(association) == before
    assert set(StoredFigures.objects.values_list("version", flat=True)) == {
        Intervention.objects.get(pk=intervention.pk).figures_version
    }


def test_a_form_saving_an_older_copy_of_the_intervention_does_not_turn_its_version_back(association):
    intervention = lekeberg(association)
    stale_copy = Intervention.objects.get(pk=intervention.pk)
    body(association)
    change_a_submitted_report(intervention, association)
    stale_copy.name = "Nytt namn"
    stale_copy.save()
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert fresh.name == "Nytt namn"
    assert fresh.figures_version > stale_copy.figures_version
    assert body(association) == computed(association)


def test_the_national_summary_reads_the_same_stored_rows(association):
    lekeberg(association)
    first = national_summary(period=Period.parse("2024"))
    assert StoredFigures.objects.filter(period="2024").count() == 1
    again = national_summary(period=Period.parse("2024"))
    assert [row.figures for row in again] == [row.figures for row in first]


def test_the_recomputation_after_a_change_computes_the_outdated_rows_ahead(association):
    intervention = lekeberg(association)
    body(association)
    change_a_submitted_report(intervention, association)
    version = Intervention.objects.get(pk=intervention.pk).figures_version
    assert not StoredFigures.objects.filter(version=version).exists()
    goal_results_recompute_for_report(intervention.pk, "2024Q4")
    assert set(StoredFigures.objects.values_list("period", "version")) == {("2024", version), ("2023", version)}
    assert body(association) == computed(association)
