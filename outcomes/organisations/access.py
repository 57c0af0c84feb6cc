"""Who may read and write what, in one place for the web pages, the API and the tasks.

Staff and viewers hold a role in a whole association; coordinators are granted single
interventions. Nobody reaches another association's data: lookups that fail a check raise
``Http404`` so that the response never reveals that the resource exists."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.decorators.http import require_http_methods

from outcomes.models import Association, Intervention, Membership, Role, User
from outcomes.organisations.selectors import interventions_visible_to


def roles_in_association(user: User, association_id: int) -> set[str]:
    """The roles the user holds anywhere in the association (empty for anonymous users)."""
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, association_id=association_id).values_list("role", flat=True))


def is_staff_of(user: User, association_id: int) -> bool:
    return Role.STAFF in roles_in_association(user, association_id)


def is_staff_anywhere(user: User) -> bool:
    """Whether the user is staff of any association (who may create interventions at all)."""
    return user.is_authenticated and Membership.objects.filter(user=user, role=Role.STAFF).exists()


def can_read_summaries(user: User, association_id: int) -> bool:
    """Staff and viewers read the association's summaries; coordinators do not."""
    return bool(roles_in_association(user, association_id) & {Role.STAFF, Role.VIEWER})


def can_write_reports(user: User, intervention: Intervention) -> bool:
    """Staff of the association and coordinators granted the intervention enter its reports.

    Two ``exists()`` lookups rather than :func:`writable_interventions`: a staff member's request
    stops after the first, which the pinned query counts of the report endpoints rely on."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, association_id=intervention.association_id, role=Role.STAFF
    ).exists() or (Membership.objects.filter(user=user, intervention=intervention, role=Role.COORDINATOR).exists())


def writable_interventions(user: User, interventions) -> set[int]:
    """Ids among ``interventions`` whose reports the user may write (the rule of
    :func:`can_write_reports`, for many at once: the import), in one query however many they are;
    empty for anonymous users."""
    if not user.is_authenticated:
        return set()
    memberships = Membership.objects.filter(user=user).values_list("role", "association_id", "intervention_id")
    staff_of = {association for role, association, _i in memberships if role == Role.STAFF}
    granted = {intervention for role, _a, intervention in memberships if role == Role.COORDINATOR}
    return {i.pk for i in interventions if i.association_id in staff_of or i.pk in granted}


def intervention_for(user: User, pk) -> Intervention:
    """The intervention ``pk`` if the user may read it; ``Http404`` otherwise (also for bad ids)."""
    try:
        return interventions_visible_to(user).select_related("association").get(pk=int(pk))
    except (Intervention.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def association_for(user: User, pk) -> Association:
    """The association ``pk`` if the user holds any role in it; ``Http404`` otherwise."""
    try:
        association = Association.objects.get(pk=int(pk))
    except (Association.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc
    if not roles_in_association(user, association.pk):
        raise Http404
    return association


def association_page(view=None, *, staff_only: bool = False):
    """A web page of one association's own administration (``association_id`` in the URL).

    Staff read and write; viewers read (a POST is 403) unless ``staff_only``; coordinators and
    everybody outside the association get 404, and anonymous visitors the sign-in page. The view
    is called as ``view(request, association, **kwargs)`` with ``request.can_manage`` set."""

    def decorate(function):
        @login_required
        @require_http_methods(["GET", "POST"])
        @wraps(function)
        def wrapper(request, association_id, **kwargs):
            try:
                association = Association.objects.get(pk=int(association_id))
            except (Association.DoesNotExist, TypeError, ValueError) as exc:
                raise Http404 from exc
            roles = roles_in_association(request.user, association.pk)
            if not roles & {Role.STAFF, Role.VIEWER} or (staff_only and Role.STAFF not in roles):
                raise Http404
            request.can_manage = Role.STAFF in roles
            if request.method == "POST" and not request.can_manage:
                raise PermissionDenied
            return function(request, association, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
