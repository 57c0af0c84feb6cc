"""A real Celery worker process, on the real broker and the same PostgreSQL test database.

Runs only when CELERY_BROKER_URL and a PostgreSQL DATABASE_URL are set (CI's second run); the
plain run deselects it, because an in-memory SQLite database cannot be shared with a worker.
"""

import time

import pytest

from reports.tasks import period_figures_compute
from tests.outcomes.tallies.test_selectors import enter_year

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_worker_process_computes_the_year_from_the_shared_database(intervention, worker):
    enter_year(intervention)
    started = time.monotonic()
    result = period_figures_compute.apply_async((intervention.pk, "2024"), queue=worker)
    figures = result.get(timeout=60)
    assert not result.failed()
    assert figures["participants"] == {"women": 26, "men": 18, "other": 2, "total": 46}
    assert figures["ongoing_at_end"]["total"] == 24
    assert time.monotonic() - started < 60
