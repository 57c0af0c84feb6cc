import random

import pytest

from bench.seed_national import seed_association
from outcomes.models import PeriodReport, ReportStatus
from outcomes.periods import Period
from outcomes.selectors import period_figures
from outcomes.services import report_check

pytestmark = pytest.mark.django_db


def test_the_national_seed_makes_continuous_reports_that_pass_every_rule():
    made = seed_association(0, interventions=2, years=[2023, 2024], rng=random.Random(5))
    assert made == PeriodReport.objects.count() == 16
    for report in PeriodReport.objects.select_related("intervention"):
        assert report_check(intervention=report.intervention, period_code=report.period, figures=report.figures()) == []
    assert PeriodReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 2
    report = PeriodReport.objects.filter(period="2024Q1").first()
    year = period_figures(intervention=report.intervention, period=Period.parse("2023"))
    assert year.ongoing_at_end == report.ongoing_at_start
