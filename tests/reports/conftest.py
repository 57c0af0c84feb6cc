"""Real Celery worker processes for the integration tests, on the real broker and the same
PostgreSQL test database as the test process. Moved here from ``test_worker_integration.py`` so
that the goal tests can start workers too.
"""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from finsam.celery import app

ROOT = Path(__file__).resolve().parent.parent.parent


def worker_database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@contextmanager
def broker(url: str):
    """Make this process publish to ``url`` for the duration (for a private Redis).

    Publishing uses ``broker_write_url``, which Celery reads from the environment's
    CELERY_BROKER_URL before the configuration, so that is the setting to change. Celery caches its
    connection and producer pools on first use; dropping them (as Celery itself does after a fork)
    makes the next publish connect to the new URL.
    """
    previous = app.conf.get("broker_write_url")

    def switch(to):
        app.conf.broker_write_url = to
        app._pool = None
        app.amqp._producer_pool = None

    switch(url)
    try:
        yield url
    finally:
        switch(previous)


@pytest.fixture
def start_worker():
    """A factory: ``start_worker(queue=..., broker_url=...)`` starts a worker process and answers
    its queue. Tasks are no longer eager in this process until the test ends; every worker is
    stopped afterwards.
    """
    processes = []
    previous = app.conf.task_always_eager

    def start(*, queue: str | None = None, broker_url: str | None = None) -> str:
        queue = queue or f"finsam-test-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "DATABASE_URL": worker_database_url(), "DJANGO_SETTINGS_MODULE": "finsam.settings.test"}
        env["CELERY_TASK_ALWAYS_EAGER"] = "false"
        if broker_url:
            env["CELERY_BROKER_URL"] = broker_url
            env["CELERY_RESULT_BACKEND"] = broker_url
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "finsam",
                    "worker",
                    "--pool=solo",
                    "-Q",
                    queue,
                    "--loglevel=WARNING",
                    "--without-mingle",
                    "--without-gossip",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        app.conf.task_always_eager = False
        return queue

    try:
        yield start
    finally:
        app.conf.task_always_eager = previous
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def worker(start_worker):
    """Start a worker on a queue of its own, pointed at this run's test database."""
    return start_worker()
