"""Time the file imports of issue 16 through the API, as an owner or staff would send them.

Builds a fresh SQLite database in a temporary directory (or uses ``DATABASE_URL`` if given an
empty, migrated database) with one association, ``--interventions`` interventions and a staff
user, then prints one line per run (wall time, CPU time of this process, SQL queries):

- **template, one year**: four stored quarters of one intervention; the template is downloaded
  (``GET .../template.xlsx?year=2024``), one count is changed on every sheet with openpyxl, and
  the file is posted as a dry run and then for real (four changed reports). Target: under 1 s each.
- **staff CSV**: the long CSV of ``--interventions`` × ``--years`` years of quarters (400 reports
  by default; new, two exit reasons, every single-valued dimension, spent: about 4 600 lines,
  under the 10 000-line limit) as a dry run and then for real. Target: under 5 s each.

    .venv/bin/python bench/bench_file_import.py
    .venv/bin/python bench/bench_file_import.py --interventions 10 --years 10
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="bench-file-import-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")
os.environ.setdefault("API_THROTTLE_RATE", "")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from outcomes.imports.csv import HEADER  # noqa: E402
from outcomes.imports.files import CSV_TYPE, XLSX_TYPE  # noqa: E402
from outcomes.models import Dimension, Intervention, PeriodReport  # noqa: E402
from outcomes.organisations.services import api_token_create, association_create, user_create  # noqa: E402


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(client: Client, secret: str, method: str, path: str, body: bytes | None = None, content_type: str = ""):
    counter = QueryCounter()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        kwargs = {"HTTP_AUTHORIZATION": f"Token {secret}", "HTTP_HOST": "localhost"}
        if method == "GET":
            response = client.get(path, **kwargs)
        else:
            response = client.post(path, body, content_type=content_type, **kwargs)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"{method} {path} answered {response.status_code}: {response.content[:2000]!r}")
    return response, wall, cpu, counter.count


def quarter_lines(pk: int, period: str, dimensions: list[str], *, first: bool) -> list[tuple]:
    lines = [(pk, period, "ongoing_at_start", "", 4, 3, 0, "")] if first else []
    lines += [
        (pk, period, "new", "", 3, 2, 1, ""),
        (pk, period, "exit", "employment", 1, 1, 0, ""),
        (pk, period, "exit", "returned", 1, 0, 0, ""),
        *((pk, period, "breakdown", f"{d}.unknown", 3, 2, 1, "") for d in dimensions),
        (pk, period, "spent_sek", "", "", "", "", "150000"),
    ]
    return lines


def long_csv(interventions, years: range, dimensions: list[str]) -> bytes:
    rows = [";".join(HEADER)]
    for intervention in interventions:
        for year in years:
            for quarter in range(1, 5):
                first = (year, quarter) == (years[0], 1)
                for line in quarter_lines(intervention.pk, f"{year}Q{quarter}", dimensions, first=first):
                    rows.append(";".join(str(v) for v in line))
    return ("\n".join(rows) + "\n").encode()


def report(label: str, wall: float, cpu: float, queries: int, summary: dict) -> None:
    counts = ", ".join(f"{k} {summary[k]}" for k in ("created", "updated", "unchanged", "locked"))
    print(f"{label:<30}{wall:>8.2f}{cpu:>8.2f}{queries:>9}  {counts}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interventions", type=int, default=10)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args(argv)
    call_command("migrate", verbosity=0)
    association = association_create(name="Samordningsförbundet Bänk", org_number="222000-2279")
    user = user_create(email="bank@example.se", association=association, role="staff")
    _token, secret = api_token_create(user=user, name="bench")
    made = [
        Intervention.objects.create(
            association=association, name=f"Insats {n:03d}", owner="Kommunen", start=dt.date(2010, 1, 1)
        )
        for n in range(args.interventions + 1)
    ]
    dimensions = list(
        Dimension.objects.filter(association=association, multi_valued=False).values_list("code", flat=True)
    )
    client = Client()
    print(f"database: {connection.vendor}")
    print(f"{'run':<30}{'wall s':>8}{'CPU s':>8}{'queries':>9}  summary")
    with override_settings(DEBUG=False):
        # --- one template, one year -------------------------------------------------------
        owner = made[-1]
        body = long_csv([owner], range(2024, 2025), dimensions)
        timed(client, secret, "POST", "/api/v1/imports/", body, CSV_TYPE)
        response, wall, cpu, queries = timed(
            client, secret, "GET", f"/api/v1/interventions/{owner.pk}/template.xlsx?year=2024"
        )
        print(f"{'template download':<30}{wall:>8.2f}{cpu:>8.2f}{queries:>9}  {len(response.content) // 1024} KiB")
        workbook = load_workbook(io.BytesIO(response.content))
        for sheet in workbook.worksheets[1:]:
            for row in range(7, sheet.max_row + 1):
                if sheet[f"G{row}"].value == "new":
                    sheet[f"E{row}"] = 2
        out = io.BytesIO()
        workbook.save(out)
        for label, dry in (("template dry run (4 reports)", "true"), ("template import (4 changed)", "false")):
            response, wall, cpu, queries = timed(
                client, secret, "POST", f"/api/v1/imports/?dry_run={dry}", out.getvalue(), XLSX_TYPE
            )
            report(label, wall, cpu, queries, response.json())
        # --- the staff's long CSV -----------------------------------------------------------
        body = long_csv(made[:-1], range(2014, 2014 + args.years), dimensions)
        lines = body.count(b"\n")
        n = args.interventions * args.years * 4
        for label, dry in ((f"CSV dry run ({n} reports)", "true"), (f"CSV import ({n} new)", "false")):
            response, wall, cpu, queries = timed(
                client, secret, "POST", f"/api/v1/imports/?dry_run={dry}", body, CSV_TYPE
            )
            report(label, wall, cpu, queries, response.json())
        print(f"CSV: {lines} lines, {len(body) // 1024} KiB; stored reports: {PeriodReport.objects.count()}")


if __name__ == "__main__":
    main()
