import pytest
from django.core.exceptions import ValidationError

from outcomes import signals
from outcomes.catalog.services import catalog_load
from outcomes.counts import Counts
from outcomes.models import ExitReason, PeriodReport, ReportStatus
from outcomes.organisations.services import association_create, user_create
from outcomes.tallies.errors import ReportError, ReportLocked, VersionConflict
from outcomes.tallies.services import (
    report_approve,
    report_check,
    report_recall,
    report_reopen,
    report_save,
    report_submit,
)
from tests.conftest import report_input

pytestmark = pytest.mark.django_db


def save(intervention, period="2024Q1", **kwargs):
    return report_save(intervention=intervention, period_code=period, data=report_input(**kwargs))


def test_it_refuses_an_association_with_a_malformed_org_number_and_stores_nothing():
    with pytest.raises(ValidationError) as error:
        association_create(name="Förbundet", org_number="222000-2278")
    assert "org_number" in error.value.message_dict
    from outcomes.models import Association

    assert not Association.objects.exists()


def test_loading_the_catalog_twice_adds_nothing_and_keeps_renamed_and_retired_entries(association):
    reason = ExitReason.objects.get(association=association, code="employment")
    reason.label_sv, reason.active = "Anställning", False
    reason.save()
    assert catalog_load(association=association) == {
        "exit_reasons": 0,
        "dimensions": 0,
        "categories": 0,
        "indicators": 0,
        "survey_questions": 0,
    }
    reason.refresh_from_db()
    assert (reason.label_sv, reason.active) == ("Anställning", False)
    assert ExitReason.objects.filter(association=association).count() == 15


def test_a_saved_draft_keeps_every_count(intervention):
    result = save(intervention, start=(5, 4, 1), new=(2, 1, 0), exits={"employment": (1, 0, 0), "returned": (0, 2, 0)})
    report = PeriodReport.objects.get(pk=result.report.pk)
    assert report.status == ReportStatus.DRAFT
    assert report.figures().exits == Counts(1, 2, 0)
    assert report.figures().ongoing_at_end == Counts(6, 3, 1)
    assert report.figures().exits_by_reason == {"employment": Counts(1, 0, 0), "returned": Counts(0, 2, 0)}


def test_saving_the_same_content_twice_does_not_bump_the_version(intervention):
    first = save(intervention, new=(2, 1, 0), exits={"employment": (1, 0, 0)})
    second = save(intervention, new=(2, 1, 0), exits={"employment": (1, 0, 0)})
    assert (first.created, second.changed, second.report.version) == (True, False, 1)
    third = save(intervention, new=(3, 1, 0), exits={"employment": (1, 0, 0)})
    assert (third.changed, third.report.version) == (True, 2)


def test_a_draft_may_break_the_sum_rules_but_submit_lists_every_broken_rule(intervention):
    data = report_input(new=(2, 0, 0), exits={"employment": (1, 0, 0)}, unknown_new=False)
    data.exits = Counts(2, 0, 0)
    result = report_save(intervention=intervention, period_code="2024Q1", data=data)
    assert {v.code for v in result.warnings} == {"exits_sum", "dimension_sum"}
    with pytest.raises(ReportError) as error:
        report_submit(report=result.report)
    assert {v.code for v in error.value.violations} == {"exits_sum", "dimension_sum"}
    assert PeriodReport.objects.get().status == ReportStatus.DRAFT


def test_the_sum_rule_is_checked_for_the_active_single_valued_dimensions_only(intervention):
    data = report_input(new=(2, 0, 0))
    data.breakdowns = {d: cats for d, cats in data.breakdowns.items() if d not in ("uvas", "education")}
    figures = report_save(intervention=intervention, period_code="2024Q1", data=data).report.figures()

    def broken():
        found = report_check(intervention=intervention, period_code="2024Q1", figures=figures)
        return {v.field.split(".")[1] for v in found if v.code == "dimension_sum"}

    # agency_contacts (multi-valued) was left out as well and is never summed.
    assert broken() == {"uvas", "education"}
    intervention.association.dimensions.filter(code="uvas").update(active=False)
    assert broken() == {"education"}


@pytest.mark.parametrize(
    ("period", "code"),
    [("2024", "not_base_period"), ("2024M01", "not_base_period"), ("2019Q4", "period_outside_intervention")],
)
def test_it_refuses_periods_that_are_not_report_periods_of_the_intervention(intervention, period, code):
    with pytest.raises(ReportError) as error:
        save(intervention, period=period)
    assert [v.code for v in error.value.violations] == [code]
    assert not PeriodReport.objects.exists()


def test_it_refuses_unknown_codes_and_personal_data_even_for_a_draft(intervention):
    data = report_input(exits={"teleported": (1, 0, 0)}, comment="Gäller 19850312-1234")
    with pytest.raises(ReportError) as error:
        report_save(intervention=intervention, period_code="2024Q1", data=data)
    assert {(v.code, v.field) for v in error.value.violations} == {
        ("unknown_code", "exits[0].reason"),
        ("personal_data", "comment"),
    }
    assert not PeriodReport.objects.exists()


def test_it_refuses_a_save_from_a_stale_version_and_keeps_the_newer_one(intervention):
    save(intervention, new=(1, 0, 0))
    save(intervention, new=(2, 0, 0))
    with pytest.raises(VersionConflict) as error:
        report_save(
            intervention=intervention, period_code="2024Q1", data=report_input(new=(9, 0, 0)), expected_version=1
        )
    assert error.value.current.version == 2
    assert PeriodReport.objects.get().new == Counts(2, 0, 0)


def test_ongoing_at_start_is_taken_from_the_previous_period_when_left_out(intervention):
    save(intervention, period="2024Q1", start=(4, 3, 0), new=(2, 0, 0), exits={"employment": (1, 1, 0)})
    data = report_input(new=(0, 0, 0))
    data.ongoing_at_start = None
    result = report_save(intervention=intervention, period_code="2024Q2", data=data)
    assert result.report.ongoing_at_start == Counts(5, 2, 0)
    assert result.warnings == []


def test_a_start_that_differs_from_the_previous_end_is_saved_with_a_warning(intervention):
    save(intervention, period="2024Q1", start=(4, 3, 0))
    result = save(intervention, period="2024Q2", start=(5, 3, 0))
    assert [(v.code, v.field) for v in result.warnings] == [("continuity", "ongoing_at_start.women")]
    report_submit(report=result.report)


def test_the_status_workflow_locks_approved_reports_until_reopened_with_a_reason(intervention, staff):
    report = save(intervention, new=(1, 0, 0)).report
    report = report_submit(report=report)
    report = report_recall(report=report)
    report = report_approve(report=report_submit(report=report), user=staff)
    assert report.is_locked
    with pytest.raises(ReportLocked):
        save(intervention, new=(5, 0, 0))
    with pytest.raises(ReportError) as error:
        report_reopen(report=report, reason="  ", user=staff)
    assert error.value.violations[0].code == "reason_required"
    report = report_reopen(report=report, reason="Fel antal nya", user=staff)
    assert report.status == ReportStatus.DRAFT
    assert save(intervention, new=(5, 0, 0)).changed


def test_approving_a_draft_is_refused(intervention):
    report = save(intervention).report
    with pytest.raises(ReportError) as error:
        report_approve(report=report)
    assert error.value.violations[0].code == "invalid_transition"


def test_a_change_is_announced_only_after_commit(intervention, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, **payload):
        received.append((payload["period"], payload["action"]))

    signals.report_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            report = save(intervention, new=(1, 0, 0)).report
        assert received == []
        for callback in callbacks:
            callback()
        assert received == [("2024Q1", "saved")]
        with django_capture_on_commit_callbacks(execute=True):
            report_submit(report=report)
        assert received[-1] == ("2024Q1", "submitted")
    finally:
        signals.report_changed.disconnect(receiver)


def test_a_coordinator_must_be_granted_an_intervention_of_the_same_association(association, intervention, outsider):
    with pytest.raises(ValidationError) as error:
        user_create(email="a@example.se", association=association, role="coordinator")
    assert "intervention" in error.value.message_dict
    other = outsider.memberships.get().association
    with pytest.raises(ValidationError):
        user_create(email="a@example.se", association=other, role="coordinator", intervention=intervention)
    user = user_create(email="A@example.se", association=association, role="coordinator", intervention=intervention)
    again = user_create(email="a@example.se", association=association, role="coordinator", intervention=intervention)
    assert user == again and user.memberships.count() == 1


def retire(intervention, *, reason=None, category=None):
    """Retire an exit reason, or a dimension category given as ``(dimension, category)``."""
    from outcomes.models import DimensionCategory

    if reason:
        ExitReason.objects.filter(association=intervention.association, code=reason).update(active=False)
    if category:
        DimensionCategory.objects.filter(
            dimension__association=intervention.association, dimension__code=category[0], code=category[1]
        ).update(active=False)


def put(intervention, data, **kwargs):
    return report_save(intervention=intervention, period_code="2024Q1", data=data, **kwargs)


def test_it_refuses_a_retired_exit_reason_on_a_report_that_did_not_use_it(intervention):
    retire(intervention, reason="moved")
    with pytest.raises(ReportError) as refused:
        put(intervention, report_input(start=(1, 0, 0), exits={"moved": (1, 0, 0)}))
    [violation] = refused.value.violations
    assert (violation.code, violation.field) == ("retired_reason", "exits[0].reason")
    assert "”Flytt”" in violation.message and "utgått" in violation.message
    assert not PeriodReport.objects.exists()
    stored = put(intervention, report_input(start=(1, 0, 0), exits={"employment": (1, 0, 0)})).report
    with pytest.raises(ReportError) as refused:
        put(intervention, report_input(start=(1, 0, 0), exits={"moved": (1, 0, 0)}))
    assert refused.value.violations[0].code == "retired_reason"
    stored.refresh_from_db()
    assert stored.version == 1 and list(stored.exit_counts.values_list("reason__code", flat=True)) == ["employment"]


def test_a_report_that_already_counts_a_retired_reason_or_category_keeps_it_and_may_change_it(intervention):
    data = report_input(start=(2, 0, 0), new=(1, 0, 0), exits={"moved": (1, 0, 0)}, unknown_new=False)
    data.breakdowns = {"age_band": {"16_19": Counts(1)}}
    report = put(intervention, data).report
    retire(intervention, reason="moved", category=("age_band", "16_19"))
    assert put(intervention, data).changed is False  # re-saving the same report works
    data.exits_by_reason = {"moved": Counts(2)}
    assert put(intervention, data, expected_version=1).report.version == 2
    report.refresh_from_db()
    assert report.exit_counts.get().women == 2


def test_it_refuses_a_retired_dimension_category_on_a_new_report(intervention):
    retire(intervention, category=("age_band", "16_19"))
    data = report_input(new=(1, 0, 0), unknown_new=False)
    data.breakdowns = {"age_band": {"16_19": Counts(1)}}
    with pytest.raises(ReportError) as refused:
        put(intervention, data)
    [violation] = refused.value.violations
    assert (violation.code, violation.field) == ("retired_category", "breakdowns[0].category")
    assert "”16–19 år”" in violation.message and "”Åldersgrupp”" in violation.message
    assert not PeriodReport.objects.exists()
