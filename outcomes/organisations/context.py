"""The header's links for staff and viewers: their associations' pages and summaries."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from outcomes.models import Membership, Role


def association_links(request):
    """``managed_associations``: the associations in which the user is staff or viewer, each with
    ``is_staff``; read lazily (one query, only on pages that show the header)."""

    def load():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        rows = (
            Membership.objects.filter(user=user, role__in=[Role.STAFF, Role.VIEWER])
            .select_related("association")
            .order_by("association__name")
        )
        found = {}
        for membership in rows:
            association = found.setdefault(membership.association_id, membership.association)
            association.is_staff = getattr(association, "is_staff", False) or membership.role == Role.STAFF
        return list(found.values())

    return {"managed_associations": SimpleLazyObject(load)}
