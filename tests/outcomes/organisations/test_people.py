"""Users and roles: invitations with a one-time link, grants, deactivation, tokens (issue 14)."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from outcomes.models import ApiToken, ChangeLogEntry, Membership, User
from outcomes.organisations import people
from outcomes.organisations.services import api_token_create
from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.webforms import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """POST the invitation form; the mail goes out after the commit, as a real commit would."""

    def post(client, association, email, role="coordinator", interventions=()):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("association-people", args=[association.pk]),
                {"email": email, "role": role, "interventions": [i.pk for i in interventions]},
            )

    return post


def _link_path() -> str:
    link = re.search(r"https?://\S+/konto/inbjudan/\S+/", mail.outbox[-1].body).group(0)
    return "/" + link.split("/", 3)[3]


def test_an_invited_coordinator_sets_a_password_through_the_link_and_lands_on_the_start_page(
    invite, association, intervention, staff
):
    response = invite(signed_in(staff), association, "Samordnare@Kommun.se", interventions=[intervention])
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["samordnare@kommun.se"]
    invited = User.objects.get(email="samordnare@kommun.se")
    assert not invited.has_usable_password()
    assert Membership.objects.filter(user=invited, intervention=intervention, role="coordinator").exists()
    path = _link_path()
    browser = Client()
    assert browser.get(path).status_code == 200
    weak = browser.post(path, {"new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 400  # Django's password rules, in Swedish
    done = browser.post(path, {"new_password1": "ett-bra-lösenord-42", "new_password2": "ett-bra-lösenord-42"})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert intervention.name in browser.get("/").content.decode()
    # One use only.
    assert Client().get(path).status_code == 400
    log = ChangeLogEntry.objects.get(
        association=association, kind="person", subject="samordnare@kommun.se", field="roll"
    )
    assert log.user == staff and intervention.name in log.new
    assert ChangeLogEntry.objects.filter(association=association, field="inbjudan", user=invited).exists()


def test_an_invitation_link_stops_after_the_days_it_is_valid(invite, association, staff, settings, monkeypatch):
    settings.INVITATION_VALID_DAYS = 3
    invite(signed_in(staff), association, "ny@kommun.se", role="viewer")
    path = _link_path()
    real_now = people.invitation_tokens._now
    monkeypatch.setattr(
        people.invitation_tokens, "_now", lambda: real_now() + __import__("datetime").timedelta(days=3, hours=1)
    )
    page = Client().get(path)
    assert page.status_code == 400 and "Länken gäller inte längre" in page.content.decode()


def test_an_invitation_is_refused_at_the_field_for_a_bad_address_or_a_coordinator_without_interventions(
    invite, association, staff
):
    client = signed_in(staff)
    bad = invite(client, association, "inte-en-adress", role="viewer")
    assert bad.status_code == 400 and "Ange en giltig e-postadress" in bad.content.decode()
    none = invite(client, association, "ny@kommun.se")
    assert none.status_code == 400 and "Välj minst en insats för en samordnare." in none.content.decode()
    assert not mail.outbox and not User.objects.filter(email="ny@kommun.se").exists()


def test_staff_cannot_grant_an_intervention_of_another_association(invite, association, staff):
    foreign = InterventionFactory()
    response = invite(signed_in(staff), association, "ny@kommun.se", interventions=[foreign])
    assert response.status_code == 400
    assert not Membership.objects.filter(intervention=foreign).exists()
    with pytest.raises(ValidationError):
        people.person_invite(
            association=association,
            email="x@kommun.se",
            grant=people.Grant(role="coordinator", interventions=(foreign,)),
            invited_by=staff,
        )


def test_deactivating_a_user_stops_their_token_on_the_next_request(association, intervention, staff, coordinator):
    _token, secret = api_token_create(user=coordinator, name="system")
    api = Client(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/interventions/").status_code == 200
    url = reverse("association-person", args=[association.pk, coordinator.pk])
    assert signed_in(staff).post(url, {"action": "deactivate"}).status_code == 302
    assert api.get("/api/v1/interventions/").status_code == 401
    assert not Client().login(username=coordinator.email, password="rätt-lösenord-123")
    assert signed_in(staff).post(url, {"action": "activate"}).status_code == 302
    assert api.get("/api/v1/interventions/").status_code == 200


def test_the_last_staff_member_cannot_remove_their_own_staff_role_or_deactivate_themselves(association, staff):
    url = reverse("association-person", args=[association.pk, staff.pk])
    client = signed_in(staff)
    response = client.post(url, {"action": "grant", "role": "viewer"})
    assert response.status_code == 400
    assert "minst en aktiv person med rollen förbundspersonal" in response.content.decode()
    assert client.post(url, {"action": "deactivate"}).status_code == 400
    assert Membership.objects.filter(user=staff, association=association, role="staff").exists()
    MembershipFactory(association=association, role="staff")
    assert client.post(url, {"action": "grant", "role": "viewer"}).status_code == 302
    assert Membership.objects.get(user=staff, association=association).role == "viewer"


def test_a_role_change_touches_only_this_association(association, staff):
    both = MembershipFactory(association=association, role="viewer").user
    elsewhere = MembershipFactory(user=both, role="staff")
    url = reverse("association-person", args=[association.pk, both.pk])
    assert signed_in(staff).post(url, {"action": "grant", "role": "staff"}).status_code == 302
    assert Membership.objects.filter(pk=elsewhere.pk).exists()
    # Deactivating would lock them out of the other association too: refused.
    assert signed_in(staff).post(url, {"action": "deactivate"}).status_code == 400
    both.refresh_from_db()
    assert both.is_active


def test_staff_see_and_revoke_any_of_their_users_tokens(association, staff, coordinator):
    token, secret = api_token_create(user=coordinator, name="Verksamhetssystem")
    client = signed_in(staff)
    page = client.get(reverse("association-person", args=[association.pk, coordinator.pk])).content.decode()
    assert "Verksamhetssystem" in page and token.prefix in page
    revoke = reverse("association-person-token-revoke", args=[association.pk, coordinator.pk, token.pk])
    assert client.post(revoke).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client(HTTP_AUTHORIZATION=f"Token {secret}").get("/api/v1/interventions/").status_code == 401
    outsider_staff = MembershipFactory(role="staff").user
    assert signed_in(outsider_staff).post(revoke).status_code == 404
