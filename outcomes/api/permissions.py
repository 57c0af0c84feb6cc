"""Who may call which endpoint: the API's permission classes, all in this one module.

Each class states one rule of API.md's table and asks :mod:`outcomes.organisations.access` for it,
so the web pages, the API and the tasks share one answer. A view lists its classes after
``IsAuthenticated`` (anonymous requests get 401 first) and reads the object of its URL from
:class:`InterventionScoped` or :class:`AssociationScoped`, which look it up once per request.

What the user may not see answers 404, never 403, so that nobody learns that another tenant's
object exists; 403 is only for an object the user reads but may not change.
"""

from __future__ import annotations

from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from outcomes.api.params import query_flag
from outcomes.models import Association, Intervention
from outcomes.organisations.access import (
    association_for,
    can_read_summaries,
    can_write_reports,
    intervention_for,
    is_staff_anywhere,
    is_staff_of,
)


class InterventionScoped:
    """Views whose URL names an intervention (``intervention_kwarg``)."""

    intervention_kwarg = "intervention_id"

    def get_intervention(self) -> Intervention:
        """The URL's intervention if the user may read it; 404 otherwise (looked up once)."""
        if "_intervention" not in self.__dict__:
            self._intervention = intervention_for(self.request.user, self.kwargs[self.intervention_kwarg])
        return self._intervention


class AssociationScoped:
    """Views whose URL names an association (``association_kwarg``)."""

    association_kwarg = "association_id"

    def get_association(self) -> Association:
        """The URL's association if the user holds a role in it; 404 otherwise (looked up once)."""
        if "_association" not in self.__dict__:
            self._association = association_for(self.request.user, self.kwargs[self.association_kwarg])
        return self._association


def _writes(request) -> bool:
    return request.method not in SAFE_METHODS


class ReadsIntervention(BasePermission):
    """Everyone who may see the URL's intervention reads (staff and viewers of its association,
    its coordinators); anyone else gets 404. Nobody writes under this rule alone: the subclasses
    below say who does (``may_write``)."""

    def has_permission(self, request, view) -> bool:
        intervention = view.get_intervention()
        return not _writes(request) or self.may_write(request, intervention)

    def may_write(self, request, intervention: Intervention) -> bool:
        return False


class WritesReports(ReadsIntervention):
    """Reports and surveys of an intervention: its association's staff and the coordinators
    granted it write (:func:`~outcomes.organisations.access.can_write_reports`); viewers get 403."""

    def may_write(self, request, intervention) -> bool:
        return can_write_reports(request.user, intervention)


class StaffWritesIntervention(ReadsIntervention):
    """The intervention itself, its budgets and goals, approving and reopening its reports: only
    its association's staff; other readers get 403."""

    def may_write(self, request, intervention) -> bool:
        return is_staff_of(request.user, intervention.association_id)


class PreviewsDrafts(ReadsIntervention):
    """``?include_drafts=true`` on goal results: a preview for those who may write the
    intervention's reports; other readers get 403 (a malformed flag is 400 on the parameter)."""

    def has_permission(self, request, view) -> bool:
        intervention = view.get_intervention()
        return not query_flag(request, "include_drafts") or can_write_reports(request.user, intervention)


class StaffWritesObject(BasePermission):
    """An object that belongs to one association (an intervention, a catalog entry, the dimension
    of a category): whoever sees it reads it (what the user may not see is 404 before this), its
    association's staff change it, and other readers get 403. The view checks the object with
    ``check_object_permissions``; for a new row, the association its body names."""

    def has_object_permission(self, request, view, obj) -> bool:
        if not _writes(request):
            return True
        association_id = obj.pk if isinstance(obj, Association) else obj.association_id
        return is_staff_of(request.user, association_id)


class ManagesAssociationRows(StaffWritesObject):
    """A list whose new rows name their association in the body (interventions, catalog entries;
    reading is the queryset's: what the user may see). Creating needs staff somewhere, decided
    before the body is read, so that a 403 says nothing about the association the body names;
    the named association is then checked as the object, and so is a row that is changed."""

    def has_permission(self, request, view) -> bool:
        if request.method != "POST":
            return True
        return is_staff_anywhere(request.user)


class ReadsAssociation(BasePermission):
    """Everyone with a role in the URL's association reads (national averages); its staff write
    (403 for the other roles). Anyone else gets 404."""

    def has_permission(self, request, view) -> bool:
        association = view.get_association()
        return not _writes(request) or is_staff_of(request.user, association.pk)


class ReadsSummaries(BasePermission):
    """The association's own figures (summary, board and managers' surveys, their tables): staff
    and viewers read, staff write (403 for viewers); coordinators and outsiders get 404."""

    def has_permission(self, request, view) -> bool:
        association = view.get_association()
        if not can_read_summaries(request.user, association.pk):
            raise Http404
        return not _writes(request) or is_staff_of(request.user, association.pk)
