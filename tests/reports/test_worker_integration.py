"""A real Celery worker process, on the real broker and the same PostgreSQL test database.

Runs only when CELERY_BROKER_URL and a PostgreSQL DATABASE_URL are set (CI's second run); the
plain run deselects it, because an in-memory SQLite database cannot be shared with a worker.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from finsam.celery import app
from reports.tasks import period_figures_compute
from tests.outcomes.test_selectors import enter_year

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    """Start a worker on a queue of its own, pointed at this run's test database."""
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"finsam-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "finsam.settings.test"}
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "finsam", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_worker_process_computes_the_year_from_the_shared_database(intervention, worker):
    enter_year(intervention)
    started = time.monotonic()
    result = period_figures_compute.apply_async((intervention.pk, "2024"), queue=worker)
    figures = result.get(timeout=60)
    assert not result.failed()
    assert figures["participants"] == {"women": 26, "men": 18, "other": 2, "total": 46}
    assert figures["ongoing_at_end"]["total"] == 24
    assert time.monotonic() - started < 60
