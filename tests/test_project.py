import ast
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_the_login_page_answers_in_swedish(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Logga in" in response.content.decode()
    assert 'lang="sv"' in response.content.decode()


def test_the_start_page_requires_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_a_signed_in_coordinator_sees_only_granted_interventions(
    client, coordinator, intervention, teammate_intervention
):
    assert client.login(username=coordinator.email, password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert intervention.name in page
    assert teammate_intervention.name not in page


@pytest.mark.django_db
def test_the_database_is_the_one_configured():
    """With DATABASE_URL set (CI's second run) the suite really runs on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"
    assert connection.vendor == expected


def test_tasks_run_eagerly_without_a_broker_and_go_to_the_broker_with_one():
    from finsam.celery import app

    if os.environ.get("CELERY_BROKER_URL"):
        assert app.conf.broker_url == os.environ["CELERY_BROKER_URL"]
    else:
        assert settings.CELERY_TASK_ALWAYS_EAGER


def test_a_worker_loads_its_tasks_without_the_libraries_only_charts_and_files_need():
    """Celery's start-up (the Django fix-up, then the task modules) in a fresh interpreter, as
    ``celery -A finsam worker`` does it: every beat task is registered, but matplotlib,
    python-docx and openpyxl wait until a task draws a chart or writes a file (the system checks'
    URL check imported every view into each worker process, about 50 MiB each)."""
    script = (
        "import sys, json\n"
        "from finsam.celery import app\n"
        "app.loader.import_default_modules()\n"
        "heavy = [m for m in ('matplotlib', 'docx', 'openpyxl') if m in sys.modules]\n"
        "missing = [e['task'] for e in app.conf.beat_schedule.values() if e['task'] not in app.tasks]\n"
        "print(json.dumps({'heavy': heavy, 'missing': missing}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CELERY_SKIP_CHECKS"}
    env["DJANGO_SETTINGS_MODULE"] = "finsam.settings.test"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"heavy": [], "missing": []}


def test_a_web_process_loads_every_view_without_matplotlib_until_it_draws_a_chart():
    """The URL conf in a fresh interpreter, as a gunicorn worker loads it: matplotlib (about
    40 MiB) comes only with the first chart, so a process serving only the API never loads it."""
    script = (
        "import sys, django\n"
        "django.setup()\n"
        "import finsam.urls\n"
        "before = 'matplotlib' in sys.modules\n"
        "from reports.summaries.charts import bar_chart, render\n"
        "svg = render(bar_chart(title='T', categories=['a'], values={'women': [1], 'men': [2]}), 'svg')\n"
        "print(before, 'matplotlib' in sys.modules, svg.startswith(b'<?xml'))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "finsam.settings.test"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


def _production(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "finsam.settings.production", "DATABASE_URL": "sqlite:///:memory:"})
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _production({"DJANGO_ALLOWED_HOSTS": "example.org"}, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = _production({"DJANGO_SECRET_KEY": "x" * 64}, "check")
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = _production(
        {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_ALLOWED_HOSTS": "example.org"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_swedish_translations_are_compiled_into_the_repository():
    assert (ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.mo").is_file()


def _imported_modules(path: Path):
    """(line, module) of every import in a Python file, relative imports left out."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def test_outcomes_never_imports_reports():
    """Data capture does not depend on the derived results: ``reports`` listens to
    ``outcomes.signals`` instead (README, *Layout and design decisions*)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / "outcomes").rglob("*.py"))
        for line, module in _imported_modules(path)
        if module == "reports" or module.startswith("reports.")
    ]
    assert offenders == []
