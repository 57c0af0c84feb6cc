"""Which associations and interventions a user may see."""

from __future__ import annotations

from dataclasses import dataclass as dataclass

from django.db.models import OuterRef as OuterRef
from django.db.models import Prefetch, Q, QuerySet
from django.db.models import Subquery as Subquery
from django.utils.translation import gettext as gettext

from outcomes.models import (
    ApiToken,
    Association,
    Budget,
    Intervention,
    Member,
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


def members_of(association: Association):
    """The association's member organisations, by kind and name (retired ones too)."""
    return Member.objects.filter(association=association).order_by("-active", "kind", "name")


def interventions_of(association: Association):
    """The association's interventions with their budgets and granted coordinators, by name."""
    coordinators = Membership.objects.filter(role=Role.COORDINATOR).select_related("user").order_by("user__email")
    return (
        Intervention.objects.filter(association=association)
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch("budgets", queryset=Budget.objects.order_by("year")),
            Prefetch("memberships", queryset=coordinators, to_attr="coordinator_memberships"),
        )
    )


def people_of(association: Association):
    """Everybody with a role in the association, by e-mail address, with their memberships there
    (``association_memberships``) and all their API tokens prefetched."""
    here = Membership.objects.filter(association=association).select_related("intervention")
    return (
        User.objects.filter(memberships__association=association)
        .distinct()
        .order_by("email")
        .prefetch_related(
            Prefetch("memberships", queryset=here, to_attr="association_memberships"),
            Prefetch("api_tokens", queryset=ApiToken.objects.order_by("-created_at", "-id")),
        )
    )
