"""Time from a report's submit to its updated goal result, with a real Celery worker on Redis.

For each of ``--submits`` interventions (each with a step-progression goal for 2024 and a draft
2024Q1 report), POST ``submit/`` through the Django test client in this process, then poll the
database until the year's result is no longer stale and shows the new numbers. Prints the median
and p95 of submit → updated result, and of the submit request alone, in milliseconds.

    createdb -h 127.0.0.1 -U postgres finsam_goals   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/finsam_goals \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/submit_to_result.py

The database is migrated first; every run adds a fresh association, so runs do not disturb each
other. The worker consumes the default queue, which is purged before the run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("API_THROTTLE_RATE", "")  # measure latency, not the rate limit

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from finsam.celery import app  # noqa: E402
from outcomes.models import Association, Intervention, Role  # noqa: E402
from outcomes.organisations.services import api_token_create, association_create, user_create  # noqa: E402
from outcomes.validators import luhn_valid  # noqa: E402
from reports.goals import services  # noqa: E402
from reports.goals.services import GoalInput  # noqa: E402
from reports.models import GoalResult  # noqa: E402

DIMENSIONS = ["age_band", "education", "income_source", "time_on_support", "uvas", "referrer", "home_municipality"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def fresh_org_number() -> str:
    """A valid organisation number not used yet (bench associations count up from 222300-00x)."""
    index = Association.objects.filter(org_number__startswith="22230").count()
    while True:
        base = f"22230{index:04d}"
        check = next(d for d in range(10) if luhn_valid(f"{base}{d}"))
        number = f"{base[:6]}-{base[6:]}{check}"
        if not Association.objects.filter(org_number=number).exists():
            return number
        index += 1


def report_body(index: int) -> dict:
    """A draft whose exits give ``1 + index % 3`` steps of 4 exits, so each result is checkable."""
    steps = 1 + index % 3
    exits = [
        {"reason": "employment", "women": steps, "men": 0, "other": 0},
        {"reason": "returned", "women": 0, "men": 4 - steps, "other": 0},
    ]
    new = {"women": 2, "men": 1, "other": 0}
    return {
        "ongoing_at_start": {"women": 10, "men": 10, "other": 0},
        "new": new,
        "exits": exits,
        "breakdowns": [{"dimension": d, "category": "unknown", **new} for d in DIMENSIONS],
        "spent_sek": 1000,
    }


def start_worker(concurrency: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "finsam",
            "worker",
            f"--concurrency={concurrency}",
            "-Q",
            app.conf.task_default_queue,
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=dict(os.environ),
    )
    for _ in range(300):
        if app.control.ping(timeout=0.2):
            return process
        if process.poll() is not None:
            raise RuntimeError("the worker exited")
    raise RuntimeError("the worker did not answer a ping")


def wait_for_result(goal_id: int, numerator: int, *, timeout: float, interval: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        row = GoalResult.objects.filter(goal_id=goal_id, period="2024").values("stale", "numerator").first()
        if row and not row["stale"] and row["numerator"] == numerator:
            return True
        time.sleep(interval)
    return False


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--poll-ms", type=float, default=5.0, help="how often the database is polled")
    args = parser.parse_args(argv)
    if not settings.CELERY_BROKER_URL:
        parser.error("set CELERY_BROKER_URL (a real worker is the point of this benchmark)")
    if connection.vendor != "postgresql":
        print("note: not PostgreSQL; a worker process cannot share an in-memory database", flush=True)

    call_command("migrate", verbosity=0)
    association = association_create(name="Benchmark mål", org_number=fresh_org_number())
    user = user_create(email=f"bench-goals-{association.pk}@example.se", association=association, role=Role.STAFF)
    token = api_token_create(user=user, name="bench")[1]
    client = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Token {token}")
    print(f"setting up {args.submits + 1} interventions with a goal and a draft …", flush=True)
    cases = []
    for index in range(args.submits + 1):  # the first is a warm-up, not counted
        intervention = Intervention.objects.create(
            association=association, name=f"Bench {index}", owner="Kommunen", start="2024-01-01"
        )
        goal = services.goal_create(
            intervention=intervention,
            data=GoalInput(year=2024, label="Stegförflyttning", kind="step_progression", target=Decimal(50)),
        )
        url = f"/api/v1/interventions/{intervention.pk}/reports/2024Q1/"
        response = client.put(url, report_body(index), content_type="application/json")
        assert response.status_code == 201, response.content
        cases.append((url, goal.pk, 1 + index % 3))

    app.control.purge()
    worker = start_worker(args.concurrency)
    print(f"worker up (concurrency {args.concurrency}); {args.submits} submits …", flush=True)
    totals, requests, lost = [], [], 0
    try:
        for position, (url, goal_id, numerator) in enumerate(cases):
            started = time.perf_counter()
            response = client.post(url + "submit/")
            answered = time.perf_counter()
            assert response.status_code == 200, response.content
            if not wait_for_result(goal_id, numerator, timeout=30, interval=args.poll_ms / 1000):
                lost += 1
                continue
            done = time.perf_counter()
            if position:  # skip the warm-up
                totals.append((done - started) * 1000)
                requests.append((answered - started) * 1000)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    print()
    print(f"submits measured: {len(totals)}, results not updated within 30 s: {lost}")
    print(f"{'measurement':<40} {'median':>10} {'p95':>10} {'max':>10}")
    for name, values in (("submit → updated goal result", totals), ("submit request alone", requests)):
        print(
            f"{name:<40} {statistics.median(values):>8.1f} ms {percentile(values, 0.95):>7.1f} ms "
            f"{max(values):>7.1f} ms"
        )


if __name__ == "__main__":
    main()
