"""Measure the service at national scale and print one table.

Runs against a database filled by ``bench/seed_national.py`` with a real gunicorn web process and
a real Celery worker on Redis, and prints, per measurement, the median and p95 over repeated runs
and the ratio to its baseline where there is one (bare SQL that computes the same numbers in the
same run: the floor is the database itself).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/finsam_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/run.py

``make bench`` creates, migrates and seeds a fresh database first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")  # no query log growing in this process

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from outcomes.models import Association, Intervention, PeriodReport, ReportStatus, Role  # noqa: E402
from outcomes.organisations.models import InterventionKind  # noqa: E402
from outcomes.organisations.services import api_token_create, association_create, user_create  # noqa: E402
from outcomes.periods import Period  # noqa: E402
from reports.models import GoalResult  # noqa: E402
from reports.summaries.selectors import association_summary, national_summary  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed(func: Callable[[], object], repeats: int) -> list[float]:
    """Wall-clock milliseconds of ``repeats`` calls, after one warm-up call."""
    func()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return times


class Table:
    def __init__(self):
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, name: str, values_ms: list[float] | None = None, *, baseline_ms=None, text=None, target=""):
        if values_ms is None:
            self.rows.append((name, text or "", "", "", target))
            print(f"  {name}: {text}", flush=True)
            return
        median, p95 = statistics.median(values_ms), percentile(values_ms, 0.95)
        ratio = f"{median / statistics.median(baseline_ms):.2f} ×" if baseline_ms else ""
        self.rows.append((name, f"{median:.1f} ms", f"{p95:.1f} ms", ratio, target))
        print(f"  {name}: median {median:.1f} ms, p95 {p95:.1f} ms {ratio}", flush=True)

    def print(self):
        header = ("measurement", "median", "p95", "ratio to baseline", "target")
        widths = [max(len(str(row[i])) for row in [header, *self.rows]) for i in range(len(header))]
        line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
        print(line)
        print("| " + " | ".join("-" * w for w in widths) + " |")
        for row in self.rows:
            print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def persistent(database_url: str) -> str:
    """``database_url`` with connections kept open between requests for a minute, as production
    does (``DJANGO_CONN_MAX_AGE``, 60 s); a new PostgreSQL connection per request took about 40 %
    of the PUT throughput."""
    if "conn_max_age" in database_url:
        return database_url
    return database_url + ("&" if "?" in database_url else "?") + "conn_max_age=60"


class Processes:
    """The web and worker processes of the run, with their peak resident memory."""

    def __init__(self, port: int, *, workers: int = 2, threads: int = 4):
        self.port = port
        self.workers, self.threads = workers, threads
        self.children: dict[str, subprocess.Popen] = {}

    def start(self, env: dict[str, str]):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"port {self.port} is taken (a web process left from an earlier run?)")
        self.children["web"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "finsam.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={
                **env,
                "DJANGO_SETTINGS_MODULE": "finsam.settings.local",
                "DJANGO_DEBUG": "false",
                "DATABASE_URL": persistent(env["DATABASE_URL"]),
            },
        )
        self.children["worker"] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "finsam", "worker", "--concurrency=2", "--loglevel=WARNING"],
            cwd=ROOT,
            env={
                **env,
                "DJANGO_SETTINGS_MODULE": "finsam.settings.local",
                "DATABASE_URL": persistent(env["DATABASE_URL"]),
            },
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/konto/login/", timeout=2)
                return
            except OSError:  # refused, reset or timed out while gunicorn boots
                time.sleep(0.2)
        raise RuntimeError("the web process did not start")

    def peak_memory_mb(self, name: str) -> float:
        """Peak resident memory (VmHWM) of the process and its children, in MiB."""
        root = self.children[name].pid
        pids = [root] + [
            int(p) for p in subprocess.run(["pgrep", "-P", str(root)], capture_output=True, text=True).stdout.split()
        ]
        total = 0
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
            except FileNotFoundError:
                continue
        return total / 1024

    def stop(self):
        for child in self.children.values():
            child.send_signal(signal.SIGTERM)
        for child in self.children.values():
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()


class Api:
    def __init__(self, port: int, token: str):
        self.port = port
        self.base = f"http://127.0.0.1:{port}/api/v1/"
        self.token = token

    def call(self, method: str, path: str, body=None) -> tuple[int, object]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Token {self.token}")
        request.add_header("Content-Type", "application/json")
        try:
            # Long: on a loaded machine a 200-intervention summary under 8 clients took over 60 s.
            with urllib.request.urlopen(request, timeout=300) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def bench_user(association: Association) -> str:
    user = user_create(email=f"bench-{association.pk}@example.se", association=association, role=Role.STAFF)
    return api_token_create(user=user, name="bench")[1]


def report_body(index: int) -> dict:
    """A valid report body whose numbers vary with ``index`` (so every PUT writes)."""
    new = {"women": 2 + index % 3, "men": 1 + index % 2, "other": 0}
    dims = ["age_band", "education", "income_source", "time_on_support", "uvas", "referrer", "home_municipality"]
    return {
        "ongoing_at_start": {"women": 10, "men": 8, "other": 0},
        "new": new,
        "exits": [{"reason": "employment", "women": 1, "men": 1, "other": 0}],
        "breakdowns": [{"dimension": d, "category": "unknown", **new} for d in dims],
        "spent_sek": 100_000 + index,
    }


def measure_puts(
    api: Api, interventions: list[int], period: str, *, clients: int, total: int
) -> tuple[float, list[float]]:
    """Report PUTs per second from ``clients`` concurrent clients, and each PUT's latency."""
    latencies: list[float] = []
    lock = threading.Lock()
    failures = []

    def put(index: int):
        started = time.perf_counter()
        status, body = api.call(
            "PUT", f"interventions/{interventions[index % len(interventions)]}/reports/{period}/", report_body(index)
        )
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)
            if status not in (200, 201):
                failures.append((status, body))

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(put, range(total)))
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} PUTs failed, first: {failures[0]}")
    return total / elapsed, latencies


# The floor: hand-written SQL that computes the summary's numbers for the period and the same
# period a year earlier (stock and flow per intervention, exits by reason, budgets, goal results).
TOTALS_SQL = """
SELECT r.intervention_id, r.period_start >= %(start)s AS current, count(*),
       sum(r.new_women), sum(r.new_men), sum(r.new_other),
       sum(r.exits_women), sum(r.exits_men), sum(r.exits_other), sum(r.spent_sek),
       (array_agg(r.ongoing_start_women ORDER BY r.period_start))[1],
       (array_agg(r.ongoing_start_men ORDER BY r.period_start))[1],
       (array_agg(r.ongoing_start_other ORDER BY r.period_start))[1]
FROM outcomes_periodreport r JOIN outcomes_intervention i ON i.id = r.intervention_id
WHERE {scope} r.status IN ('submitted', 'approved')
  AND r.period_start >= %(previous_start)s AND r.period_end <= %(end)s
  AND NOT (r.period_end > %(previous_end)s AND r.period_start < %(start)s)
GROUP BY r.intervention_id, current
"""
REASONS_SQL = """
SELECT r.intervention_id, r.period_start >= %(start)s AS current, e.code,
       sum(x.women), sum(x.men), sum(x.other)
FROM outcomes_exitcount x JOIN outcomes_periodreport r ON r.id = x.report_id
JOIN outcomes_intervention i ON i.id = r.intervention_id JOIN outcomes_exitreason e ON e.id = x.reason_id
WHERE {scope} r.status IN ('submitted', 'approved')
  AND r.period_start >= %(previous_start)s AND r.period_end <= %(end)s
  AND NOT (r.period_end > %(previous_end)s AND r.period_start < %(start)s)
GROUP BY r.intervention_id, current, e.code
"""
BUDGETS_SQL = """
SELECT b.intervention_id, b.year, b.budget_sek FROM outcomes_budget b
JOIN outcomes_intervention i ON i.id = b.intervention_id WHERE {scope} b.year IN (%(year)s, %(year)s - 1)
"""
GOALS_SQL = """
SELECT g.intervention_id, g.label, gr.numerator, gr.denominator, gr.value, gr.percent, gr.target, gr.status
FROM reports_goalresult gr JOIN reports_goal g ON g.id = gr.goal_id
JOIN outcomes_intervention i ON i.id = g.intervention_id WHERE {scope} gr.period = %(period)s
"""


def bare_sql(period: Period, association_id: int | None) -> int:
    """Run the baseline queries for one association (or all); answers the rows read."""
    previous = period.same_period_last_year()
    params = {
        "start": period.start,
        "end": period.end,
        "previous_start": previous.start,
        "previous_end": previous.end,
        "year": period.year,
        "period": period.code,
        "association": association_id,
    }
    scope = "i.association_id = %(association)s AND" if association_id else ""
    rows = 0
    with connection.cursor() as cursor:
        for sql in (TOTALS_SQL, REASONS_SQL, BUDGETS_SQL, GOALS_SQL):
            cursor.execute(sql.format(scope=scope), params)
            rows += len(cursor.fetchall())
    return rows


def measure_summaries(table: Table, api: Api, association: Association, year: int, repeats: int) -> None:
    period = Period.parse(str(year))
    path = f"associations/{association.pk}/summary/?period={year}"
    status, body = api.call("GET", path)
    if status != 200:
        raise RuntimeError(f"summary answered {status}: {body}")
    n = len(body["interventions"])
    print(f"association-year summary: {association.name}, {n} interventions, {year}", flush=True)
    sql = timed(lambda: bare_sql(period, association.pk), repeats)
    table.add("association-year summary, bare SQL (baseline)", sql)
    table.add(
        "association-year summary, selector association_summary()",
        timed(lambda: association_summary(association=association, period=period), repeats),
        baseline_ms=sql,
    )
    table.add(
        "association-year summary, API (GET …/summary/)",
        timed(lambda: api.call("GET", path), repeats),
        baseline_ms=sql,
        target="≤ 2 × SQL, median < 100 ms",
    )
    national_repeats = max(3, repeats // 4)
    print(f"national-year summary: {Association.objects.count()} associations", flush=True)
    sql = timed(lambda: bare_sql(period, None), national_repeats)
    table.add("national-year summary, bare SQL (baseline)", sql)
    table.add(
        "national-year summary, selector national_summary()",
        timed(lambda: national_summary(period=period), national_repeats),
        baseline_ms=sql,
        target="≤ 2 × SQL",
    )


def measure_recompute(table: Table) -> None:
    """Every goal result of the data set, recomputed by the nightly job's per-intervention tasks
    on the real worker (joined through the result backend so the time ends with the last one)."""
    from celery import group

    from reports.goals.selectors import intervention_years_with_goals
    from reports.tasks import goal_results_recompute_goals

    ids = sorted({pk for pk, _year in intervention_years_with_goals()})
    for label in ("first run (results created)", "repair run (nothing changed)"):
        print(f"recomputing every goal result of {len(ids)} interventions: {label} …", flush=True)
        started = time.perf_counter()
        job = group(goal_results_recompute_goals.s(pk).set(ignore_result=False) for pk in ids).apply_async()
        changed = sum(job.get(timeout=3600))
        elapsed = time.perf_counter() - started
        table.add(f"recompute every goal result, {label}", text=f"{elapsed:.1f} s", target="< 60 s")
        print(f"  {changed} results written in {elapsed:.1f} s; {GoalResult.objects.count()} stored", flush=True)


def measure_import(table: Table, api: Api, repeats: int) -> None:
    """500 reports in one POST /imports/, each time into a fresh association."""
    from bench.bench_import import build_body
    from bench.submit_to_result import fresh_org_number

    times = []
    for run in range(repeats):
        association = association_create(name=f"Import {run}", org_number=fresh_org_number())
        user = user_create(email=f"bench-import-{association.pk}@example.se", association=association, role=Role.STAFF)
        importer = Api(api.port, api_token_create(user=user, name="bench")[1])
        body = build_body(association, interventions=25, reports=500, rng=random.Random(run))
        started = time.perf_counter()
        status, summary = importer.call("POST", "imports/", body)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200 or summary.get("created") != 500:
            raise RuntimeError(f"import answered {status}: {str(summary)[:500]}")
    table.add("bulk import of 500 reports (POST /imports/)", times, target="< 5 s")


def measure_submit_to_result(table: Table, api: Api, submits: int) -> None:
    """Submit over the API, then poll until the year's goal result is fresh with the new numbers."""
    from bench.submit_to_result import fresh_org_number, wait_for_result
    from bench.submit_to_result import report_body as draft_body
    from reports.goals.services import GoalInput, goal_create

    association = association_create(name="Submit", org_number=fresh_org_number())
    user = user_create(email=f"bench-submit-{association.pk}@example.se", association=association, role=Role.STAFF)
    submitter = Api(api.port, api_token_create(user=user, name="bench")[1])
    cases = []
    for index in range(submits + 1):  # the first is a warm-up
        intervention = Intervention.objects.create(
            association=association, name=f"Submit {index}", owner="Kommunen", start=dt.date(2024, 1, 1)
        )
        goal = goal_create(
            intervention=intervention,
            data=GoalInput(year=2024, label="Stegförflyttning", kind="step_progression", target=Decimal(50)),
        )
        path = f"interventions/{intervention.pk}/reports/2024Q1/"
        status, body = submitter.call("PUT", path, draft_body(index))
        if status != 201:
            raise RuntimeError(f"draft PUT answered {status}: {body}")
        cases.append((path, goal.pk, 1 + index % 3))
    print(f"submit → updated result: {submits} submits", flush=True)
    totals = []
    for position, (path, goal_id, numerator) in enumerate(cases):
        started = time.perf_counter()
        status, body = submitter.call("POST", path + "submit/")
        if status != 200:
            raise RuntimeError(f"submit answered {status}: {body}")
        if not wait_for_result(goal_id, numerator, timeout=30, interval=0.005):
            raise RuntimeError(f"goal {goal_id} was not updated within 30 s")
        if position:
            totals.append((time.perf_counter() - started) * 1000)
    table.add("submit → updated goal result (real worker)", totals, target="p95 < 2 s")


def concurrent_latencies(func: Callable[[], object], *, clients: int, total: int) -> list[float]:
    """Milliseconds of each of ``total`` calls of ``func`` made by ``clients`` threads at once."""
    latencies: list[float] = []
    lock = threading.Lock()

    def call(_index: int):
        started = time.perf_counter()
        func()
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(call, range(total)))
    return latencies


def measure_large_summary(table: Table, port: int, association: Association, year: int, args) -> None:
    """The summary of the association with the most interventions: bare SQL, selector, API alone
    and with ``--clients`` clients asking at once."""
    period = Period.parse(str(year))
    api = Api(port, bench_user(association))
    path = f"associations/{association.pk}/summary/?period={year}"
    status, body = api.call("GET", path)
    if status != 200:
        raise RuntimeError(f"summary answered {status}: {body}")
    n = len(body["interventions"])
    print(f"summary of a large association: {association.name}, {n} interventions, {year}", flush=True)
    sql = timed(lambda: bare_sql(period, association.pk), args.repeats)
    table.add(f"{n}-intervention association summary, bare SQL (baseline)", sql)
    table.add(
        f"{n}-intervention association summary, selector",
        timed(lambda: association_summary(association=association, period=period), args.repeats),
        baseline_ms=sql,
        target="≤ 1.5 × SQL",
    )
    table.add(
        f"{n}-intervention association summary, API",
        timed(lambda: api.call("GET", path), args.repeats),
        baseline_ms=sql,
        target="< 150 ms, ≤ 2 × SQL",
    )
    table.add(
        f"{n}-intervention association summary, API, {args.clients} clients",
        concurrent_latencies(lambda: api.call("GET", path), clients=args.clients, total=args.clients * args.repeats),
        baseline_ms=sql,
    )


def stale_results(intervention_ids: list[int]) -> int:
    return GoalResult.objects.filter(goal__intervention_id__in=intervention_ids, stale=True).count()


def wait_for_idle_worker(table: Table, *, limit: float = 180) -> None:
    """Wait until the worker runs, holds and schedules no task: the PUTs to submitted reports
    queue the drawing of their association's charts (``ANNUAL_CHARTS_WARM_COUNTDOWN`` after the
    first change, several seconds on one core), which would otherwise be timed as part of the
    summaries and exports measured in this process after them. Adds how long that took."""
    from finsam.celery import app

    started = time.perf_counter()
    inspect = app.control.inspect(timeout=1)
    while time.perf_counter() - started < limit:
        replies = [inspect.active(), inspect.reserved(), inspect.scheduled()]
        if all(reply is not None and not any(reply.values()) for reply in replies):
            waited = time.perf_counter() - started
            table.add("worker idle again after the PUTs (charts drawn ahead)", text=f"{waited:.1f} s")
            return
        time.sleep(0.5)
    raise RuntimeError(f"the worker still had tasks {limit:.0f} s after the PUTs")


def measure_submitted_puts(table: Table, port: int, association: Association, period: str, args) -> None:
    """PUTs that each change a submitted report with goals (each queues a recomputation on the
    real worker), then how long the worker takes to clear the backlog after the last PUT: until
    no goal result of those interventions is stale."""
    interventions = list(
        Intervention.objects.filter(
            association=association,
            kind=InterventionKind.INDIVIDUAL,
            reports__period=period,
            reports__status=ReportStatus.SUBMITTED,
            goals__isnull=False,
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    if not interventions:
        raise RuntimeError(f"no submitted {period} report with goals in {association.name}")
    api = Api(port, bench_user(association))
    print(f"PUTs to submitted reports with goals: {args.puts} PUTs, {len(interventions)} {period} reports", flush=True)
    peak = [0]
    done = threading.Event()

    def sample():  # the backlog while the PUTs run: goal results waiting for the worker
        while not done.wait(0.25):
            peak[0] = max(peak[0], stale_results(interventions))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        rate, latencies = measure_puts(api, interventions, period, clients=args.clients, total=args.puts)
    finally:
        done.set()
        sampler.join()
    last_put = time.perf_counter()
    while (left := stale_results(interventions)) and time.perf_counter() - last_put < 300:
        time.sleep(0.05)
    drained = time.perf_counter() - last_put
    if left:
        raise RuntimeError(f"{left} goal results still stale 300 s after the last PUT")
    table.add(f"PUT to a submitted report with goals, latency, {args.clients} clients", latencies)
    table.add(
        f"PUTs per second to submitted reports with goals, {args.clients} clients",
        text=f"{rate:.0f} /s",
        target="≥ 50 /s",
    )
    table.add(
        "worker backlog after the last such PUT: drained in",
        text=f"{drained:.1f} s (peak {peak[0]} stale results)",
        target="worker keeps up",
    )


def measure_exports(table: Table, association: Association, year: int, repeats: int) -> None:
    """The exports of one association by the same entry points as the web and its jobs."""
    from reports.exports.services import annual_report_docx, export_document

    period = Period.parse(str(year))
    n = association.interventions.count()
    intervention = association.interventions.order_by("pk").first()
    print(f"exports: {association.name}, {n} interventions, {year}", flush=True)

    def document(fmt: str, **extra):
        return lambda: export_document(
            association=association, period=period, fmt=fmt, publish=False, include_drafts=False, **extra
        )

    table.add(f"summary PDF, {n} interventions", timed(document("pdf"), repeats), target="< 1.5 s")
    table.add(f"summary XLSX, {n} interventions", timed(document("xlsx"), repeats), target="< 0.3 s")
    table.add("intervention PDF, with charts", timed(document("pdf", intervention=intervention), repeats))
    table.add(
        f"Word annual report, {n} interventions",
        timed(lambda: annual_report_docx(association=association, period=period), repeats),
        target="< 1 s",
    )


def measure_fresh_start(table: Table) -> None:
    """bench/fresh_start.sh on the committed HEAD of this repository (needs the package index)."""
    print("fresh clone → make run → first page …", flush=True)
    run = subprocess.run(["bash", str(ROOT / "bench" / "fresh_start.sh")], capture_output=True, text=True, check=False)
    print(run.stdout, run.stderr, flush=True)
    if run.returncode:
        raise RuntimeError("bench/fresh_start.sh failed")
    seconds = run.stdout.strip().splitlines()[-1].rsplit(":", 1)[1].strip()
    table.add("fresh clone → make run → first page", text=seconds, target="< 60 s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--port", type=int, default=8321)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--puts", type=int, default=800)
    parser.add_argument("--imports", type=int, default=3, help="500-report imports (each a fresh association)")
    parser.add_argument("--submits", type=int, default=50)
    parser.add_argument("--skip-recompute", action="store_true")
    parser.add_argument("--export-repeats", type=int, default=3, help="timed runs of each export")
    parser.add_argument(
        "--fresh-start", action="store_true", help="also clone HEAD and time `make run` to the first page"
    )
    # As the Dockerfile: on 2 cores, 2 × 4 served as many PUTs as 3 × 4 or 4 × 4 with less memory.
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        parser.error("the benchmark is defined for PostgreSQL (DATABASE_URL)")
    if not settings.CELERY_BROKER_URL:
        # Without one, tasks run eagerly inside the web processes and the worker only idles.
        parser.error("the benchmark needs a real worker: set CELERY_BROKER_URL (make bench sets BENCH_BROKER)")
    association = Association.objects.order_by("pk").first()
    if association is None:
        parser.error("the database is empty; run bench/seed_national.py first")
    token = bench_user(association)
    table = Table()
    processes = Processes(args.port, workers=args.workers, threads=args.threads)
    # Measure the service, not its rate limit; production settings otherwise (no debug).
    started = time.perf_counter()
    try:
        processes.start({**os.environ, "API_THROTTLE_RATE": "", "DJANGO_DEBUG": "false"})
        api = Api(args.port, token)
        # Individual interventions: a structural one has no participants, and the PUT body has some.
        interventions = list(
            Intervention.objects.filter(association=association, kind=InterventionKind.INDIVIDUAL).values_list(
                "pk", flat=True
            )
        )
        # The seed's last year: its approved reports end in its third quarter (the fourth is
        # submitted); the drafts that earlier runs PUT into the next year must not move it.
        last = (
            PeriodReport.objects.filter(status=ReportStatus.APPROVED)
            .order_by("-period_start")
            .values_list("period_start", flat=True)
            .first()
        )
        if not args.skip_recompute:
            measure_recompute(table)
        measure_summaries(table, api, association, last.year, args.repeats)
        print(f"PUT throughput: {args.puts} PUTs from {args.clients} clients", flush=True)
        rate, latencies = measure_puts(api, interventions, f"{last.year + 1}Q1", clients=args.clients, total=args.puts)
        table.add(f"report PUT latency, {args.clients} concurrent clients", latencies)
        table.add(f"report PUTs per second, {args.clients} clients", text=f"{rate:.0f} /s", target="≥ 100 /s")
        measure_submitted_puts(table, args.port, association, f"{last.year}Q4", args)
        wait_for_idle_worker(table)
        by_size = Association.objects.annotate(n=Count("interventions")).order_by("-n", "pk")
        measure_large_summary(table, args.port, by_size.first(), last.year, args)
        exports = min(by_size, key=lambda a: (abs(a.n - 20), a.pk))  # the 20 interventions
        measure_exports(table, exports, last.year, args.export_repeats)
        measure_import(table, api, args.imports)
        measure_submit_to_result(table, api, args.submits)
        table.add("peak memory, web (gunicorn, all workers)", text=f"{processes.peak_memory_mb('web'):.0f} MiB")
        table.add("peak memory, Celery worker", text=f"{processes.peak_memory_mb('worker'):.0f} MiB")
    finally:
        processes.stop()
    if args.fresh_start:
        measure_fresh_start(table)
    print()
    reports = PeriodReport.objects.count()
    print(
        f"{Association.objects.count()} associations, {Intervention.objects.count()} interventions, "
        f"{reports} period reports, {GoalResult.objects.count()} goal results; "
        f"run took {time.perf_counter() - started:.0f} s"
    )
    table.print()


if __name__ == "__main__":
    main()
