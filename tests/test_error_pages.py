"""The web's 403, 404 and 500 pages are Swedish and in the site's layout (never Django's bare
English pages), and ``make run`` does not show Django's debug page instead of them."""

import subprocess

from django.conf import settings
from django.test import RequestFactory

from finsam.urls import handler500
from tests.factories import InterventionFactory, MembershipFactory


def test_a_page_that_does_not_exist_answers_a_swedish_404_in_the_layout(client, staff):
    client.force_login(staff)
    response = client.get("/finns-inte/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "Sidan finns inte" in text and "Till startsidan" in text
    assert "Logga ut" in text  # the site's header, with its menu
    assert "Not Found" not in text


def test_another_associations_intervention_answers_the_same_404(client, staff):
    other = InterventionFactory()
    client.force_login(staff)
    response = client.get(f"/insatser/{other.pk}/2024Q1/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_a_viewer_opening_a_staff_page_gets_a_swedish_403_in_the_layout(client, intervention):
    viewer = MembershipFactory(association=intervention.association, role="viewer").user
    client.force_login(viewer)
    response = client.get(f"/resultat/insatser/{intervention.pk}/mal/nytt/")
    text = response.content.decode()
    assert response.status_code == 403
    assert "Du får inte göra detta" in text and "Logga ut" in text
    assert "Forbidden" not in text


def test_a_server_error_answers_a_swedish_500_in_the_layout(db):
    response = handler500(RequestFactory().get("/"))
    text = response.content.decode()
    assert response.status_code == 500
    assert "Ett oväntat fel uppstod" in text
    assert "Pinnstatistik för Finsam-insatser" in text and 'lang="sv"' in text
    assert "Server Error" not in text


def test_make_run_serves_without_djangos_debug_page():
    dry_run = subprocess.run(
        ["make", "-n", "run"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    ).stdout
    assert "DJANGO_DEBUG=false" in dry_run and "runserver --insecure" in dry_run
