"""Sign-in, sign-out, throttling of failed sign-ins, password change and reset, in Swedish."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.outcomes.tallies.webforms import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def test_a_coordinator_signs_in_with_e_mail_and_password_and_signs_out(coordinator):
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">E-postadress</label>' in page and "Glömt lösenordet?" in page
    response = sign_in(client, coordinator.email.upper(), PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_gives_a_swedish_message(coordinator):
    response = sign_in(Client(), coordinator.email, "fel")
    assert "Fel e-postadress eller lösenord" in response.content.decode()


def test_failed_sign_ins_are_throttled_even_for_the_right_password_then_released(coordinator, settings):
    client = Client()
    for _ in range(settings.LOGIN_THROTTLE_PER_ACCOUNT):
        sign_in(client, coordinator.email, "fel")
    response = sign_in(client, coordinator.email, PASSWORD)
    assert response.status_code == 200
    assert "För många misslyckade inloggningar" in response.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()  # the window has passed
    assert sign_in(client, coordinator.email, PASSWORD).status_code == 302


def test_many_failures_from_one_address_throttle_every_account_from_there(coordinator, staff, settings):
    settings.LOGIN_THROTTLE_PER_ADDRESS = 3
    client = Client()
    for index in range(3):
        sign_in(client, f"finns-inte-{index}@example.se", "fel", address="10.9.9.9")
    assert "För många" in sign_in(client, staff.email, PASSWORD, address="10.9.9.9").content.decode()
    assert sign_in(Client(), staff.email, PASSWORD, address="10.1.1.1").status_code == 302


def test_a_successful_sign_in_clears_the_account_count(coordinator, settings):
    client = Client()
    for _ in range(settings.LOGIN_THROTTLE_PER_ACCOUNT - 1):
        sign_in(client, coordinator.email, "fel")
    assert sign_in(client, coordinator.email, PASSWORD).status_code == 302
    for _ in range(settings.LOGIN_THROTTLE_PER_ACCOUNT - 1):
        sign_in(Client(), coordinator.email, "fel")
    assert sign_in(Client(), coordinator.email, PASSWORD).status_code == 302


def test_a_signed_in_person_changes_their_password(coordinator):
    client = signed_in(coordinator)
    page = client.get(reverse("password_change")).content.decode()
    assert "Byt lösenord" in page and "Gammalt lösenord" in page
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ett-nytt-långt-lösen-42",
            "new_password2": "ett-nytt-långt-lösen-42",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    coordinator.refresh_from_db()
    assert coordinator.check_password("ett-nytt-långt-lösen-42")


def test_a_forgotten_password_is_reset_through_a_link_sent_by_e_mail(coordinator):
    client = Client()
    assert "Återställ lösenord" in client.get(reverse("password_reset")).content.decode()
    client.post(reverse("password_reset"), {"email": coordinator.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nytt lösenord till Pinnstatistik" and "Välj ett nytt lösenord" in message.body
    link = re.search(r"http://testserver(\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Välj nytt lösenord" in form_page.content.decode()
    url = form_page.redirect_chain[-1][0]
    client.post(url, {"new_password1": "återställt-lösen-77", "new_password2": "återställt-lösen-77"})
    coordinator.refresh_from_db()
    assert coordinator.check_password("återställt-lösen-77")


def test_a_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(db):
    response = Client().post(reverse("password_reset"), {"email": "okand@example.se"}, follow=True)
    assert "Kolla din e-post" in response.content.decode()
    assert mail.outbox == []


def test_behind_a_proxy_the_forwarded_client_address_is_throttled_not_the_proxy(staff, settings):
    settings.LOGIN_THROTTLE_PER_ADDRESS = 2
    settings.LOGIN_THROTTLE_PROXY_COUNT = 1
    client = Client()

    def attempt(forwarded, password):
        return client.post(
            reverse("login"),
            {"username": staff.email, "password": password},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    # the attacker forges a left-hand entry; the proxy appends the real address
    for forged in ("1.1.1.1", "2.2.2.2"):
        attempt(f"{forged}, 203.0.113.7", "fel")
    assert (
        "För många"
        in Client()
        .post(
            reverse("login"),
            {"username": "annan@example.se", "password": "fel"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
        .content.decode()
    )
    other = Client().post(
        reverse("login"),
        {"username": staff.email.replace("@", "+x@"), "password": "fel"},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert "För många" not in other.content.decode()
