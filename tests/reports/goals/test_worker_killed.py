"""A worker killed with ``kill -9`` in the middle of a recomputation: its message stays
unacknowledged in Redis for the visibility timeout (an hour), so the results would stay stale
until then. The beat sweep (``goal_results_recompute_stale``, every 30 s) recomputes results left
stale for longer than ``GOAL_RESULTS_STALE_AFTER``, so they converge within a minute of a restart.

Runs only with PostgreSQL and Redis. The worker is caught mid-task deterministically: the test
holds an exclusive lock on the step-definition table, which the recomputation reads and the
submit does not, so the worker's query waits until it is killed.
"""

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest

from finsam.celery import app
from reports.models import GoalResult
from tests.outcomes.tallies.test_api import client_for
from tests.reports.conftest import ROOT, worker_database_url
from tests.reports.goals.test_worker import computed, set_up_goal, submit, wait_for, year_result

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workers(tmp_path):
    """``start(beat=False)`` starts a solo-pool worker on the default queue (with embedded beat
    when asked); answers the process. Every process is stopped at the end."""
    processes = []
    previous = app.conf.task_always_eager

    def start(*, beat: bool = False) -> subprocess.Popen:
        env = {**os.environ, "DATABASE_URL": worker_database_url(), "DJANGO_SETTINGS_MODULE": "finsam.settings.test"}
        env["CELERY_TASK_ALWAYS_EAGER"] = "false"
        command = [sys.executable, "-m", "celery", "-A", "finsam", "worker", "--pool=solo"]
        command += ["-Q", app.conf.task_default_queue, "--loglevel=WARNING", "--without-mingle", "--without-gossip"]
        if beat:
            command += ["--beat", "--schedule", str(tmp_path / f"beat-{len(processes)}")]
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env))
        app.conf.task_always_eager = False
        return processes[-1]

    try:
        yield start
    finally:
        app.conf.task_always_eager = previous
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def lock_waiters(cursor) -> list[int]:
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        " AND pid <> pg_backend_pid()"
    )
    return [row[0] for row in cursor.fetchall()]


def test_results_left_stale_by_a_killed_worker_are_fresh_within_a_minute_of_the_restart(
    staff, coordinator, intervention, workers
):
    app.control.purge()
    first = workers()
    goal_id = set_up_goal(staff, intervention)
    assert wait_for(computed(goal_id, 0, 0), seconds=60), "the worker never computed the new goal"

    with psycopg.connect(worker_database_url(), autocommit=False) as locker, locker.cursor() as cursor:
        cursor.execute("LOCK TABLE reports_stepdefinition IN ACCESS EXCLUSIVE MODE")
        with psycopg.connect(worker_database_url(), autocommit=True) as observer, observer.cursor() as watch:
            assert submit(client_for(coordinator), intervention, "2024Q1").status_code == 200
            waiting = wait_for(lambda: lock_waiters(watch), seconds=30)
            assert waiting, "the worker never started the recomputation"
            first.send_signal(signal.SIGKILL)  # mid-task: its message is never acknowledged
            first.wait(timeout=10)
            # The dead worker's connection goes with it (a blocked backend notices only later).
            watch.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [waiting])
        locker.rollback()

    assert year_result(goal_id).stale is True
    restarted = time.monotonic()
    workers(beat=True)
    fresh = wait_for(computed(goal_id, 1, 3), seconds=60)
    seconds = time.monotonic() - restarted
    print(f"results fresh {seconds:.1f} s after the worker restarted")
    assert fresh, year_result(goal_id).__dict__
    assert not GoalResult.objects.filter(goal_id=goal_id, stale=True).exists()
    assert seconds < 60
