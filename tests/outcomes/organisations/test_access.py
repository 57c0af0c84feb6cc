import pytest
from django.http import Http404

from outcomes.organisations.access import (
    association_for,
    can_read_summaries,
    can_write_reports,
    intervention_for,
    is_staff_of,
)

pytestmark = pytest.mark.django_db


def test_an_outsider_gets_404_for_our_intervention_and_association(intervention, outsider):
    with pytest.raises(Http404):
        intervention_for(outsider, intervention.pk)
    with pytest.raises(Http404):
        association_for(outsider, intervention.association_id)
    with pytest.raises(Http404):
        intervention_for(outsider, "not-a-number")


def test_a_coordinator_writes_only_the_granted_intervention_and_reads_no_summaries(
    coordinator, intervention, teammate_intervention
):
    assert intervention_for(coordinator, intervention.pk) == intervention
    assert can_write_reports(coordinator, intervention)
    assert not can_write_reports(coordinator, teammate_intervention)
    with pytest.raises(Http404):
        intervention_for(coordinator, teammate_intervention.pk)
    assert not can_read_summaries(coordinator, intervention.association_id)


def test_staff_write_every_intervention_of_their_association(staff, intervention, teammate_intervention):
    assert can_write_reports(staff, teammate_intervention)
    assert is_staff_of(staff, intervention.association_id)
    assert can_read_summaries(staff, intervention.association_id)
