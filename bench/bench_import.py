"""Time a bulk import of period reports through the API, as a member system would send it.

Builds a fresh SQLite database in a temporary directory (or uses ``DATABASE_URL`` if given an
empty, migrated database), one association with ``--interventions`` interventions and a staff
user with an API token, then POSTs ``/api/v1/imports/`` with ``--reports`` synthetic reports that
pass every counting rule: once as a dry run, once for real (all created), and once again with the
same body (all unchanged). Each request goes through the whole middleware stack in-process.
Prints wall time, CPU time of this process (steadier on a shared machine), reports per second
and SQL queries per report for each run.

    .venv/bin/python bench/bench_import.py                # 500 reports, SQLite
    .venv/bin/python bench/bench_import.py --reports 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="bench-import-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")
os.environ.setdefault("API_THROTTLE_RATE", "")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from outcomes.models import Association, Dimension, ExitReason, Intervention, PeriodReport  # noqa: E402
from outcomes.organisations.services import api_token_create, association_create, user_create  # noqa: E402
from outcomes.periods import Period  # noqa: E402
from outcomes.synthetic import DimensionShape, synthetic_periods  # noqa: E402


def build_body(association: Association, *, interventions: int, reports: int, rng: random.Random) -> dict:
    reasons = list(ExitReason.objects.filter(association=association).values_list("code", flat=True))
    shapes = [
        DimensionShape(d.code, d.multi_valued, tuple(c.code for c in d.categories.all()))
        for d in Dimension.objects.filter(association=association).prefetch_related("categories")
    ]
    per_intervention = -(-reports // interventions)
    periods = [Period(2015 + i // 4, "Q", i % 4 + 1) for i in range(per_intervention)]
    made = [
        Intervention.objects.create(
            association=association, name=f"Insats {n:03d}", owner="Kommunen", start=dt.date(2015, 1, 1)
        )
        for n in range(interventions)
    ]
    items = []
    for intervention in made:
        figures = synthetic_periods(
            rng, count=len(periods), intake=(5, 4, 1), reasons=reasons, dimensions=shapes, spent_per_period=150_000
        )
        for period, f in zip(periods, figures, strict=True):
            items.append(
                {
                    "intervention": intervention.pk,
                    "period": period.code,
                    "ongoing_at_start": f.ongoing_at_start.as_dict(),
                    "new": f.new.as_dict(),
                    "exits": [{"reason": code, **c.as_dict()} for code, c in f.exits_by_reason.items()],
                    "breakdowns": [
                        {"dimension": d, "category": code, **c.as_dict()}
                        for d, cats in f.breakdowns.items()
                        for code, c in cats.items()
                    ],
                    "spent_sek": f.spent_sek,
                }
            )
    # Period-major order, as a system that exports one quarter after another would send it.
    items.sort(key=lambda item: (item["period"], item["intervention"]))
    return {"reports": items[:reports]}


class QueryCounter:
    """Counts SQL statements without DEBUG's query log (which quotes every parameter)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed_post(client: Client, secret: str, payload: bytes, *, dry_run: bool) -> tuple[float, float, int, dict]:
    counter = QueryCounter()
    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        response = client.post(
            f"/api/v1/imports/?dry_run={'true' if dry_run else 'false'}",
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {secret}",
            HTTP_HOST="localhost",
        )
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    summary = response.json()
    if response.status_code != 200:
        raise SystemExit(f"import failed with {response.status_code}: {json.dumps(summary)[:2000]}")
    return elapsed, cpu, counter.count, summary


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--interventions", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    call_command("migrate", verbosity=0)
    association = association_create(name="Samordningsförbundet Bänk", org_number="222000-2279")
    user = user_create(email="bank@example.se", association=association, role="staff")
    _token, secret = api_token_create(user=user, name="bench")
    body = build_body(association, interventions=args.interventions, reports=args.reports, rng=random.Random(args.seed))
    payload = json.dumps(body).encode()
    n = len(body["reports"])
    print(
        f"database: {connection.vendor}; {n} reports over {args.interventions} interventions;"
        f" body {len(payload) / 1024:.0f} KiB"
    )
    print(f"{'run':<22}{'wall s':>8}{'CPU s':>7}{'reports/s':>11}{'queries':>9}{'queries/report':>16}  summary")
    client = Client()
    with override_settings(DEBUG=False):
        for label, dry_run in (("dry run", True), ("import (all new)", False), ("again (all unchanged)", False)):
            elapsed, cpu, queries, summary = timed_post(client, secret, payload, dry_run=dry_run)
            counts = f"created {summary['created']}, updated {summary['updated']}, unchanged {summary['unchanged']}"
            print(
                f"{label:<22}{elapsed:>8.2f}{cpu:>7.2f}{n / elapsed:>11.0f}{queries:>9}{queries / n:>16.1f}  {counts}"
            )
    print(f"stored reports: {PeriodReport.objects.count()}")


if __name__ == "__main__":
    main()
