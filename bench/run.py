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
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from outcomes.models import Association, Intervention, PeriodReport, Role  # noqa: E402
from outcomes.services import api_token_create, user_create  # noqa: E402


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


class Processes:
    """The web and worker processes of the run, with their peak resident memory."""

    def __init__(self, port: int):
        self.port = port
        self.children: dict[str, subprocess.Popen] = {}

    def start(self, env: dict[str, str]):
        self.children["web"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "finsam.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "3",
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "finsam.settings.local", "DJANGO_DEBUG": "false"},
        )
        self.children["worker"] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "finsam", "worker", "--concurrency=2", "--loglevel=WARNING"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "finsam.settings.local"},
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/konto/login/", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError):
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
        self.base = f"http://127.0.0.1:{port}/api/v1/"
        self.token = token

    def call(self, method: str, path: str, body=None) -> tuple[int, object]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Token {self.token}")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
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


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--port", type=int, default=8321)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--puts", type=int, default=800)
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print("note: not PostgreSQL; the targets are defined for PostgreSQL", flush=True)
    association = Association.objects.order_by("pk").first()
    if association is None:
        parser.error("the database is empty; run bench/seed_national.py first")
    token = bench_user(association)
    table = Table()
    processes = Processes(args.port)
    processes.start(dict(os.environ))
    try:
        api = Api(args.port, token)
        interventions = list(Intervention.objects.filter(association=association).values_list("pk", flat=True))
        last = PeriodReport.objects.order_by("-period_start").values_list("period_start", flat=True).first()
        next_year = last.year + 1
        print(f"PUT throughput: {args.puts} PUTs from {args.clients} clients", flush=True)
        rate, latencies = measure_puts(api, interventions, f"{next_year}Q1", clients=args.clients, total=args.puts)
        table.add(f"report PUT latency, {args.clients} concurrent clients", latencies)
        table.add(f"report PUTs per second, {args.clients} clients", text=f"{rate:.0f} /s", target="≥ 100 /s")
        table.add("peak memory, web (gunicorn, all workers)", text=f"{processes.peak_memory_mb('web'):.0f} MiB")
        table.add("peak memory, Celery worker", text=f"{processes.peak_memory_mb('worker'):.0f} MiB")
    finally:
        processes.stop()
    print()
    table.print()


if __name__ == "__main__":
    main()
