"""Report data for the summary and export tests: Lekeberg's published 2024 year and a smaller one.

Coachingteamet Lekeberg (DOMAIN.md): 27 participants during 2024 (14 women, 13 men), 11 exits of
which 5 are steps (45 % (5/11)), ongoing at end 9 women and 7 men.
"""

from outcomes.models import Budget
from outcomes.tallies.services import report_save, report_submit
from tests.conftest import report_input
from tests.factories import InterventionFactory

LEKEBERG_2024 = {
    "2024Q1": {"start": (6, 5, 0), "new": (2, 2, 0), "exits": {"employment": (1, 0, 0)}, "spent_sek": 589154},
    "2024Q2": {"new": (2, 2, 0), "exits": {"studies": (0, 1, 0), "returned": (1, 1, 0)}, "spent_sek": 589154},
    "2024Q3": {"new": (2, 2, 0), "exits": {"job_seeking": (1, 1, 0), "returned": (1, 1, 0)}, "spent_sek": 589154},
    "2024Q4": {
        "new": (2, 2, 0),
        "exits": {"other_self_support": (0, 1, 0), "returned": (1, 1, 0)},
        "spent_sek": 589154,
    },
}
LEKEBERG_2023 = {
    "2023Q1": {"start": (3, 2, 1), "new": (1, 1, 0), "spent_sek": 500000},
    "2023Q2": {"new": (1, 1, 0), "spent_sek": 500000},
    "2023Q3": {"new": (1, 1, 0), "spent_sek": 500000},
    "2023Q4": {"new": (1, 1, 0), "exits": {"returned": (3, 0, 0)}, "spent_sek": 500000},
}
SMALL_2024 = {
    "2024Q1": {"start": (9, 12, 2), "new": (6, 7, 1), "exits": {"employment": (3, 5, 0), "care": (2, 0, 1)}},
    "2024Q2": {"new": (5, 8, 0), "exits": {"returned": (4, 6, 0), "moved": (1, 0, 0)}, "spent_sek": 300000},
}


def enter(intervention, quarters, *, submit=True):
    reports = []
    for period, body in quarters.items():
        data = report_input(**body)
        if "start" not in body:
            data.ongoing_at_start = None  # carried over from the quarter before
        report = report_save(intervention=intervention, period_code=period, data=data).report
        if submit:
            report_submit(report=report)
        reports.append(report)
    return reports


def lekeberg(association):
    intervention = InterventionFactory(
        association=association, name="Coachingteamet Lekeberg", owner="Lekebergs kommun"
    )
    enter(intervention, LEKEBERG_2023)
    enter(intervention, LEKEBERG_2024)
    Budget.objects.create(intervention=intervention, year=2024, budget_sek=2403500)
    Budget.objects.create(intervention=intervention, year=2023, budget_sek=2000000)
    return intervention


def small(association):
    intervention = InterventionFactory(association=association, name="Unga vuxna", owner="Örebro kommun")
    enter(intervention, SMALL_2024)
    return intervention
