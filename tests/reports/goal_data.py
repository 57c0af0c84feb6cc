"""The worked example of DOMAIN.md as report bodies, shared by the goal tests and the benchmark.

Coachingteamet Lekeberg 2024: 27 participants during the year (14 women, 13 men); 11 exits: 1 to
work, 1 to studies, 2 to Arbetsförmedlingen, 1 to other self-support, 6 back to the referrer.
"""

DIMENSIONS = ["age_band", "education", "income_source", "time_on_support", "uvas", "referrer", "home_municipality"]
LEKEBERG_STEPS = ["employment", "studies", "af_programme", "other_self_support", "joint_assessment", "municipal_labour"]

# period -> (ongoing at start or None, new, {reason: (women, men, other)})
LEKEBERG_2024 = {
    "2024Q1": ((8, 7, 0), (2, 2, 0), {"employment": (1, 0, 0), "returned": (1, 1, 0)}),
    "2024Q2": (None, (2, 1, 0), {"studies": (0, 1, 0), "returned": (1, 0, 0)}),
    "2024Q3": (None, (1, 2, 0), {"af_programme": (1, 1, 0), "returned": (0, 1, 0)}),
    "2024Q4": (None, (1, 1, 0), {"other_self_support": (0, 1, 0), "returned": (1, 1, 0)}),
}


def gender(counts) -> dict:
    women, men, other = counts
    return {"women": women, "men": men, "other": other}


def report_body(start, new, exits) -> dict:
    """An API report body; every new participant is "unknown" in every single-valued dimension."""
    body = {
        "new": gender(new),
        "exits": [{"reason": reason, **gender(counts)} for reason, counts in exits.items()],
        "breakdowns": [{"dimension": d, "category": "unknown", **gender(new)} for d in DIMENSIONS],
        "spent_sek": 100_000,
        "comment": "",
    }
    if start is not None:
        body["ongoing_at_start"] = gender(start)
    return body


def enter_lekeberg(intervention, *, year: int = 2024, submit: bool = True) -> None:
    """Enter (and submit) the Lekeberg quarters through the services, for ``year``."""
    from django.test import TestCase

    from outcomes.counts import Counts
    from outcomes.tallies.services import ReportInput, report_save, report_submit

    for period, (start, new, exits) in LEKEBERG_2024.items():
        data = ReportInput(
            ongoing_at_start=Counts(*start) if start else None,
            new=Counts(*new),
            exits_by_reason={reason: Counts(*c) for reason, c in exits.items()},
            breakdowns={d: {"unknown": Counts(*new)} for d in DIMENSIONS},
        )
        code = period.replace("2024", str(year))
        with TestCase.captureOnCommitCallbacks(execute=True):
            report = report_save(intervention=intervention, period_code=code, data=data).report
        if submit:
            with TestCase.captureOnCommitCallbacks(execute=True):
                report_submit(report=report)
