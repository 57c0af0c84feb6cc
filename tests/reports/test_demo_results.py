import pytest
from django.core.management import call_command

from reports.models import Goal, GoalKind, GoalResult, ResultStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_goals_of_every_kind_with_computed_lights_and_a_second_load_adds_nothing():
    call_command("load_demo", stdout=None)
    call_command("load_demo_results")
    goals = Goal.objects.count()
    assert sorted(set(Goal.objects.values_list("kind", flat=True))) == sorted(GoalKind.values)
    assert not GoalResult.objects.filter(stale=True).exists()
    for kind in GoalKind.values:
        statuses = set(GoalResult.objects.filter(goal__kind=kind).values_list("status", flat=True))
        assert statuses - {ResultStatus.NO_DATA}, kind
    call_command("load_demo_results")
    assert Goal.objects.count() == goals
