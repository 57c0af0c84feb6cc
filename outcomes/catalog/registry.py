"""The catalogs staff edit in the browser and the API, one entry each (*avslutsorsaker*,
*bakgrundsvariabler* and their categories, survey question wording, the counted measures).

One view, form and service set serves them all, driven by the :class:`CatalogKind` here; a new
catalog is one more entry in :data:`CATALOGS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from outcomes.catalog.models import Dimension, DimensionCategory, ExitReason, Measure, RespondentGroup, SurveyQuestion

#: The respondent groups whose question wording the association words itself.
OWN_QUESTION_GROUPS = (RespondentGroup.STAFF, RespondentGroup.MANAGERS, RespondentGroup.BOARD)


@dataclass(frozen=True)
class CatalogKind:
    slug: str  # the web address, Swedish
    model: type[Model]
    title: str
    singular: str
    label_field: str = "label_sv"
    extra_fields: tuple[str, ...] = ()  # edited besides the label, position and active
    can_add: bool = True
    parent_field: str | None = None  # categories belong to a dimension
    narrow: Callable[[QuerySet], QuerySet] = field(default=lambda qs: qs)
    locked_when_used: tuple[str, ...] = ()  # extra fields that stay once the entry is used (``entry.in_use``)

    def entries(self, *, association, parent=None) -> QuerySet:
        """The association's entries of this catalog (of ``parent`` for categories), retired ones too."""
        if self.parent_field:
            queryset = self.model.objects.filter(
                **{self.parent_field: parent, f"{self.parent_field}__association": association}
            )
        else:
            queryset = self.model.objects.filter(association=association)
        return self.narrow(queryset).order_by("position", "code")

    def label_of(self, entry) -> str:
        return getattr(entry, self.label_field)


EXIT_REASONS = CatalogKind(
    "avslutsorsaker", ExitReason, _("Avslutsorsaker"), _("avslutsorsak"), extra_fields=("outcome_class",)
)
DIMENSIONS = CatalogKind(
    "bakgrundsvariabler", Dimension, _("Bakgrundsvariabler"), _("bakgrundsvariabel"), extra_fields=("multi_valued",)
)
CATEGORIES = CatalogKind("kategorier", DimensionCategory, _("Kategorier"), _("kategori"), parent_field="dimension")
SURVEY_QUESTIONS = CatalogKind(
    "enkatfragor",
    SurveyQuestion,
    _("Enkätfrågor till personal, chefer och styrelse"),
    _("enkätfråga"),
    label_field="text_sv",
    can_add=False,
    narrow=lambda qs: qs.filter(group__in=OWN_QUESTION_GROUPS),
)
MEASURES = CatalogKind(
    "matt",
    Measure,
    _("Övriga mått"),
    _("mått"),
    extra_fields=("split", "aggregation", "kinds"),
    locked_when_used=("split", "aggregation"),
)

CATALOGS = {kind.slug: kind for kind in (EXIT_REASONS, DIMENSIONS, CATEGORIES, SURVEY_QUESTIONS, MEASURES)}
