"""The report form puts every counting rule next to the cell it concerns; rules themselves live in
outcomes.tallies.rules and are only called here, through the services."""

import pytest

from outcomes.counts import Counts
from outcomes.models import DimensionCategory, PeriodReport, ReportStatus
from outcomes.tallies.forms import ReportForm
from outcomes.tallies.rules import CONTINUITY, DIMENSION_SUM, EXITS_SUM, NEGATIVE_ONGOING_AT_END
from outcomes.tallies.services import report_save
from outcomes.violations import NEGATIVE_COUNT, RuleViolation
from tests.conftest import report_input
from tests.outcomes.tallies.webforms import form_data, report_url, signed_in

pytestmark = pytest.mark.django_db


def form(intervention, data=None):
    return ReportForm(data, intervention=intervention)


@pytest.mark.parametrize(
    ("code", "field", "cell"),
    [
        (NEGATIVE_COUNT, "new.men", "new__men"),
        (NEGATIVE_COUNT, "exits_by_reason.care.other", "reason__care__other"),
        (NEGATIVE_COUNT, "breakdowns.uvas.yes.women", "dim__uvas__yes__women"),
        (NEGATIVE_COUNT, "spent_sek", "spent_sek"),
        (EXITS_SUM, "exits.women", "exits__women"),
        (NEGATIVE_ONGOING_AT_END, "exits.other", "exits__other"),
        (CONTINUITY, "ongoing_at_start.women", "start__women"),
    ],
)
def test_each_rule_is_shown_at_its_cell_and_linked_from_the_summary(intervention, code, field, cell):
    report_form = form(intervention)
    violation = RuleViolation(code, field, f"meddelande för {code}")
    report_form.attach_violations([violation])
    assert report_form.cell(cell).messages == [violation]
    assert {"anchor": f"id_{cell}", "message": violation.message, "severity": violation.severity} in (
        report_form.summary()
    )


def test_a_dimensions_sum_rule_is_shown_at_its_sum_row_not_at_a_category_cell(intervention):
    report_form = form(intervention)
    violation = RuleViolation(DIMENSION_SUM, "breakdowns.age_band.men", "summerar fel")
    report_form.attach_violations([violation])
    assert report_form.cell("dim__age_band__16_19__men").messages == []
    grid = next(g for g in report_form.dimension_grids() if g.key == "dim__age_band")
    assert grid.messages == [violation]
    assert {"anchor": "dim__age_band__sum__men", "message": "summerar fel", "severity": "error"} in (
        report_form.summary()
    )


def test_a_multi_valued_dimension_has_a_grid_without_a_sum_rule(intervention):
    grids = {grid.key: grid for grid in form(intervention).dimension_grids()}
    assert grids["dim__agency_contacts"].target is None
    assert grids["dim__age_band"].target is not None


def test_a_retired_exit_reason_stays_on_the_form_of_a_report_that_used_it(intervention):
    report = report_save(
        intervention=intervention, period_code="2024Q1", data=report_input(exits={"moved": (1, 0, 0)}, start=(1, 0, 0))
    ).report
    intervention.association.exit_reasons.filter(code="moved").update(active=False)
    assert "reason__moved__women" not in form(intervention).fields
    assert "reason__moved__women" in ReportForm(intervention=intervention, report=report).fields


def test_a_retired_dimension_and_category_stay_on_the_form_of_a_report_that_counted_them(intervention):
    data = report_input(new=(1, 0, 0))
    data.breakdowns["age_band"] = {"16_19": Counts(1, 0, 0)}
    report = report_save(intervention=intervention, period_code="2024Q1", data=data).report
    intervention.association.dimensions.filter(code="uvas").update(active=False)
    DimensionCategory.objects.filter(dimension__association=intervention.association, code="16_19").update(active=False)
    new_form, old_form = form(intervention), ReportForm(intervention=intervention, report=report)
    for gone in ("dim__uvas__unknown__women", "dim__age_band__16_19__women"):
        assert gone not in new_form.fields
        assert gone in old_form.fields
    # A retired category the report did not count stays off its form.
    DimensionCategory.objects.filter(dimension__association=intervention.association, code="20_24").update(active=False)
    assert "dim__age_band__20_24__women" not in ReportForm(intervention=intervention, report=report).fields


def test_more_exits_than_participants_blocks_submission_at_the_exits_cell(intervention, coordinator):
    data = form_data(start=(0, 0, 0), new=(1, 0, 0), reasons={"employment": (2, 0, 0)}, action="submit")
    html = signed_in(coordinator).post(report_url(intervention), data, follow=True).content.decode()
    assert PeriodReport.objects.get().status == ReportStatus.DRAFT
    assert '<a href="#id_exits__women">Pågående vid periodens slut (kvinnor) blir -1' in html


def test_a_start_that_differs_from_the_previous_end_is_a_warning_that_does_not_block(intervention, coordinator):
    report_save(intervention=intervention, period_code="2023Q4", data=report_input(start=(4, 0, 0)))
    data = form_data(start=(3, 0, 0), action="submit")
    response = signed_in(coordinator).post(report_url(intervention), data, follow=True)
    assert PeriodReport.objects.get(period="2024Q1").status == ReportStatus.SUBMITTED
    # the warning is still visible on the submitted report
    html = signed_in(coordinator).get(report_url(intervention)).content.decode()
    assert "Kontrollera gärna – rapporten kan ändå skickas in:" in html
    assert '<a href="#id_start__women">Pågående vid periodens början (kvinnor) är 3, men föregående' in html
    assert response.status_code == 200


def test_a_warning_stands_under_its_own_heading_apart_from_the_errors(intervention, coordinator):
    """Defect 3: the continuity warning is not listed under "Rätta följande …" beside the errors."""
    report_save(intervention=intervention, period_code="2023Q4", data=report_input(start=(4, 0, 0)))
    data = form_data(start=(3, 0, 0), new=(1, 0, 0), reasons={"employment": (2, 0, 0)}, exits=(1, 0, 0))
    html = signed_in(coordinator).post(report_url(intervention), data, follow=True).content.decode()
    errors = html.split('id="felsammanfattning"')[1].split("</div>")[0]
    warnings = html.split('id="varningar"')[1].split("</div>")[0]
    assert "Rätta följande innan rapporten kan skickas in:" in errors and "Avslutade per orsak" in errors
    assert "föregående period slutade med 4" in warnings and "Kontrollera gärna" in warnings
    assert "föregående period slutade med" not in errors
    assert 'class="warning-summary"' in html and 'role="status"' in html


def test_a_draft_that_satisfies_every_rule_shows_no_error_summary(intervention, coordinator):
    client = signed_in(coordinator)
    client.post(report_url(intervention), form_data(new=(2, 1, 0), reasons={"studies": (0, 1, 0)}))
    html = client.get(report_url(intervention)).content.decode()
    assert 'id="felsammanfattning"' not in html
    assert 'aria-invalid="true"' not in html


def test_an_invalid_transition_is_refused_with_a_message(intervention, staff):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    response = signed_in(staff).post(report_url(intervention, suffix="approve/"), follow=True)
    assert "Rapporten har status utkast och kan inte godkännas." in response.content.decode()
    assert PeriodReport.objects.get().status == ReportStatus.DRAFT
