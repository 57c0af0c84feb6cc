"""Fill a database with a synthetic national data set that passes every counting rule.

Defaults: 80 associations × 10 interventions × 10 years of quarterly reports (about 32 000 period
reports with their exits by reason and breakdowns). Bulk inserts, one association at a time, so
memory stays flat. Run against an empty, migrated database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/finsam_bench .venv/bin/python bench/seed_national.py

``--associations``, ``--interventions`` and ``--years`` make it smaller (SQLite works for small sets).
``--extra-associations 200,20`` (the default; empty for none) adds associations after those, with
that many interventions each: the summary of a large association (200) and the exports of one of
20 interventions, measured by ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from outcomes.catalog.services import catalog_load  # noqa: E402
from outcomes.counts import Counts, ReportFigures  # noqa: E402
from outcomes.models import (  # noqa: E402
    Association,
    BreakdownCount,
    Budget,
    Dimension,
    DimensionCategory,
    ExitCount,
    ExitReason,
    Intervention,
    Measure,
    MeasureCount,
    PeriodReport,
    ReportStatus,
    SurveyQuestion,
)
from outcomes.periods import Period  # noqa: E402
from outcomes.surveys.models import OPTION_FIELDS, Survey, SurveyAnswer  # noqa: E402
from outcomes.synthetic import DimensionShape, synthetic_periods  # noqa: E402
from outcomes.validators import luhn_valid  # noqa: E402
from reports.models import Goal, GoalKind  # noqa: E402

OWNERS = ["Arbetsförmedlingen", "Försäkringskassan", "Region", "Kommunen"]
BATCH = 5000


def org_number(index: int) -> str:
    base = f"2221{index:05d}"
    check = next(d for d in range(10) if luhn_valid(f"{base}{d}"))
    return f"{base[:6]}-{base[6:]}{check}"


def seed_association(index: int, *, interventions: int, years: list[int], rng: random.Random) -> int:
    """One association with its catalogs, interventions, budgets and reports; answers reports made."""
    association = Association.objects.create(name=f"Samordningsförbundet {index:03d}", org_number=org_number(index))
    catalog_load(association=association)
    reasons = {r.code: r for r in ExitReason.objects.filter(association=association)}
    categories = {
        (c.dimension.code, c.code): c
        for c in DimensionCategory.objects.filter(dimension__association=association).select_related("dimension")
    }
    shapes = [
        DimensionShape(d.code, d.multi_valued, tuple(c.code for c in d.categories.all()))
        for d in Dimension.objects.filter(association=association).prefetch_related("categories")
    ]
    made = Intervention.objects.bulk_create(
        Intervention(
            association=association,
            name=f"Insats {index:03d}-{number:02d}",
            owner=OWNERS[number % len(OWNERS)],
            kind="structural" if number % 5 == 4 else "individual",
            start=dt.date(years[0], 1, 1),
        )
        for number in range(interventions)
    )
    periods = [Period(year, "Q", q) for year in years for q in range(1, 5)]
    last = periods[-1]
    reports, exit_rows, breakdown_rows = [], [], []
    budgets = []
    for intervention in made:
        budget = rng.randrange(400_000, 3_000_000, 1000)
        budgets += [Budget(intervention=intervention, year=year, budget_sek=budget) for year in years]
        figures = synthetic_periods(
            rng,
            count=len(periods),
            intake=(rng.randint(2, 8), rng.randint(2, 7), rng.randint(0, 1)),
            reasons=list(reasons),
            dimensions=shapes,
            spent_per_period=budget // 4,
        )
        if intervention.kind == "structural":
            # No enrolled participants (the service refuses them): only the spending is reported.
            # Drawn all the same, so that every other seeded number stays as it was.
            figures = [ReportFigures(spent_sek=quarter.spent_sek) for quarter in figures]
        for period, quarter in zip(periods, figures, strict=True):
            report = PeriodReport(
                intervention=intervention,
                period=period.code,
                period_start=period.start,
                period_end=period.end,
                status=ReportStatus.SUBMITTED if period == last else ReportStatus.APPROVED,
                spent_sek=quarter.spent_sek,
            )
            report.ongoing_at_start, report.new, report.exits = quarter.ongoing_at_start, quarter.new, quarter.exits
            reports.append((report, quarter))
    Budget.objects.bulk_create(budgets, batch_size=BATCH)
    PeriodReport.objects.bulk_create([r for r, _ in reports], batch_size=BATCH)
    for report, quarter in reports:
        exit_rows += [
            ExitCount(report=report, reason=reasons[code], **counts.as_dict())
            for code, counts in quarter.exits_by_reason.items()
        ]
        breakdown_rows += [
            BreakdownCount(report=report, category=categories[(dimension, code)], **counts.as_dict())
            for dimension, cats in quarter.breakdowns.items()
            for code, counts in cats.items()
        ]
    ExitCount.objects.bulk_create(exit_rows, batch_size=BATCH)
    BreakdownCount.objects.bulk_create(breakdown_rows, batch_size=BATCH)
    MeasureCount.objects.bulk_create(_work_training_rows(association, reports), batch_size=BATCH)
    seed_goals(association, made, years, reasons, rng)
    seed_surveys(association, made, years, rng)
    return len(reports)


SURVEY_GROUP = "participant_ongoing"


def _work_training_rows(association, reports) -> list[MeasureCount]:
    """Work training (a stock measure) for the individual interventions' reports: half of those
    ongoing at start, and half of them at an external workplace. Derived from the counts, not from
    the random generator, so that every other seeded number stays as it was."""
    measures = {m.code: m for m in Measure.objects.filter(association=association)}
    rows = []
    for report, quarter in reports:
        if report.intervention.kind != "individual":
            continue
        training = Counts(*(n // 2 for n in quarter.ongoing_at_start.as_dict().values()))
        external = Counts(*(n // 2 for n in training.as_dict().values()))
        for code, counts in (("work_training", training), ("external_work_training", external)):
            rows.append(MeasureCount(report=report, measure=measures[code], **counts.as_dict(), total=counts.total))
    return rows


def seed_goals(association, interventions, years, reasons, rng: random.Random) -> None:
    """Six goals per intervention and year, one of every kind, as an association would set them."""
    goals, employment = [], []
    for intervention in interventions:
        for year in years:
            common = {"intervention": intervention, "year": year}
            goals += [
                Goal(
                    **common, label="Stegförflyttning", kind=GoalKind.STEP_PROGRESSION, target=rng.choice([40, 50, 55])
                ),
                Goal(**common, label="Till arbete", kind=GoalKind.SHARE_OF_EXITS, target=10, position=1),
                Goal(**common, label="Nya deltagare", kind=GoalKind.COUNT, measure="new", target=30, position=2),
                Goal(
                    **common,
                    label="Indikator 7",
                    kind=GoalKind.INDICATOR,
                    indicator_number=7,
                    group=SURVEY_GROUP,
                    figure="key_figure",
                    target=70,
                    position=3,
                ),
                Goal(**common, label="Budget", kind=GoalKind.BUDGET, comparator="at_most", target=100, position=4),
                Goal(
                    **common,
                    label="Arbetsträning på extern plats",
                    kind=GoalKind.MEASURE_SHARE,
                    measure="external_work_training",
                    of_measure="work_training",
                    target=70,
                    position=5,
                ),
            ]
    Goal.objects.bulk_create(goals, batch_size=BATCH)
    employment = [
        Goal.reasons.through(goal_id=goal.pk, exitreason_id=reasons["employment"].pk)
        for goal in goals
        if goal.kind == GoalKind.SHARE_OF_EXITS
    ]
    Goal.reasons.through.objects.bulk_create(employment, batch_size=BATCH)


def seed_surveys(association, interventions, years, rng: random.Random) -> None:
    """One yearly survey of ongoing participants per intervention and year; answers add up."""
    questions = list(SurveyQuestion.objects.filter(association=association, group=SURVEY_GROUP))
    surveys = []
    for intervention in interventions:
        for year in years:
            period = Period.parse(str(year))
            answered = (rng.randint(3, 12), rng.randint(2, 10), rng.randint(0, 1))
            surveys.append(
                Survey(
                    association=association,
                    intervention=intervention,
                    period=period.code,
                    period_start=period.start,
                    period_end=period.end,
                    group=SURVEY_GROUP,
                    invited=sum(answered) + rng.randint(0, 8),
                    answered_women=answered[0],
                    answered_men=answered[1],
                    answered_other=answered[2],
                )
            )
    Survey.objects.bulk_create(surveys, batch_size=BATCH)
    answers = []
    for survey in surveys:
        total = survey.answered_women + survey.answered_men + survey.answered_other
        for question in questions:
            options = 2 if question.scale == "yes_no" else 6
            counts = [0] * 6
            blank = rng.randint(0, 1) if total else 0
            for _ in range(total - blank):
                counts[min(options - 1, int(rng.triangular(0, options, options * 0.8)))] += 1
            answers.append(
                SurveyAnswer(
                    survey=survey, question=question, blank=blank, **dict(zip(OPTION_FIELDS, counts, strict=True))
                )
            )
    SurveyAnswer.objects.bulk_create(answers, batch_size=BATCH)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--associations", type=int, default=80)
    parser.add_argument("--interventions", type=int, default=10)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--last-year", type=int, default=dt.date.today().year - 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--extra-associations",
        default="200,20",
        metavar="N,M",
        help="more associations after the others, with these numbers of interventions ('' for none)",
    )
    args = parser.parse_args(argv)
    if Association.objects.exists():
        parser.error("the database already holds associations; seed an empty, migrated database")
    rng = random.Random(args.seed)
    years = list(range(args.last_year - args.years + 1, args.last_year + 1))
    started = time.perf_counter()
    total = 0
    for index in range(args.associations):
        with transaction.atomic():
            total += seed_association(index, interventions=args.interventions, years=years, rng=rng)
    extra = [int(n) for n in args.extra_associations.split(",") if n.strip()]
    for index, interventions in enumerate(extra, start=args.associations):
        with transaction.atomic():
            total += seed_association(index, interventions=interventions, years=years, rng=rng)
    # The planner's statistics, as autovacuum would have them in a while: right after bulk inserts
    # it takes every table for empty and picks nested loops over thousands of rows.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {args.associations} associations, {args.associations * args.interventions} interventions"
        f"{''.join(f' + {n}' for n in extra)}, "
        f"{total} period reports ({years[0]}–{years[-1]}) in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
