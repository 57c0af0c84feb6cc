"""Loading the default catalogs into an association, and staff's edits of its entries."""

from __future__ import annotations

import json
from importlib import resources

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from outcomes.changelog.services import change_record, snapshot
from outcomes.models import (
    Association,
    ChangeKind,
    Dimension,
    DimensionCategory,
    ExitReason,
    SurveyIndicator,
    SurveyQuestion,
)


def _default_catalog(name: str) -> dict:
    return json.loads(resources.files("outcomes").joinpath("catalog", f"{name}.json").read_text("utf-8"))


def catalog_load(*, association: Association) -> dict[str, int]:
    """Add the default catalog entries the association does not have yet; answer counts created.

    Idempotent: entries are matched by code and existing ones are left as they are, so a label
    staff renamed or an entry they retired stays renamed or retired.
    """
    created = {"exit_reasons": 0, "dimensions": 0, "categories": 0, "indicators": 0, "survey_questions": 0}
    with transaction.atomic():
        for position, entry in enumerate(_default_catalog("exit_reasons")["exit_reasons"]):
            _obj, new = ExitReason.objects.get_or_create(
                association=association,
                code=entry["code"],
                defaults={"label_sv": entry["label_sv"], "outcome_class": entry["outcome_class"], "position": position},
            )
            created["exit_reasons"] += new
        for position, entry in enumerate(_default_catalog("dimensions")["dimensions"]):
            dimension, new = Dimension.objects.get_or_create(
                association=association,
                code=entry["code"],
                defaults={"label_sv": entry["label_sv"], "multi_valued": entry["multi_valued"], "position": position},
            )
            created["dimensions"] += new
            for cat_position, category in enumerate(entry["categories"]):
                _obj, new = DimensionCategory.objects.get_or_create(
                    dimension=dimension,
                    code=category["code"],
                    defaults={"label_sv": category["label_sv"], "position": cat_position},
                )
                created["categories"] += new
        surveys = _default_catalog("survey_questions")
        for indicator in surveys["indicators"]:
            _obj, new = SurveyIndicator.objects.get_or_create(
                association=association, number=indicator["number"], defaults={"label_sv": indicator["label_sv"]}
            )
            created["indicators"] += new
        for position, question in enumerate(surveys["questions"]):
            _obj, new = SurveyQuestion.objects.get_or_create(
                association=association,
                code=question["code"],
                defaults={
                    "group": question["group"],
                    "number": question["number"],
                    "indicator": question["indicator"],
                    "scale": question["scale"],
                    "text_sv": question["text_sv"],
                    "position": position,
                },
            )
            created["survey_questions"] += new
    return created


def _entry_subject(kind, entry) -> str:
    return f"{str(kind.singular).capitalize()} {entry.code}"


def _entry_fields(kind) -> tuple[str, ...]:
    return (kind.label_field, "position", "active", *kind.extra_fields)


def catalog_entry_create(*, kind, association: Association, code: str, label: str, parent=None, user=None, **extra):
    """Add an entry to one of the association's catalogs (``kind``, :mod:`outcomes.catalog.registry`),
    after the entries there are. ``code`` is the entry's stable identifier in the API and never
    changes afterwards. Refused with ``ValidationError`` naming the field: no or a taken code,
    no label, personal data in it, a catalog that takes no new entries; nothing stored then."""
    if not kind.can_add:
        raise ValidationError({"code": ValidationError(_("Den här katalogen tar inte nya poster."), code="no_add")})
    unknown = set(extra) - set(kind.extra_fields)
    if unknown:
        raise TypeError(f"Unknown catalog fields: {sorted(unknown)}")
    code = (code or "").strip()
    existing = kind.entries(association=association, parent=parent)
    if code and existing.filter(code=code).exists():
        raise ValidationError({"code": ValidationError(_("Koden finns redan i katalogen."), code="duplicate_code")})
    owner = {kind.parent_field: parent} if kind.parent_field else {"association": association}
    position = (existing.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    entry = kind.model(code=code, position=position, **owner, **extra, **{kind.label_field: (label or "").strip()})
    entry.full_clean(validate_constraints=False)
    with transaction.atomic():
        entry.save()
        change_record(
            association=association,
            user=user,
            kind=ChangeKind.CATALOG,
            subject=_entry_subject(kind, entry),
            before=None,
            after=snapshot(entry, ("code", *_entry_fields(kind))),
        )
    return entry


def catalog_entry_update(*, kind, entry, association: Association, user=None, **fields):
    """Rename, reorder (``position``), retire or bring back (``active``) an entry, or change its
    extra fields (an exit reason's outcome class); its code stays. An entry in use is retired,
    never deleted, so every report keeps its counts and labels. Refused like
    :func:`catalog_entry_create`; each changed value is logged."""
    allowed = set(_entry_fields(kind))
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown catalog fields: {sorted(unknown)}")
    before = snapshot(entry, _entry_fields(kind))
    for name, value in fields.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    entry.full_clean(validate_constraints=False)
    with transaction.atomic():
        entry.save()
        change_record(
            association=association,
            user=user,
            kind=ChangeKind.CATALOG,
            subject=_entry_subject(kind, entry),
            before=before,
            after=snapshot(entry, _entry_fields(kind)),
        )
    return entry
