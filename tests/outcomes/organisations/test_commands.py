from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from outcomes.models import (
    Activity,
    Association,
    ExitReason,
    Intervention,
    MeasureCount,
    Membership,
    PeriodReport,
    ReportStatus,
)
from outcomes.tallies.services import report_check

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_create_association_prints_the_new_id_and_loads_the_catalogs():
    lines = run("create_association", "--name", "Samordningsförbundet Sydnärke", "--org-number", "222000-2279")
    association = Association.objects.get(pk=int(lines[-1]))
    assert association.name == "Samordningsförbundet Sydnärke"
    assert ExitReason.objects.filter(association=association).count() == 15


def test_create_association_refuses_a_bad_org_number_naming_the_field():
    with pytest.raises(CommandError, match="org_number"):
        run("create_association", "--name", "X", "--org-number", "123")


def test_create_user_with_an_api_token_prints_a_token_that_authenticates(association):
    lines = run("create_user", "api@example.se", "--association", str(association.pk), "--role", "staff", "--api-token")
    token = lines[-1]
    assert Membership.objects.get(user__email="api@example.se").role == "staff"
    from outcomes.api.authentication import HashedTokenAuthentication

    user, stored = HashedTokenAuthentication().authenticate_credentials(token)
    assert user.email == "api@example.se"
    assert stored.key_hash != token and token not in stored.key_hash
    assert stored.__class__.objects.get(pk=stored.pk).last_used_at is not None


def test_create_user_refuses_a_coordinator_without_an_intervention(association):
    with pytest.raises(CommandError, match="intervention"):
        run("create_user", "c@example.se", "--association", str(association.pk), "--role", "coordinator")


def test_load_catalog_is_idempotent(association):
    first = run("load_catalog", "--association", str(association.pk))
    assert "exit_reasons 0" in first[0]
    assert ExitReason.objects.filter(association=association).count() == 15


def test_load_demo_passes_every_rule_and_adds_nothing_the_second_time():
    lines = run("load_demo")
    assert any("forbundschef@demo.finsam.se" in line for line in lines)
    count = PeriodReport.objects.count()
    assert count == 31
    for report in PeriodReport.objects.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED]):
        assert report_check(intervention=report.intervention, period_code=report.period, figures=report.figures()) == []
    activities = Activity.objects.count()
    measures = MeasureCount.objects.count()
    run("load_demo")
    assert PeriodReport.objects.count() == count
    assert (Activity.objects.count(), MeasureCount.objects.count()) == (activities, measures)
    assert Client().login(username="samordnare@demo.finsam.se", password="demo-pinnstatistik")


def test_load_demo_has_a_structural_intervention_with_a_year_of_activities_and_measures_on_an_individual_one():
    """Build item 7 of issue 15: ``make run`` shows the activity log and the counted measures."""
    run("load_demo")
    structural = Intervention.objects.get(kind="structural")
    log = Activity.objects.filter(intervention=structural)
    year = min(log.values_list("date__year", flat=True))
    quarters = {(day.month - 1) // 3 + 1 for day in log.filter(date__year=year).values_list("date", flat=True)}
    assert quarters == {1, 2, 3, 4}
    assert log.filter(spent_sek__isnull=False).exists()  # the fair's own cost per attendee
    reports = PeriodReport.objects.filter(intervention=structural)
    assert reports.exists() and all(report.new.total == report.ongoing_at_start.total == 0 for report in reports)
    counted = MeasureCount.objects.filter(report__intervention__kind="individual")
    assert {count.measure.code for count in counted.select_related("measure")} >= {"advisory_calls", "work_training"}
