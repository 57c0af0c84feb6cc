"""After PostgreSQL drops every connection, a real gunicorn with persistent connections answers
the next requests normally: each pooled connection is checked before a request reuses it.

Runs only with PostgreSQL and a broker (as the other integration tests); starts its own gunicorn.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from outcomes.organisations.services import api_token_create
from tests.factories import MembershipFactory
from tests.reports.conftest import ROOT, worker_database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn():
    """A production-like gunicorn (1 worker × 4 threads) with connections kept for 60 s, on the
    test database; answers its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "finsam.settings.test",
        "DATABASE_URL": worker_database_url() + "?conn_max_age=60",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "finsam.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--threads", str(THREADS), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/konto/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            json.loads(response.read())
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def burst(url: str, token: str, n: int) -> list[int]:
    """``n`` requests, ``THREADS`` at a time, so that every gunicorn thread opens its connection."""
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda _i: get(url, token), range(n)))


def test_every_request_after_the_database_dropped_its_connections_answers_200(gunicorn):
    user = MembershipFactory(role="staff").user
    _token, secret = api_token_create(user=user, name="reconnect")
    url = gunicorn + "/api/v1/interventions/"
    assert burst(url, secret, 4 * THREADS) == [200] * (4 * THREADS)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1, "gunicorn kept no connection open"
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    time.sleep(0.5)  # let the terminations land
    assert burst(url, secret, 4 * THREADS) == [200] * (4 * THREADS)
