"""Staff run their association in the browser: members, interventions, budgets, settings (issue 14)."""

import pytest
from django.urls import reverse

from outcomes.models import ChangeLogEntry, DimensionCategory, Intervention, Member
from outcomes.tallies.services import report_save
from tests.conftest import report_input
from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.webforms import signed_in

pytestmark = pytest.mark.django_db


def _members_url(association):
    return reverse("association-members", args=[association.pk])


def test_a_municipality_added_as_member_becomes_a_category_of_hemkommun(association, staff):
    response = signed_in(staff).post(_members_url(association), {"name": "Lekebergs kommun", "kind": "municipality"})
    assert response.status_code == 302
    member = Member.objects.get(association=association)
    assert member.dimension_category.label_sv == "Lekebergs kommun"
    assert member.dimension_category.dimension.code == "home_municipality"
    assert ChangeLogEntry.objects.filter(association=association, kind="member", subject="Lekebergs kommun").exists()
    # Arbetsförmedlingen is a member, not a home municipality.
    signed_in(staff).post(_members_url(association), {"name": "Arbetsförmedlingen", "kind": "employment_service"})
    labels = set(
        DimensionCategory.objects.filter(
            dimension__association=association, dimension__code="home_municipality"
        ).values_list("label_sv", flat=True)
    )
    assert labels == {"Uppgift saknas", "Lekebergs kommun"}


def test_it_refuses_a_member_twice_and_personal_data_in_the_name_at_the_field(association, staff):
    client = signed_in(staff)
    client.post(_members_url(association), {"name": "Örebro kommun", "kind": "municipality"})
    twice = client.post(_members_url(association), {"name": "örebro kommun", "kind": "municipality"})
    assert twice.status_code == 400
    assert "Förbundet har redan en medlem som heter så." in twice.content.decode()
    personal = client.post(_members_url(association), {"name": "Kontakt 19570730-4787", "kind": "region"})
    assert personal.status_code == 400
    assert 'id="id_name_error"' in personal.content.decode()
    assert 'value="Kontakt 19570730-4787"' in personal.content.decode()  # what was typed stays
    assert Member.objects.filter(association=association).count() == 1


def test_retiring_a_municipality_retires_its_category_but_keeps_it(association, staff):
    client = signed_in(staff)
    client.post(_members_url(association), {"name": "Nora kommun", "kind": "municipality"})
    member = Member.objects.get(association=association)
    url = reverse("association-member", args=[association.pk, member.pk])
    assert client.post(url, {"name": "Nora kommun", "kind": "municipality"}).status_code == 302
    member.refresh_from_db()
    assert not member.active and not member.dimension_category.active


def test_staff_create_an_intervention_with_owner_places_and_a_budget(association, staff):
    MembershipFactory(association=association, role="staff")
    response = signed_in(staff).post(
        reverse("association-intervention-new", args=[association.pk]),
        {
            "name": "Steget vidare",
            "owner": "Lindesbergs kommun, arbetsmarknadsenheten",
            "kind": "individual",
            "frequency": "quarter",
            "start": "2025-01-01",
            "end": "",
            "places": "40",
            "budget_year": "2025",
            "budget_sek": "1200000",
        },
    )
    assert response.status_code == 302
    intervention = Intervention.objects.get(association=association, name="Steget vidare")
    assert intervention.places == 40 and intervention.owner.endswith("arbetsmarknadsenheten")
    assert intervention.budgets.get(year=2025).budget_sek == 1_200_000
    kinds = set(ChangeLogEntry.objects.filter(association=association).values_list("kind", flat=True))
    assert {"intervention", "budget"} <= kinds
    listing = signed_in(staff).get(reverse("association-interventions", args=[association.pk])).content.decode()
    assert "Steget vidare" in listing and "pågår" in listing and "1200000 kr" in listing


def test_it_refuses_an_end_before_the_start_and_text_for_places_at_their_fields(association, staff):
    response = signed_in(staff).post(
        reverse("association-intervention-new", args=[association.pk]),
        {
            "name": "X",
            "owner": "Y",
            "kind": "individual",
            "frequency": "quarter",
            "start": "2025-05-01",
            "end": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert "Slutdatum kan inte ligga före startdatum." in response.content.decode()
    assert 'id="id_end_error"' in response.content.decode()
    places = signed_in(staff).post(
        reverse("association-intervention-new", args=[association.pk]),
        {
            "name": "X",
            "owner": "Y",
            "kind": "individual",
            "frequency": "quarter",
            "start": "2025-01-01",
            "places": "många",
        },
    )
    assert "Ange antal platser som ett heltal." in places.content.decode()
    assert not Intervention.objects.filter(association=association).exists()


def test_changing_the_frequency_of_an_intervention_with_reports_is_refused_with_the_reason(intervention, staff):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    response = signed_in(staff).post(
        reverse("association-intervention", args=[intervention.association_id, intervention.pk]),
        {
            "name": intervention.name,
            "owner": intervention.owner,
            "kind": "individual",
            "frequency": "month",
            "start": "2020-01-01",
        },
    )
    assert response.status_code == 400
    assert "Rapporteringsfrekvensen kan inte ändras när insatsen redan har rapporter." in response.content.decode()
    intervention.refresh_from_db()
    assert intervention.frequency == "quarter"


def test_ending_an_intervention_lists_it_as_ended(intervention, staff):
    client = signed_in(staff)
    url = reverse("association-intervention-end", args=[intervention.association_id, intervention.pk])
    assert client.post(url, {"end": "2024-12-31"}).status_code == 302
    intervention.refresh_from_db()
    assert intervention.end.isoformat() == "2024-12-31"
    listing = client.get(reverse("association-interventions", args=[intervention.association_id])).content.decode()
    assert "avslutad" in listing
    log = ChangeLogEntry.objects.get(association=intervention.association, kind="intervention", field="slutdatum")
    assert (log.old, log.new, log.user) == ("", "2024-12-31", staff)


def test_the_coordinators_granted_are_set_on_the_intervention_page(intervention, staff, teammate_intervention):
    other = MembershipFactory(
        association=intervention.association, intervention=teammate_intervention, role="coordinator"
    ).user
    url = reverse("association-intervention", args=[intervention.association_id, intervention.pk])
    body = {"name": intervention.name, "owner": "Ägare", "kind": "individual", "frequency": "quarter"}
    response = signed_in(staff).post(url, {**body, "start": "2020-01-01", "coordinators": [other.pk]})
    assert response.status_code == 302
    assert other.memberships.filter(intervention=intervention, role="coordinator").exists()


def test_viewers_read_the_pages_but_are_refused_writes_and_coordinators_see_none(
    association, intervention, coordinator
):
    viewer = MembershipFactory(association=association, role="viewer").user
    client = signed_in(viewer)
    page = client.get(reverse("association-interventions", args=[association.pk]))
    assert page.status_code == 200 and intervention.name in page.content.decode()
    assert "Ny insats" not in page.content.decode()
    assert client.post(_members_url(association), {"name": "Ny", "kind": "region"}).status_code == 403
    assert signed_in(coordinator).get(_members_url(association)).status_code == 404
    assert not Member.objects.exists()


def test_settings_are_changed_on_their_page_and_a_bad_value_is_refused_at_its_field(association, staff):
    url = reverse("association-settings", args=[association.pk])
    data = {
        "small_count_threshold": "3",
        "overdue_days": "20",
        "default_yellow_ratio": "0,75",
        "support_per_month_sek": "11000",
        "annual_salary_sek": "300000",
        "income_tax_percent": "30",
        "employer_fee_percent": "30",
        "health_gain_per_year_sek": "40000",
    }  # reminder_emails left out: unchecked, turned off
    client = signed_in(staff)
    page = client.get(url).content.decode()
    assert "340000kr" in page.replace("\xa0", "").replace(" ", "")
    assert client.post(url, data).status_code == 302
    association.refresh_from_db()
    assert (association.overdue_days, str(association.default_yellow_ratio), association.reminder_emails) == (
        20,
        "0.750",
        False,
    )
    assert association.value_per_person_year_sek == 352_000
    refused = client.post(url, {**data, "income_tax_percent": "130"})
    assert refused.status_code == 400 and 'id="id_income_tax_percent_error"' in refused.content.decode()
    association.refresh_from_db()
    assert association.income_tax_percent == 30


def test_the_start_page_links_viewers_to_the_summary_and_offers_them_no_forms(association, intervention):
    viewer = MembershipFactory(association=association, role="viewer").user
    page = signed_in(viewer).get("/").content.decode()
    assert reverse("summary", args=[association.pk]) in page
    assert "Fyll i" not in page
    staff = MembershipFactory(association=association, role="staff").user
    assert "Fyll i" in signed_in(staff).get("/").content.decode()


def test_a_new_association_without_interventions_reaches_its_pages_from_the_header(staff, association):
    page = signed_in(staff).get("/").content.decode()
    assert reverse("association", args=[association.pk]) in page
    other = InterventionFactory()
    assert reverse("association", args=[other.association_id]) not in page
