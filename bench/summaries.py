"""Time the association summary and its exports on a seeded database; print a table of figures.

Seed first (see bench/seed_national.py), then for example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/finsam_bench .venv/bin/python bench/summaries.py

For the association with the most interventions it measures the summary selector (SQL queries
and milliseconds), each export format, internal and for publication, and one intervention's PDF
with its charts, and the Word annual report (with and without its charts). The figures say which
exports answer at once and which the web runs as a job.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from outcomes.models import Association  # noqa: E402
from outcomes.periods import Period  # noqa: E402
from reports.exports.annual import annual_report_charts_draw, annual_report_document  # noqa: E402
from reports.exports.docx import to_docx  # noqa: E402
from reports.exports.services import annual_report_docx, export_document  # noqa: E402
from reports.summaries.selectors import association_summary  # noqa: E402


def timed(func, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default=None, help="period code; default the last seeded year")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only-annual", action="store_true", help="time only the Word annual report")
    parser.add_argument(
        "--interventions", type=int, default=None, help="the association closest to this many interventions"
    )
    args = parser.parse_args(argv)

    associations = Association.objects.annotate(n=Count("interventions"))
    if args.interventions is None:
        association = associations.order_by("-n").first()
    else:
        association = min(associations, key=lambda a: (abs(a.n - args.interventions), a.pk), default=None)
    if association is None:
        sys.exit("No association: seed the database first (bench/seed_national.py).")
    last = association.interventions.order_by("-reports__period_start").values_list("reports__period_start", flat=True)
    period = Period.parse(args.period or str(last.first().year))
    interventions = association.interventions.count()
    print(f"{association.name}: {interventions} interventions, period {period.code}, median of {args.repeats}")

    if args.only_annual:
        annual_report_times(association, period, interventions, args.repeats)
        return
    with CaptureQueriesContext(connection) as queries:
        summary = association_summary(association=association, period=period)
    ms, _ = timed(lambda: association_summary(association=association, period=period), args.repeats)
    print(f"{'summary selector':<40} {ms:9.1f} ms  {len(queries.captured_queries)} SQL queries")

    for fmt in ("xlsx", "csv", "pdf"):
        for publish in (False, True):
            label = f"summary {fmt}{' publication' if publish else ''}"
            ms, data = timed(
                lambda fmt=fmt, publish=publish: export_document(
                    association=association, period=period, fmt=fmt, publish=publish, include_drafts=False
                ),
                args.repeats,
            )
            print(f"{label:<40} {ms:9.1f} ms  {len(data) / 1024:7.1f} KiB")
    intervention = summary.rows[0].intervention
    ms, data = timed(
        lambda: export_document(
            association=association,
            intervention=intervention,
            period=period,
            fmt="pdf",
            publish=False,
            include_drafts=False,
        ),
        args.repeats,
    )
    print(f"{'intervention pdf with charts':<40} {ms:9.1f} ms  {len(data) / 1024:7.1f} KiB")

    annual_report_times(association, period, interventions, args.repeats)


def annual_report_times(association, period, interventions: int, repeats: int) -> None:
    # The annual report as Word (issue 17): cold (no chart in the cache: every chart drawn), warm
    # (every chart image taken from the cache by the hash of its data, as for a second download of
    # unchanged figures, or after the worker drew them ahead: the steady state), and without the
    # charts; first the worker's task that draws them ahead (reports.tasks.annual_report_charts_warm).
    # Seed with --interventions 20 for the figure (20 interventions; target under 1 s).
    def cold():
        cache.clear()
        return annual_report_docx(association=association, period=period)

    def drawn_ahead():  # the worker's task after a report change, from an empty cache
        cache.clear()
        return annual_report_charts_draw(association=association, period=period)

    label = f"annual-report.docx ({interventions} interventions)"
    (ms, cpu_ms), charts = timed_cpu(drawn_ahead, repeats)
    print(f"{'charts drawn ahead (the worker task)':<40} {ms:9.1f} ms  {charts} charts  (CPU {cpu_ms:.1f} ms)")
    for name, func in (
        (f"{label}, cold", cold),
        (f"{label}, warm", lambda: annual_report_docx(association=association, period=period)),
        (
            "  without the charts",
            lambda: to_docx(annual_report_document(association=association, period=period, with_charts=False)),
        ),
    ):
        (ms, cpu_ms), data = timed_cpu(func, repeats)
        print(f"{name:<40} {ms:9.1f} ms  {len(data) / 1024:7.1f} KiB  (CPU {cpu_ms:.1f} ms)")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def timed_cpu(func, repeats: int) -> tuple[tuple[float, float], object]:
    """Median wall and CPU milliseconds: on the shared machine the CPU time is the steadier."""
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return (statistics.median(walls), statistics.median(cpus)), result


if __name__ == "__main__":
    main()
