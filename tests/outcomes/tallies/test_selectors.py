import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes.counts import Counts, combine
from outcomes.organisations.selectors import interventions_visible_to
from outcomes.periods import Period, PeriodError
from outcomes.tallies.selectors import period_figures
from outcomes.tallies.services import report_save, report_submit
from tests.conftest import report_input
from tests.factories import InterventionFactory

pytestmark = pytest.mark.django_db

QUARTERS = {
    "2024Q1": {"start": (10, 8, 1), "new": (4, 3, 0), "exits": {"employment": (2, 1, 0)}, "spent_sek": 100},
    "2024Q2": {"start": (12, 10, 1), "new": (5, 2, 1), "exits": {"returned": (3, 4, 0)}, "spent_sek": 200},
    "2024Q3": {"start": (14, 8, 2), "new": (1, 1, 0), "exits": {"employment": (1, 0, 0), "studies": (4, 2, 1)}},
    "2024Q4": {"start": (10, 7, 1), "new": (6, 4, 0), "exits": {"returned": (2, 2, 0)}, "spent_sek": 400},
}


def enter_year(intervention, submit=True):
    for period, body in QUARTERS.items():
        report = report_save(intervention=intervention, period_code=period, data=report_input(**body)).report
        if submit:
            report_submit(report=report)


def test_the_year_in_the_database_follows_the_stock_and_flow_rule(intervention):
    enter_year(intervention)
    year = period_figures(intervention=intervention, period=Period.parse("2024"))
    assert year.ongoing_at_start == Counts(10, 8, 1)
    assert year.new == Counts(16, 10, 1)
    assert year.exits == Counts(12, 9, 1)
    assert year.ongoing_at_end == Counts(14, 9, 1)
    assert year.participants.total == 46  # 19 at start + 27 new, not the sum of quarters
    assert year.exits_by_reason["returned"] == Counts(5, 6, 0)
    assert year.breakdowns["education"]["unknown"] == Counts(16, 10, 1)
    assert year.spent_sek == 700


def test_the_database_and_the_python_rule_agree_for_every_summary_period(intervention):
    enter_year(intervention)
    reports = {r.period: r.figures() for r in intervention.reports.all()}
    for code in ["2024", "2024H1", "2024H2", "2024YTDQ3", "2024Q2"]:
        period = Period.parse(code)
        expected = combine([reports[p.code] for p in period.base_periods("quarter")])
        got = period_figures(intervention=intervention, period=period)
        assert (got.ongoing_at_start, got.new, got.exits, got.exits_by_reason, got.spent_sek) == (
            expected.ongoing_at_start,
            expected.new,
            expected.exits,
            expected.exits_by_reason,
            expected.spent_sek,
        ), code


def test_drafts_are_left_out_unless_asked_for(intervention):
    enter_year(intervention, submit=False)
    assert period_figures(intervention=intervention, period=Period.parse("2024")).participants.total == 0
    assert period_figures(intervention=intervention, period=Period.parse("2024"), include_drafts=True).new.total == 27


def test_a_tertial_of_a_quarterly_intervention_is_refused(intervention):
    with pytest.raises(PeriodError):
        period_figures(intervention=intervention, period=Period.parse("2024T1"))


def test_the_number_of_queries_does_not_depend_on_the_number_of_reports(intervention):
    enter_year(intervention)
    with CaptureQueriesContext(connection) as queries:
        period_figures(intervention=intervention, period=Period.parse("2024"))
    # Stocks and flows (two), exits by reason, categories, and the measures' sums (a stock
    # measure would add its latest rows).
    assert len(queries) == 5


def test_each_role_sees_only_its_own_interventions(
    association, intervention, teammate_intervention, staff, coordinator, outsider
):
    foreign = InterventionFactory()
    assert set(interventions_visible_to(staff)) == {intervention, teammate_intervention}
    assert set(interventions_visible_to(coordinator)) == {intervention}
    assert (
        foreign in set(interventions_visible_to(outsider))
        or not interventions_visible_to(outsider).filter(association=association).exists()
    )
    assert not interventions_visible_to(outsider).filter(association=association).exists()
