"""Which associations and interventions a user may see."""

from __future__ import annotations

from dataclasses import dataclass as dataclass

from django.db.models import OuterRef as OuterRef
from django.db.models import Q, QuerySet
from django.db.models import Subquery as Subquery
from django.utils.translation import gettext as gettext

from outcomes.models import (
    Association,
    Intervention,
    Membership,
    Role,
    User,
)


def interventions_visible_to(user: User) -> QuerySet[Intervention]:
    """Interventions the user may read: all of their associations' for staff and viewers, the
    granted ones for coordinators. An anonymous or unassigned user sees none.
    """
    if not user.is_authenticated:
        return Intervention.objects.none()
    memberships = Membership.objects.filter(user=user)
    association_ids = memberships.filter(role__in=[Role.STAFF, Role.VIEWER]).values("association_id")
    intervention_ids = memberships.filter(role=Role.COORDINATOR).values("intervention_id")
    return Intervention.objects.filter(Q(association_id__in=association_ids) | Q(id__in=intervention_ids))


def associations_visible_to(user: User) -> QuerySet[Association]:
    """Associations in which the user holds any role."""
    if not user.is_authenticated:
        return Association.objects.none()
    return Association.objects.filter(memberships__user=user).distinct()
