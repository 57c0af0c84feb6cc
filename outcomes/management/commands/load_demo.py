"""Demo data: one association, four interventions and two years of plausible quarterly reports.

Every report passes every counting rule. The structural intervention (Kompetensnätverket) has no
participants: its reports carry spending and a comment, and it keeps an activity log of each year
(a fair, network meetings, staff training). Coachingteamet also counts measures (advisory calls
and work training, at an external workplace too). Running the command again adds nothing that is already
there, so ``make run`` can call it on every start.
"""

import datetime as dt
import random

from django.core.management.base import BaseCommand
from django.db import transaction

from outcomes.activities.models import Activity
from outcomes.activities.rules import ActivityInput
from outcomes.activities.services import activity_create
from outcomes.counts import Counts
from outcomes.models import Association, Budget, Dimension, ExitReason, Intervention, PeriodReport, Role
from outcomes.organisations.models import InterventionKind
from outcomes.organisations.services import association_create, user_create
from outcomes.periods import Period
from outcomes.synthetic import DimensionShape, synthetic_periods
from outcomes.tallies.services import ReportInput, report_approve, report_save, report_submit

DEMO_ORG_NUMBER = "222000-9993"
DEMO_PASSWORD = "demo-pinnstatistik"
DEMO_USERS = [
    ("forbundschef@demo.finsam.se", Role.STAFF, None),
    ("styrelse@demo.finsam.se", Role.VIEWER, None),
    ("samordnare@demo.finsam.se", Role.COORDINATOR, "Coachingteamet"),
    ("samordnare@demo.finsam.se", Role.COORDINATOR, "Steget vidare"),
]
INTERVENTIONS = [
    ("Coachingteamet", "Lindesbergs kommun", "individual", 2_400_000, (5, 4, 0)),
    ("Steget vidare", "Region Örebro län", "individual", 1_800_000, (4, 3, 0)),
    ("Unga vuxna i arbete", "Arbetsförmedlingen", "individual", 1_200_000, (3, 3, 1)),
    ("Kompetensnätverket", "Försäkringskassan", "structural", 600_000, (2, 1, 0)),
]


#: A year of the structural intervention's activity log: (month, day, title, kind, attendees,
#: split by gender or None, exhibitors, cost in kronor or None).
DEMO_ACTIVITIES = [
    (2, 8, "Nätverksträff arbetsgivare", "network", 18, None, None, None),
    (3, 14, "Utbildning i samordnad individuell plan", "training", 34, (26, 7, 1), None, 12_000),
    (5, 21, "Informationsmöte för handläggare", "information", 45, None, None, None),
    (9, 12, "Samverkansträff vården", "network", 22, (15, 7, 0), None, None),
    (10, 5, "Rehabiliteringsmässan", "conference", 200, None, 15, 25_310),
    (11, 16, "Utbildning i motiverande samtal", "training", 28, (20, 8, 0), None, 9_500),
]


def _demo_measures(intervention, quarter) -> dict:
    """Coachingteamet's measures: advisory calls, and work training (a stock), half of it at an
    external workplace; derived from the quarter's counts so every run gives the same."""
    if intervention.name != "Coachingteamet":
        return {}
    training = Counts(*(n // 2 for n in quarter.ongoing_at_start.as_dict().values()))
    external = Counts(*(n // 2 for n in training.as_dict().values()))
    return {
        "advisory_calls": {"total": 15 + quarter.new.total},
        "work_training": training.as_dict(),
        "external_work_training": external.as_dict(),
    }


class Command(BaseCommand):
    help = "Lägger in demodata (ett förbund, fyra insatser, två års kvartalsrapporter) om de saknas."

    def handle(self, *args, **options):
        with transaction.atomic():
            association = Association.objects.filter(org_number=DEMO_ORG_NUMBER).first()
            if association is None:
                association = association_create(name="Samordningsförbundet Demo", org_number=DEMO_ORG_NUMBER)
            years = [dt.date.today().year - 2, dt.date.today().year - 1]
            interventions = {}
            for index, (name, owner, kind, budget, intake) in enumerate(INTERVENTIONS):
                intervention, _ = Intervention.objects.get_or_create(
                    association=association,
                    name=name,
                    defaults={"owner": owner, "kind": kind, "start": dt.date(years[0], 1, 1)},
                )
                interventions[name] = intervention
                for year in years:
                    Budget.objects.get_or_create(intervention=intervention, year=year, defaults={"budget_sek": budget})
                if kind == InterventionKind.STRUCTURAL:
                    self._activities(intervention, years)
                self._reports(intervention, years, budget, intake, random.Random(index))
            for email, role, intervention_name in DEMO_USERS:
                user_create(
                    email=email,
                    association=association,
                    role=role,
                    intervention=interventions.get(intervention_name),
                    password=DEMO_PASSWORD,
                )
        self.stdout.write(f"Demoförbund: {association.name} (id {association.pk})")
        self.stdout.write(f"Demoinloggningar (lösenord {DEMO_PASSWORD}):")
        for email, role, intervention_name in DEMO_USERS:
            target = f" för {intervention_name}" if intervention_name else ""
            self.stdout.write(f"  {email}  {Role(role).label}{target}")

    def _activities(self, intervention, years):
        """A year of activities for each year, unless the log has some already."""
        if Activity.objects.filter(intervention=intervention).exists():
            return
        for year in years:
            for month, day, title, kind, attendees, split, exhibitors, cost in DEMO_ACTIVITIES:
                activity_create(
                    intervention=intervention,
                    data=ActivityInput(
                        date=dt.date(year, month, day),
                        title=title,
                        kind=kind,
                        attendees=attendees,
                        estimated=split is None,
                        attendees_by_gender=Counts(*split) if split else None,
                        exhibitors=exhibitors,
                        evaluation_answered=attendees // 2 if kind == "training" else None,
                        evaluation_positive=attendees * 2 // 5 if kind == "training" else None,
                        spent_sek=cost,
                    ),
                )

    def _reports(self, intervention, years, budget, intake, rng):
        reasons = list(ExitReason.objects.filter(association=intervention.association).values_list("code", flat=True))
        dimensions = [
            DimensionShape(d.code, d.multi_valued, tuple(c.code for c in d.categories.all()))
            for d in Dimension.objects.filter(association=intervention.association).prefetch_related("categories")
        ]
        periods = [Period(year, "Q", q) for year in years for q in range(1, 5)]
        figures = synthetic_periods(
            rng, count=len(periods), intake=intake, reasons=reasons, dimensions=dimensions, spent_per_period=budget // 4
        )
        for position, (period, quarter) in enumerate(zip(periods, figures, strict=True)):
            if PeriodReport.objects.filter(intervention=intervention, period=period.code).exists():
                continue
            if position == len(periods) - 1 and intervention.name == "Steget vidare":
                continue  # one report still missing, as in real life
            data = ReportInput.from_figures(quarter)
            data.measures = _demo_measures(intervention, quarter)
            if intervention.kind == InterventionKind.STRUCTURAL:
                data = ReportInput(spent_sek=quarter.spent_sek, comment="Aktiviteterna finns i aktivitetsloggen.")
            report = report_save(intervention=intervention, period_code=period.code, data=data).report
            if position < len(periods) - 1 or intervention.name != "Unga vuxna i arbete":
                report = report_submit(report=report)
                if position < len(periods) - 2:
                    report_approve(report=report)
