"""Staff add, rename and retire the association's counted measures in the browser (issue 15):
split and aggregation as radio buttons, the intervention kinds as checkboxes; a measure a report
counts keeps its split and aggregation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outcomes.catalog.registry import MEASURES
from outcomes.catalog.services import catalog_entry_create
from outcomes.models import ChangeLogEntry, Measure, MeasureCount
from outcomes.tallies.services import report_save
from tests.conftest import report_input
from tests.outcomes.tallies.webforms import signed_in

pytestmark = pytest.mark.django_db


def _list_url(association):
    return reverse("catalog-matt", args=[association.pk])


def _entry_url(measure):
    return reverse("catalog-matt-entry", args=[measure.association_id, measure.pk])


def _edit(measure, **changes):
    """The edit form's fields as the page sends them, with ``changes``."""
    data = {
        "action": "save",
        "label_sv": measure.label_sv,
        "split": measure.split,
        "aggregation": measure.aggregation,
        "kinds": measure.kinds,
        "position": str(measure.position),
        "active": "on",
    }
    return {**data, **changes}


def test_the_catalog_index_links_the_measures_and_their_page_lists_each_with_its_rule(association, staff):
    client = signed_in(staff)
    index = client.get(reverse("catalog-index", args=[association.pk])).content.decode()
    assert f'href="{_list_url(association)}"' in index and "Övriga mått" in index
    page = client.get(_list_url(association)).content.decode()
    assert 'data-code="work_training" data-active="true"' in page
    assert "per kön, senaste värdet (stock); individinriktad" in page
    assert "totalt, summeras (flöde); individinriktad" in page
    # The form to add one: radio buttons and checkboxes with Swedish labels, no raw JSON.
    assert 'type="radio" name="split" value="gender"' in page and "per kön" in page
    assert 'type="radio" name="aggregation" value="last"' in page
    assert 'type="checkbox" name="kinds" value="structural"' in page and "strukturövergripande" in page


def test_staff_add_a_total_flow_measure_offered_for_structural_interventions(association, staff):
    response = signed_in(staff).post(
        _list_url(association),
        {
            "code": "network_meetings",
            "label_sv": "Nätverksträffar med arbetsgivare",
            "split": "total",
            "aggregation": "sum",
            "kinds": ["structural"],
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get(association=association, code="network_meetings")
    assert (measure.label_sv, measure.split, measure.aggregation, measure.kinds, measure.active) == (
        "Nätverksträffar med arbetsgivare",
        "total",
        "sum",
        ["structural"],
        True,
    )
    assert measure.offered_for("structural") and not measure.offered_for("individual")
    created = ChangeLogEntry.objects.get(association=association, kind="catalog", field="skapad")
    assert created.subject == "Mått network_meetings"
    assert "insatstyper: strukturövergripande" in created.new and "structural" not in created.new  # by label


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kinds": []}, "kinds", "Välj en eller flera av insatstyperna."),
        ({"kinds": ["everyone"]}, "kinds", "Välj ett giltigt alternativ"),
        ({"split": "per_person"}, "split", "Välj ett giltigt alternativ"),
        ({"aggregation": ""}, "aggregation", "obligatoriskt"),
        ({"label_sv": "Samtal med 19850101-1234"}, "label_sv", "personnummer"),
        ({"label_sv": ""}, "label_sv", "obligatoriskt"),
        ({"code": "advisory_calls"}, "code", "Koden finns redan i katalogen."),
        ({"code": "Två ord"}, "code", "Fyll i en giltig"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_stored(association, staff, changes, field, message):
    before = list(Measure.objects.filter(association=association).values_list("code", "label_sv", "split"))
    data = {"code": "new_measure", "label_sv": "Nytt mått", "split": "gender", "aggregation": "sum"}
    data["kinds"] = ["individual"]
    response = signed_in(staff).post(_list_url(association), {**data, **changes})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert list(Measure.objects.filter(association=association).values_list("code", "label_sv", "split")) == before
    assert not ChangeLogEntry.objects.filter(association=association).exists()


def test_a_measure_is_renamed_given_another_kind_and_its_rule_changed_while_no_report_counts_it(association, staff):
    measure = Measure.objects.get(association=association, code="referrals")
    response = signed_in(staff).post(
        _entry_url(measure),
        _edit(measure, label_sv="Anmälningar", split="total", aggregation="last", kinds=["individual", "structural"]),
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.code, measure.label_sv, measure.split, measure.aggregation, measure.kinds) == (
        "referrals",
        "Anmälningar",
        "total",
        "last",
        ["individual", "structural"],
    )
    changed = set(
        ChangeLogEntry.objects.filter(association=association, kind="catalog").values_list("field", flat=True)
    )
    assert {"benämning", "uppdelning", "över längre perioder", "insatstyper"} <= changed


def test_a_measure_used_in_a_report_keeps_its_split_and_aggregation_but_is_renamed_and_retired(
    association, intervention, staff
):
    data = report_input()
    data.measures = {"work_training": {"women": 2, "men": 1, "other": 0}}
    report_save(intervention=intervention, period_code="2024Q1", data=data)
    measure = Measure.objects.get(association=association, code="work_training")
    assert MeasureCount.objects.filter(measure=measure).exists()
    client = signed_in(staff)
    assert "Måttet finns redan i rapporter och kan inte ändras här." in client.get(_entry_url(measure)).content.decode()
    unused = Measure.objects.get(association=association, code="referrals")
    assert "kan inte ändras här" not in client.get(_entry_url(unused)).content.decode()

    refused = client.post(_entry_url(measure), _edit(measure, label_sv="Nytt namn", split="total", aggregation="sum"))
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert errors["split"] == [
        "Uppdelning kan inte ändras när måttet redan finns i rapporter. "
        "Lägg till ett nytt mått i stället och ta det här ur bruk."
    ]
    assert errors["aggregation"][0].startswith("Över längre perioder kan inte ändras")
    assert 'value="Nytt namn"' in refused.content.decode()  # what was typed stays
    measure.refresh_from_db()
    assert (measure.label_sv, measure.split, measure.aggregation) == ("Deltagare i arbetsträning", "gender", "last")

    renamed = client.post(_entry_url(measure), _edit(measure, label_sv="Arbetsträning", kinds=["individual"]))
    assert renamed.status_code == 302
    assert client.post(_entry_url(measure), {"action": "retire"}).status_code == 302
    measure.refresh_from_db()
    assert (measure.label_sv, measure.split, measure.active) == ("Arbetsträning", "gender", False)
    listing = client.get(_list_url(association)).content.decode()
    assert 'data-code="work_training" data-active="false"' in listing
    assert client.post(_entry_url(measure), {"action": "restore"}).status_code == 302
    measure.refresh_from_db()
    assert measure.active


def test_a_coordinator_and_other_associations_staff_are_refused_and_a_viewer_only_reads(
    association, coordinator, outsider
):
    from tests.factories import MembershipFactory

    measure = Measure.objects.get(association=association, code="referrals")
    new = {"code": "x_measure", "label_sv": "X", "split": "total", "aggregation": "sum", "kinds": ["individual"]}
    for user in (coordinator, outsider):
        client = signed_in(user)
        assert client.get(_list_url(association)).status_code == 404
        assert client.post(_list_url(association), new).status_code == 404
        assert client.post(_entry_url(measure), _edit(measure, label_sv="Y")).status_code == 404
    viewer = MembershipFactory(association=association, role="viewer").user
    client = signed_in(viewer)
    assert client.get(_list_url(association)).status_code == 200
    assert client.post(_list_url(association), new).status_code == 403
    assert client.post(_entry_url(measure), {"action": "retire"}).status_code == 403
    measure.refresh_from_db()
    assert (measure.label_sv, measure.active) == ("Inkomna anmälningar", True)
    assert not Measure.objects.filter(code="x_measure").exists()


def test_the_service_refuses_unknown_intervention_kinds_whoever_calls_it(association):
    with pytest.raises(ValidationError) as refused:
        catalog_entry_create(
            kind=MEASURES,
            association=association,
            code="calls",
            label="Samtal",
            split="total",
            aggregation="sum",
            kinds=["everyone"],
        )
    assert refused.value.message_dict == {"kinds": ["Välj en eller flera av insatstyperna."]}
    assert not Measure.objects.filter(association=association, code="calls").exists()


def test_a_measure_a_report_once_counted_stays_locked_after_the_report_left_it_blank(association, intervention, staff):
    data = report_input()
    data.measures = {"advisory_calls": {"total": 22}}
    saved = report_save(intervention=intervention, period_code="2024Q1", data=data)
    report_save(
        intervention=intervention, period_code="2024Q1", data=report_input(), expected_version=saved.report.version
    )
    measure = Measure.objects.get(association=association, code="advisory_calls")
    assert not MeasureCount.objects.filter(measure=measure).exists()
    refused = signed_in(staff).post(_entry_url(measure), _edit(measure, split="gender"))
    assert refused.status_code == 400 and "split" in refused.context["form"].errors
    other = Measure.objects.get(association=association, code="coordinated_plans")
    assert signed_in(staff).post(_entry_url(other), _edit(other, split="gender")).status_code == 302
