"""Backup and restore (issue 20): ``ops/backup.sh`` then ``ops/restore.sh`` into a fresh database
gives back every report, history row, goal result and export job, byte for byte.

Runs in CI's PostgreSQL pass (marked ``integration``). The data is committed (a transactional
test), dumped with the script an operator runs, restored into a database this test creates and
drops, and compared table by table: row counts and an MD5 of every row in primary-key order. The
counts are printed, so the CI log shows what was compared (``pytest -s``, or the captured output
of a failure).
"""

import os
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.db import connection, transaction

from outcomes.periods import Period
from outcomes.tallies.services import report_approve, report_reopen
from reports.exports.services import export_job_create
from reports.goals.services import GoalInput, goal_create
from reports.models import ExportJob
from tests.factories import MembershipFactory
from tests.reports.summary_data import lekeberg

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
TABLES = {
    "reports": "outcomes_periodreport",
    "history rows": "outcomes_reporthistory",
    "goals": "reports_goal",
    "goal results": "reports_goalresult",
    "export jobs": "reports_exportjob",
}


def database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Per table: the row count and the MD5 of every row, in primary-key order."""
    with psycopg.connect(url) as conn:
        return {
            label: conn.execute(
                f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM {table} t"
            ).fetchone()
            for label, table in TABLES.items()
        }


def seed() -> str:
    """Reports with history, goals with results and a finished export job, through the services."""
    staff = MembershipFactory(role="staff").user
    association = staff.memberships.get().association
    intervention = lekeberg(association)  # eight quarters saved and submitted
    report = intervention.reports.get(period="2024Q2")
    report_approve(report=report, user=staff)
    report_reopen(report=report, user=staff, reason="Fel antal avslut")
    goal_create(
        intervention=intervention,
        data=GoalInput(year=2024, label="Nya deltagare", kind="count", measure="new", target=Decimal(8)),
        user=staff,
    )
    with transaction.atomic():  # queued after the commit; tasks run in-process in the test process
        job = export_job_create(
            user=staff,
            association=association,
            intervention=intervention,
            period=Period.parse("2024"),
            fmt="pdf",
            publish=False,
            include_drafts=False,
        )
    job.refresh_from_db()
    assert job.status == "done" and bytes(job.content).startswith(b"%PDF")
    return str(job.pk)


def test_a_backup_restored_into_a_fresh_database_holds_every_report_history_row_result_and_export(tmp_path, capsys):
    job_id = seed()
    source = database_url(connection.settings_dict["NAME"])
    restored_name = f"finsam_restore_{uuid.uuid4().hex[:8]}"
    restored = database_url(restored_name)
    admin = database_url("postgres")
    archive = tmp_path / "finsam.dump"
    before = snapshot(source)
    assert all(count > 0 for count, _digest in before.values()), before

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        env = {**os.environ, "DATABASE_URL": source}
        backup = subprocess.run([ROOT / "ops" / "backup.sh", archive], env=env, capture_output=True, text=True)
        assert backup.returncode == 0, backup.stderr
        assert backup.stdout.strip() == str(archive) and archive.stat().st_size > 0
        env["DATABASE_URL"] = restored
        restore = subprocess.run([ROOT / "ops" / "restore.sh", archive], env=env, capture_output=True, text=True)
        assert restore.returncode == 0, restore.stderr
        after = snapshot(restored)
        with psycopg.connect(restored) as conn:
            content = conn.execute("SELECT content FROM reports_exportjob WHERE id = %s", [job_id]).fetchone()[0]
            migrations = conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        # Restoring into a database that is not empty is refused and changes nothing there.
        again = subprocess.run([ROOT / "ops" / "restore.sh", archive], env=env, capture_output=True, text=True)
        assert again.returncode != 0 and snapshot(restored) == after
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')

    with capsys.disabled():
        print(f"\nbackup/restore: {archive.stat().st_size} bytes, {migrations} migrations restored")
        for label, (count, digest) in before.items():
            print(f"  {label:<13} dumped {count:>4}  restored {after[label][0]:>4}  rows md5 {digest[:12]}")
    assert after == before
    assert bytes(content) == bytes(ExportJob.objects.get(pk=job_id).content)
