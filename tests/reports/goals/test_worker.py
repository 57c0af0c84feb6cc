"""Goal results kept current by a real Celery worker on Redis, and what happens when Redis is down.

Runs only with CELERY_BROKER_URL and a PostgreSQL DATABASE_URL (CI's second run). The outage
test starts a private redis-server on port 6390 and stops only that one.
"""

import shutil
import subprocess
import time

import pytest

from finsam.celery import app
from outcomes.models import PeriodReport
from reports.models import GoalResult
from reports.tasks import goal_results_recompute_all
from tests.outcomes.tallies.test_api import client_for
from tests.reports.conftest import broker
from tests.reports.goal_data import LEKEBERG_2024, LEKEBERG_STEPS, report_body

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PRIVATE_REDIS_PORT = 6390
STEP_GOAL = {"year": 2024, "label": "Stegförflyttning", "kind": "step_progression", "target": 50}


def wait_for(check, *, seconds: float):
    """Poll ``check`` until it answers something truthy; answers it, or the last value on timeout."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def year_result(goal_id: int) -> GoalResult:
    return GoalResult.objects.get(goal_id=goal_id, period="2024")


def submit(api, intervention, period):
    start, new, exits = LEKEBERG_2024[period]
    url = f"/api/v1/interventions/{intervention.pk}/reports/{period}/"
    saved = api.put(url, report_body(start, new, exits), format="json")
    assert saved.status_code in (200, 201), saved.content
    return api.post(url + "submit/")


def set_up_goal(staff, intervention) -> int:
    api = client_for(staff)
    steps = {"reasons": LEKEBERG_STEPS, "excluded_reasons": []}
    assert api.put(f"/api/v1/interventions/{intervention.pk}/step-definition/", steps, format="json").status_code == 200
    created = api.post(f"/api/v1/interventions/{intervention.pk}/goals/", STEP_GOAL, format="json")
    assert created.status_code == 201
    return created.json()["id"]


def computed(goal_id, numerator, denominator):
    def check():
        result = year_result(goal_id)
        return not result.stale and (result.numerator, result.denominator) == (numerator, denominator)

    return check


def test_a_submit_over_the_api_updates_the_result_within_five_seconds(staff, coordinator, intervention, start_worker):
    app.control.purge()  # nothing left over from an earlier run on this Redis database
    start_worker(queue=app.conf.task_default_queue)
    goal_id = set_up_goal(staff, intervention)
    assert wait_for(computed(goal_id, 0, 0), seconds=60), "the worker never computed the new goal"

    api = client_for(coordinator)
    started = time.monotonic()
    assert submit(api, intervention, "2024Q1").status_code == 200
    remaining = 5 - (time.monotonic() - started)
    assert wait_for(computed(goal_id, 1, 3), seconds=remaining), year_result(goal_id).__dict__
    result = year_result(goal_id)
    assert (result.percent, result.status) == (33, "red")


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test alone on port 6390: ``start()``, ``stop()``; stopped at the end."""
    server = shutil.which("redis-server")
    assert server, "redis-server is needed for the outage test"
    url = f"redis://127.0.0.1:{PRIVATE_REDIS_PORT}/0"

    def ping() -> bool:
        done = subprocess.run(
            ["redis-cli", "-p", str(PRIVATE_REDIS_PORT), "ping"], capture_output=True, text=True, check=False
        )
        return done.stdout.strip() == "PONG"

    def start():
        assert not ping(), "port 6390 is taken by another redis-server"
        subprocess.run(
            [
                server,
                "--port",
                str(PRIVATE_REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(tmp_path),
                "--pidfile",
                str(tmp_path / "redis.pid"),
            ],
            check=True,
        )
        assert wait_for(ping, seconds=10)

    def stop():
        subprocess.run(["redis-cli", "-p", str(PRIVATE_REDIS_PORT), "shutdown", "nosave"], capture_output=True)
        assert wait_for(lambda: not ping(), seconds=10)

    start()
    try:
        yield type("PrivateRedis", (), {"url": url, "start": staticmethod(start), "stop": staticmethod(stop)})
    finally:
        if ping():
            stop()


def test_with_redis_down_a_submit_is_saved_the_result_stays_stale_and_the_nightly_job_repairs_it(
    staff, coordinator, intervention, start_worker, private_redis
):
    with broker(private_redis.url):
        start_worker(queue=app.conf.task_default_queue, broker_url=private_redis.url)
        goal_id = set_up_goal(staff, intervention)
        api = client_for(coordinator)
        assert submit(api, intervention, "2024Q1").status_code == 200
        assert wait_for(computed(goal_id, 1, 3), seconds=30), year_result(goal_id).__dict__

        private_redis.stop()
        response = submit(api, intervention, "2024Q2")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "submitted"
        assert PeriodReport.objects.get(intervention=intervention, period="2024Q2").status == "submitted"
        stale = year_result(goal_id)
        assert stale.stale is True
        assert (stale.numerator, stale.denominator) == (1, 3)  # the old figures, flagged as stale

        private_redis.start()
        goal_results_recompute_all.delay()
        assert wait_for(computed(goal_id, 2, 5), seconds=60), year_result(goal_id).__dict__
        result = year_result(goal_id)
        assert (result.percent, result.status) == (40, "yellow")
        half = GoalResult.objects.get(goal_id=goal_id, period="2024H1")
        assert (half.numerator, half.denominator, half.stale) == (2, 5, False)
