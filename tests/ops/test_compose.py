"""``compose.yaml`` read as an operator would (issue 20), and its commands run on this machine.

Docker does not run in CI, so the stack is checked in two ways: the file itself (durable broker,
one migrate step the others wait for, health checks), and, in CI's PostgreSQL pass, the very
commands it gives each service, run here against a scratch database with production settings:
migrate + load_catalog, gunicorn with the web health check, the Celery worker with its
``inspect ping`` health check, and beat.
"""

import os
import shlex
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import yaml
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["web", "worker", "beat"]


def test_the_broker_keeps_its_queue_on_a_volume_across_restarts():
    redis = SERVICES["redis"]
    command = shlex.split(redis["command"])
    assert command[command.index("--appendonly") + 1] == "yes"
    assert '--save ""' not in redis["command"]
    data_dir = command[command.index("--dir") + 1]
    volume, _, _mount = next(v for v in redis["volumes"] if v.endswith(f":{data_dir}")).partition(":")
    assert volume in COMPOSE["volumes"]


def test_migrations_run_once_in_their_own_service_that_web_worker_and_beat_wait_for():
    migrate = SERVICES["migrate"]
    assert "manage.py migrate --noinput" in migrate["command"] and "manage.py load_catalog" in migrate["command"]
    assert migrate["restart"] == "no"
    for name in APP_SERVICES:
        assert "migrate" not in SERVICES[name]["command"], name
        assert SERVICES[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
        assert SERVICES[name]["depends_on"]["db"] == {"condition": "service_healthy"}, name
    assert "migrate" not in SERVICES["migrate"]["depends_on"]


def test_web_and_worker_have_health_checks_on_healthz_and_celery_ping():
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    worker_check = SERVICES["worker"]["healthcheck"]["test"]
    assert worker_check[0] == "CMD-SHELL"
    # "$$" is compose's escape: the container's shell, not compose, reads HOSTNAME.
    assert "celery -A finsam inspect ping -d celery@$$HOSTNAME" in worker_check[1]


# --- the same commands, run on this machine (CI's PostgreSQL pass) -------------------------------


def database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shell(command: str) -> str:
    """What the container's shell makes of a compose string: "$$" is a literal "$"."""
    return command.replace("$$", "$")


@pytest.fixture
def scratch_env():
    """Production settings on a scratch database created (and dropped) here, like the image."""
    name = f"finsam_compose_{uuid.uuid4().hex[:8]}"
    admin = database_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "finsam.settings.production",
        "DJANGO_SECRET_KEY": "compose-test-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "finsam.example.se",
        "DATABASE_URL": database_url(name),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_BROKER_URL,
        # In a container HOSTNAME is the host name, which names the worker node (celery@<host>).
        "HOSTNAME": socket.gethostname(),
        "LOGIN_THROTTLE_PROXY_COUNT": "1",
        "LOG_FORMAT": "json",  # compose's default
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def until(check, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_services_commands_run_here_migrate_then_web_worker_and_beat_answer_their_health_checks(
    scratch_env, tmp_path, capsys
):
    env = scratch_env
    migrate = subprocess.run(
        shlex.split(SERVICES["migrate"]["command"]), cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    again = subprocess.run(shlex.split(SERVICES["migrate"]["command"]), cwd=ROOT, env=env, capture_output=True)
    assert again.returncode == 0  # idempotent: a restarted stack runs it again

    port = free_port()
    web_command = SERVICES["web"]["command"].replace("0.0.0.0:8000", f"127.0.0.1:{port}")
    web_check = [part.replace(":8000/", f":{port}/") for part in SERVICES["web"]["healthcheck"]["test"][1:]]
    worker_check = ["sh", "-c", shell(SERVICES["worker"]["healthcheck"]["test"][1])]
    processes = {
        "web": start(shlex.split(web_command), env, tmp_path / "web.log"),
        "worker": start(shlex.split(SERVICES["worker"]["command"]), env, tmp_path / "worker.log"),
        "beat": start(
            shlex.split(SERVICES["beat"]["command"].replace("/tmp/celerybeat-schedule", str(tmp_path / "beat"))),
            env,
            tmp_path / "beat.log",
        ),
    }
    try:

        def passes(check):
            return lambda: subprocess.run(check, cwd=ROOT, env=env, capture_output=True).returncode == 0

        assert until(passes(web_check), seconds=60), (tmp_path / "web.log").read_text()
        assert until(passes(worker_check), seconds=90), (tmp_path / "worker.log").read_text()
        assert until(lambda: "beat: Starting" in (tmp_path / "beat.log").read_text(), seconds=30)
        assert all(p.poll() is None for p in processes.values())
        # The worker's own log records are JSON lines (LOG_FORMAT=json); its start banner is not.
        assert any(line.startswith('{"time"') for line in (tmp_path / "worker.log").read_text().splitlines())
    finally:
        for process in processes.values():
            stop(process)
    with capsys.disabled():
        print(f"\ncompose commands run here: migrate x2, {web_command!r} + {web_check[-1][:60]!r}…,")
        print(f"  {SERVICES['worker']['command']!r} + {worker_check[-1]!r}, {SERVICES['beat']['command']!r}")
