"""Demo goals and indicator surveys for the demo association of ``load_demo``.

Idempotent like ``load_demo``: goals and surveys that are already there are left alone. The
goal results are computed at once (in-process without a broker, by the worker with one).
"""

import datetime as dt
import random
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from outcomes.management.commands.load_demo import DEMO_ORG_NUMBER
from outcomes.models import Association, Survey, SurveyQuestion
from outcomes.surveys.rules import AnswerInput, SurveyInput
from outcomes.surveys.services import survey_save
from reports.goals.services import GoalInput, goal_create, goal_results_recompute
from reports.models import Goal

SURVEY_GROUP = "participant_ongoing"


def demo_goals(year: int) -> list[GoalInput]:
    return [
        GoalInput(year=year, label="Stegförflyttning", kind="step_progression", target=Decimal(50)),
        GoalInput(year=year, label="Till arbete eller studier", kind="share_of_exits", target=Decimal(20),
                  reasons=["employment", "studies"], position=1),
        GoalInput(year=year, label="Nya deltagare", kind="count", measure="new", target=Decimal(30), position=2),
        GoalInput(year=year, label="Stöd som gör nytta (indikator 1)", kind="indicator", indicator_number=1,
                  group=SURVEY_GROUP, figure="key_figure", target=Decimal(70), position=3),
        GoalInput(year=year, label="Budget", kind="budget", comparator="at_most", target=Decimal(100), position=4),
    ]  # fmt: skip


def demo_survey(questions, rng: random.Random) -> SurveyInput:
    answered = {"women": rng.randint(6, 12), "men": rng.randint(4, 10), "other": rng.randint(0, 1)}
    total = sum(answered.values())
    answers = []
    for question in questions:
        options = 2 if question.scale == "yes_no" else 6
        counts = [0] * options
        for _ in range(total):
            counts[min(options - 1, int(rng.triangular(0, options, options * 0.8)))] += 1
        answers.append(AnswerInput(question.code, counts, 0))
    return SurveyInput(invited=total + rng.randint(2, 8), answered=answered, answers=answers)


class Command(BaseCommand):
    help = "Lägger in demomål och indikatorenkäter för demoförbundet (kör load_demo först)."

    def handle(self, *args, **options):
        association = Association.objects.filter(org_number=DEMO_ORG_NUMBER).first()
        if association is None:
            raise CommandError("Demoförbundet saknas: kör manage.py load_demo först.")
        years = [dt.date.today().year - 2, dt.date.today().year - 1]
        questions = list(SurveyQuestion.objects.filter(association=association, group=SURVEY_GROUP).active())
        created = 0
        with transaction.atomic():
            for index, intervention in enumerate(association.interventions.order_by("pk")):
                for year in years:
                    if not Goal.objects.filter(intervention=intervention, year=year).exists():
                        for data in demo_goals(year):
                            goal_create(intervention=intervention, data=data)
                            created += 1
                    if not Survey.objects.filter(
                        intervention=intervention, period=str(year), group=SURVEY_GROUP
                    ).exists():
                        survey_save(
                            intervention=intervention,
                            period_code=str(year),
                            group=SURVEY_GROUP,
                            data=demo_survey(questions, random.Random(index * 100 + year)),
                        )
        for intervention in association.interventions.all():
            goal_results_recompute(intervention=intervention)
        self.stdout.write(f"Demomål: {created} nya, resultaten beräknade.")
