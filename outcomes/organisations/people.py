"""Writes of an association's people: invitations, roles and grants, deactivation, tokens.

Staff act only within their own association: every function takes the association from the page
it is called from, and interventions of another association are refused. Each change is logged
in the change log in its own transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from outcomes.changelog.services import change_record
from outcomes.models import ApiToken, Association, ChangeKind, Intervention, Membership, Role, User
from outcomes.organisations.services import api_token_revoke


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens with their own salt and lifetime (``INVITATION_VALID_DAYS``).

    The token hashes the password, so it stops working once the invitee has set one: one use."""

    key_salt = "outcomes.organisations.people.InvitationTokenGenerator"

    def __init__(self):
        super().__init__()
        self.timeout = getattr(settings, "INVITATION_VALID_DAYS", 3) * 24 * 3600

    def _make_hash_value(self, user, timestamp):
        return super()._make_hash_value(user, timestamp) + str(user.is_active)


invitation_tokens = InvitationTokenGenerator()


@dataclass(frozen=True)
class Grant:
    """A role in one association, with the interventions a coordinator is granted."""

    role: str
    interventions: tuple[Intervention, ...] = ()

    def describe(self) -> str:
        label = str(Role(self.role).label)
        if self.role == Role.COORDINATOR:
            return f"{label}: " + ", ".join(sorted(i.name for i in self.interventions))
        return label


def grant_of(*, association: Association, person: User) -> Grant | None:
    """The person's role in the association (None when they have none)."""
    rows = list(Membership.objects.filter(user=person, association=association).select_related("intervention"))
    if not rows:
        return None
    roles = {m.role for m in rows}
    role = next(r for r in (Role.STAFF, Role.VIEWER, Role.COORDINATOR) if r in roles)
    return Grant(role=role, interventions=tuple(m.intervention for m in rows if m.role == Role.COORDINATOR))


def _grant_check(association: Association, grant: Grant) -> None:
    if grant.role not in Role.values:
        raise ValidationError({"role": ValidationError(_("Välj en roll."), code="invalid_choice")})
    if grant.role == Role.COORDINATOR and not grant.interventions:
        raise ValidationError(
            {"interventions": ValidationError(_("Välj minst en insats för en samordnare."), code="required")}
        )
    if any(i.association_id != association.pk for i in grant.interventions):
        raise ValidationError(
            {"interventions": ValidationError(_("Insatsen hör till ett annat förbund."), code="other_association")}
        )


def _staff_left(association: Association, without: User) -> int:
    return (
        Membership.objects.filter(association=association, role=Role.STAFF, user__is_active=True)
        .exclude(user=without)
        .count()
    )


def _grant_write(association: Association, person: User, grant: Grant) -> None:
    Membership.objects.filter(user=person, association=association).delete()
    if grant.role == Role.COORDINATOR:
        Membership.objects.bulk_create(
            Membership(user=person, association=association, intervention=i, role=grant.role)
            for i in grant.interventions
        )
    else:
        Membership.objects.create(user=person, association=association, role=grant.role)


def person_invite(*, association: Association, email: str, grant: Grant, invited_by: User) -> User:
    """Invite ``email`` with ``grant``: the account is created without a password (or found, when
    the address already has one) and gets the role; a new account is mailed a one-time link to
    set a password (:func:`invitation_link`). Refused with ``ValidationError`` naming ``email``
    when the address already has a role in the association, or the field of a bad grant."""
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": ValidationError(_("Ange en giltig e-postadress, till exempel namn@kommun.se."), code="invalid")}
        ) from exc
    _grant_check(association, grant)
    person = User.objects.filter(email__iexact=email).first()
    if person is not None and Membership.objects.filter(user=person, association=association).exists():
        raise ValidationError(
            {"email": ValidationError(_("Adressen har redan en roll i förbundet; ändra den i listan."), code="exists")}
        )
    with transaction.atomic():
        new = person is None
        if new:
            person = User.objects.create_user(email=email, password=None)
        _grant_write(association, person, grant)
        change_record(
            association=association,
            user=invited_by,
            kind=ChangeKind.PERSON,
            subject=email,
            before={_("roll"): ""},
            after={_("roll"): grant.describe() + (" – " + _("inbjuden") if new else "")},
        )
        if new:
            link = invitation_link(person)
            transaction.on_commit(lambda: _invitation_mail(association, person, link))
    return person


def invitation_link(person: User) -> str:
    """The absolute one-time link through which ``person`` sets a password (``SITE_URL``)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    path = reverse("invitation-accept", args=[uid, invitation_tokens.make_token(person)])
    return settings.SITE_URL + path


def _invitation_mail(association: Association, person: User, link: str) -> None:
    days = getattr(settings, "INVITATION_VALID_DAYS", 3)
    send_mail(
        _("Inbjudan till pinnstatistik för %(name)s") % {"name": association.name},
        _(
            "Du är inbjuden att rapportera och läsa pinnstatistik för %(name)s.\n\n"
            "Välj ditt lösenord via länken nedan. Länken kan användas en gång och gäller i %(days)s dagar.\n\n"
            "%(link)s\n\nDu loggar sedan in med din e-postadress %(email)s."
        )
        % {"name": association.name, "days": days, "link": link, "email": person.email},
        None,
        [person.email],
    )


def invitation_user(uidb64: str, token: str) -> User | None:
    """The invited user whose link this is, while it is valid and unused; None otherwise."""
    try:
        person = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if not person.is_active or not invitation_tokens.check_token(person, token):
        return None
    return person


def invitation_accepted(*, person: User) -> None:
    """Log, in each association where ``person`` has a role, that they set their password through
    the invitation (so the change log shows when the invitee came in)."""
    for association_id in set(Membership.objects.filter(user=person).values_list("association_id", flat=True)):
        change_record(
            association=Association.objects.get(pk=association_id),
            user=person,
            kind=ChangeKind.PERSON,
            subject=person.email,
            before={_("inbjudan"): _("skickad")},
            after={_("inbjudan"): _("antagen, lösenord valt")},
        )


def person_grant_set(*, association: Association, person: User, grant: Grant, by: User) -> User:
    """Replace the person's role and grants in the association (other associations untouched).

    The last active staff member cannot lose the staff role (code ``last_staff``), so the
    association is never left without anyone to run it."""
    _grant_check(association, grant)
    before = grant_of(association=association, person=person)
    if before is None:
        raise ValidationError({"role": ValidationError(_("Personen har ingen roll i förbundet."), code="no_role")})
    if before.role == Role.STAFF and grant.role != Role.STAFF and not _staff_left(association, person):
        raise ValidationError(
            {
                "role": ValidationError(
                    _("Förbundet måste ha minst en aktiv person med rollen förbundspersonal."), code="last_staff"
                )
            }
        )
    with transaction.atomic():
        _grant_write(association, person, grant)
        change_record(
            association=association,
            user=by,
            kind=ChangeKind.PERSON,
            subject=person.email,
            before={_("roll"): before.describe()},
            after={_("roll"): grant.describe()},
        )
    return person


def person_active_set(*, association: Association, person: User, active: bool, by: User) -> User:
    """Deactivate (or bring back) the person's account: a deactivated user cannot sign in and their
    API tokens stop on the next request. Refused for someone who also holds a role in another
    association (``other_association``: take away the roles here instead) and for the last active
    staff member (``last_staff``)."""
    if Membership.objects.filter(user=person).exclude(association=association).exists():
        raise ValidationError(
            {
                "active": ValidationError(
                    _("Personen har roller i ett annat förbund. Ta bort rollerna här i stället."),
                    code="other_association",
                )
            }
        )
    grant = grant_of(association=association, person=person)
    if not active and grant and grant.role == Role.STAFF and not _staff_left(association, person):
        raise ValidationError(
            {
                "active": ValidationError(
                    _("Förbundet måste ha minst en aktiv person med rollen förbundspersonal."), code="last_staff"
                )
            }
        )
    if person.is_active == active:
        return person
    with transaction.atomic():
        person.is_active = active
        person.save(update_fields=["is_active"])
        change_record(
            association=association,
            user=by,
            kind=ChangeKind.PERSON,
            subject=person.email,
            before={_("aktiv"): _("nej") if active else _("ja")},
            after={_("aktiv"): _("ja") if active else _("nej")},
        )
    return person


def person_token_revoke(*, association: Association, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token of one of the association's people (logged once)."""
    with transaction.atomic():
        was_live = token.revoked_at is None
        api_token_revoke(token=token)
        if was_live:
            change_record(
                association=association,
                user=by,
                kind=ChangeKind.PERSON,
                subject=token.user.email,
                before={_("API-nyckel %(name)s") % {"name": token.name}: _("aktiv")},
                after={_("API-nyckel %(name)s") % {"name": token.name}: _("återkallad")},
            )
    return token


def intervention_coordinators_set(*, intervention: Intervention, people, by: User) -> None:
    """Grant exactly ``people`` (coordinators of the association) the intervention: new grants
    are added, withdrawn ones removed, each change logged. Someone of another association is
    refused (``other_association``)."""
    association = intervention.association
    people = set(people)
    if any(not Membership.objects.filter(user=p, association=association).exists() for p in people):
        raise ValidationError(
            {"coordinators": ValidationError(_("Personen hör till ett annat förbund."), code="other_association")}
        )
    granted = {m.user: m for m in Membership.objects.filter(intervention=intervention, role=Role.COORDINATOR)}
    with transaction.atomic():
        for person in people - set(granted):
            before = grant_of(association=association, person=person)
            Membership.objects.create(
                user=person, association=association, intervention=intervention, role=Role.COORDINATOR
            )
            _grant_logged(association, person, before, by)
        for person in set(granted) - people:
            before = grant_of(association=association, person=person)
            granted[person].delete()
            _grant_logged(association, person, before, by)


def _grant_logged(association: Association, person: User, before: Grant | None, by: User) -> None:
    after = grant_of(association=association, person=person)
    change_record(
        association=association,
        user=by,
        kind=ChangeKind.PERSON,
        subject=person.email,
        before={_("roll"): before.describe() if before else ""},
        after={_("roll"): after.describe() if after else ""},
    )
