"""Time the recomputation of every goal result in-process, against a seeded database.

Runs :func:`reports.goals.services.goal_results_recompute` for every intervention with goals, three
times: a first run (every result deleted beforehand, so all are created), a run after every
result was marked stale (all are updated) and a repair run (nothing changed, nothing written).
Prints per run the time, results per second, queries per intervention and the projection for the
national data set (800 interventions). Without a worker, so it measures the recomputation itself;
``bench/run.py`` measures the same through Celery.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/finsam_bench .venv/bin/python bench/recompute.py

``--limit N`` takes the first N interventions only; ``--keep`` skips the first run (no deletion).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from outcomes.models import Intervention  # noqa: E402
from reports.goals.selectors import intervention_years_with_goals  # noqa: E402
from reports.goals.services import goal_results_mark_stale, goal_results_recompute  # noqa: E402
from reports.models import GoalResult  # noqa: E402

NATIONAL_INTERVENTIONS = 800


def run(label: str, interventions: list[Intervention]) -> None:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        changed = sum(goal_results_recompute(intervention=i) for i in interventions)
        elapsed = time.perf_counter() - started
    stored = GoalResult.objects.filter(goal__intervention__in=interventions).count()
    per_intervention = elapsed / len(interventions)
    print(
        f"{label:<34} {elapsed:8.2f} s  {changed:>7} written  {stored / elapsed:9.0f} results/s  "
        f"{len(queries.captured_queries) / len(interventions):6.1f} queries/intervention  "
        f"{per_intervention * 1000:7.1f} ms/intervention  "
        f"→ {per_intervention * NATIONAL_INTERVENTIONS:6.1f} s for {NATIONAL_INTERVENTIONS} interventions",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="do not delete the results before the first run")
    args = parser.parse_args()
    ids = sorted({pk for pk, _year in intervention_years_with_goals()})[: args.limit]
    interventions = list(Intervention.objects.filter(pk__in=ids).order_by("pk"))
    if not interventions:
        sys.exit("no interventions with goals: seed the database first (bench/seed_national.py)")
    results = GoalResult.objects.filter(goal__intervention__in=interventions)
    print(f"{connection.vendor}, {len(interventions)} interventions with goals", flush=True)
    if not args.keep:
        results.delete()
        run("first run (results created)", interventions)
    goal_results_mark_stale(results=results)
    run("all stale (results updated)", interventions)
    run("repair run (nothing changed)", interventions)
    print(f"{results.count()} results stored", flush=True)


if __name__ == "__main__":
    main()
