"""Demo data: one association, four interventions and two years of plausible quarterly reports.

Every report passes every counting rule. Running the command again adds nothing that is already
there, so ``make run`` can call it on every start.
"""

import datetime as dt
import random

from django.core.management.base import BaseCommand
from django.db import transaction

from outcomes.models import Association, Budget, Dimension, ExitReason, Intervention, PeriodReport, Role
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
            report = report_save(intervention=intervention, period_code=period.code, data=data).report
            if position < len(periods) - 1 or intervention.name != "Unga vuxna i arbete":
                report = report_submit(report=report)
                if position < len(periods) - 2:
                    report_approve(report=report)
