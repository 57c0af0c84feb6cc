"""Demo data: one association, four interventions and two years of plausible quarterly reports.

Every report passes every counting rule. Running the command again adds nothing that is already
there, so ``make run`` can call it on every start.
"""

import datetime as dt
import random

from django.core.management.base import BaseCommand
from django.db import transaction

from outcomes.models import Association, Budget, Dimension, ExitReason, Intervention, PeriodReport, Role
from outcomes.periods import Period
from outcomes.rules import GENDERS, Counts
from outcomes.services import (
    ReportInput,
    association_create,
    report_approve,
    report_save,
    report_submit,
    user_create,
)

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
# How likely an exit is to each reason, roughly as in published annual reports.
REASON_WEIGHTS = {
    "employment": 10,
    "studies": 6,
    "job_seeking": 8,
    "other_self_support": 3,
    "joint_assessment": 4,
    "af_programme": 8,
    "municipal_labour": 6,
    "other_finsam": 2,
    "daily_activity": 2,
    "care": 6,
    "returned": 12,
    "dropped_out": 6,
    "other": 3,
    "moved": 2,
    "parental_leave": 1,
}


def _spread(rng: random.Random, total: int, keys: list[str], weights: list[int] | None = None) -> dict[str, int]:
    counts = dict.fromkeys(keys, 0)
    for key in rng.choices(keys, weights=weights, k=total):
        counts[key] += 1
    return counts


def _by_gender(rng, totals: Counts, keys, weights=None) -> dict[str, Counts]:
    """Spread each gender's total over ``keys``; the parts add up to ``totals`` exactly."""
    parts = {g: _spread(rng, getattr(totals, g), keys, weights) for g in GENDERS}
    return {k: Counts(*(parts[g][k] for g in GENDERS)) for k in keys}


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
        weights = [REASON_WEIGHTS.get(code, 1) for code in reasons]
        dimensions = Dimension.objects.filter(association=intervention.association).prefetch_related("categories")
        ongoing = Counts()
        periods = [Period(year, "Q", q) for year in years for q in range(1, 5)]
        for position, period in enumerate(periods):
            new = Counts(*(rng.randint(max(0, n - 2), n + 3) for n in intake))
            available = ongoing + new
            exits = Counts(*(rng.randint(0, max(0, getattr(available, g) * 2 // 5)) for g in GENDERS))
            breakdowns = {}
            for dimension in dimensions:
                codes = [c.code for c in dimension.categories.all()]
                if dimension.multi_valued:
                    breakdowns[dimension.code] = {
                        code: Counts(*(rng.randint(0, getattr(new, g)) for g in GENDERS)) for code in codes
                    }
                else:
                    breakdowns[dimension.code] = _by_gender(rng, new, codes)
            data = ReportInput(
                ongoing_at_start=ongoing,
                new=new,
                exits=exits,
                exits_by_reason=_by_gender(rng, exits, reasons, weights),
                breakdowns=breakdowns,
                spent_sek=budget // 4 + rng.randint(-40_000, 40_000),
            )
            ongoing = available - exits
            if PeriodReport.objects.filter(intervention=intervention, period=period.code).exists():
                continue
            if position == len(periods) - 1 and intervention.name == "Steget vidare":
                continue  # one report still missing, as in real life
            report = report_save(intervention=intervention, period_code=period.code, data=data).report
            if position < len(periods) - 1 or intervention.name != "Unga vuxna i arbete":
                report = report_submit(report=report)
                if position < len(periods) - 2:
                    report_approve(report=report)
