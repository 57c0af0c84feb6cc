"""Loading the default catalogs (exit reasons, dimensions, survey questions, measures) into an
association, and staff's edits of its entries."""

from __future__ import annotations

import functools
import json
from importlib import resources

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from outcomes.changelog.services import save_logged, snapshot
from outcomes.models import (
    Association,
    ChangeKind,
    Dimension,
    DimensionCategory,
    ExitReason,
    Measure,
    SurveyIndicator,
    SurveyQuestion,
)


def _default_catalog(name: str) -> dict:
    return json.loads(resources.files("outcomes").joinpath("catalog", f"{name}.json").read_text("utf-8"))


def _entries_load(model, key: str, entries: list[dict], fields: tuple[str, ...], *, created: dict, **parent) -> list:
    """Get or create each of the default ``entries`` by its code under ``parent`` (the association,
    or the dimension of categories), with its ``fields`` and its place in the list as position;
    count the ones created in ``created[key]``. Answers the rows in the entries' order."""
    rows = []
    for position, entry in enumerate(entries):
        defaults = {name: entry[name] for name in fields} | {"position": position}
        row, new = model.objects.get_or_create(**parent, code=entry["code"], defaults=defaults)
        created[key] += new
        rows.append(row)
    return rows


def catalog_load(*, association: Association) -> dict[str, int]:
    """Add the default catalog entries the association does not have yet; answer counts created.

    Idempotent: entries are matched by code and existing ones are left as they are, so a label
    staff renamed or an entry they retired stays renamed or retired.
    """
    created = {
        "exit_reasons": 0,
        "dimensions": 0,
        "categories": 0,
        "indicators": 0,
        "survey_questions": 0,
        "measures": 0,
    }
    with transaction.atomic():
        load = functools.partial(_entries_load, created=created)
        reasons = _default_catalog("exit_reasons")["exit_reasons"]
        load(ExitReason, "exit_reasons", reasons, ("label_sv", "outcome_class"), association=association)
        dimensions = _default_catalog("dimensions")["dimensions"]
        rows = load(Dimension, "dimensions", dimensions, ("label_sv", "multi_valued"), association=association)
        for dimension, entry in zip(rows, dimensions, strict=True):
            load(DimensionCategory, "categories", entry["categories"], ("label_sv",), dimension=dimension)
        surveys = _default_catalog("survey_questions")
        for indicator in surveys["indicators"]:
            _obj, new = SurveyIndicator.objects.get_or_create(
                association=association, number=indicator["number"], defaults={"label_sv": indicator["label_sv"]}
            )
            created["indicators"] += new
        question_fields = ("group", "number", "indicator", "scale", "text_sv")
        load(SurveyQuestion, "survey_questions", surveys["questions"], question_fields, association=association)
        measure_fields = ("label_sv", "split", "aggregation", "kinds")
        load(Measure, "measures", _default_catalog("measures")["measures"], measure_fields, association=association)
    return created


def _save_logged(kind, entry, association, user, *, before, fields):
    subject = f"{str(kind.singular).capitalize()} {entry.code}"
    return save_logged(entry, fields, ChangeKind.CATALOG, before, user=user, association=association, subject=subject)


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
    return _save_logged(kind, entry, association, user, before=None, fields=("code", *_entry_fields(kind)))


def catalog_entry_update(*, kind, entry, association: Association, user=None, **fields):
    """Rename, reorder (``position``), retire or bring back (``active``) an entry, or change its
    extra fields (an exit reason's outcome class; a measure's split and aggregation only while no
    report counts it, :func:`_refuse_locked_change`); its code stays. An entry in use is retired,
    never deleted, so every report keeps its counts and labels. Refused like
    :func:`catalog_entry_create`; each changed value is logged."""
    allowed = set(_entry_fields(kind))
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown catalog fields: {sorted(unknown)}")
    before = snapshot(entry, _entry_fields(kind))
    locked = {name: getattr(entry, name) for name in kind.locked_when_used}
    for name, value in fields.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    _refuse_locked_change(entry, locked)
    entry.full_clean(validate_constraints=False)
    return _save_logged(kind, entry, association, user, before=before, fields=_entry_fields(kind))


def _refuse_locked_change(entry, locked: dict) -> None:
    """The fields of ``locked`` (name → value before the change; a measure's split and
    aggregation) stay once the entry is used in a report: the stored values were counted by them.
    Refused with ``entry_in_use`` at each field changed, naming it; nothing stored."""
    changed = [name for name, value in locked.items() if getattr(entry, name) != value]
    if not changed or not entry.in_use:
        return
    message = _(
        "%(field)s kan inte ändras när måttet redan finns i rapporter. "
        "Lägg till ett nytt mått i stället och ta det här ur bruk."
    )
    raise ValidationError(
        {
            name: ValidationError(
                message % {"field": capfirst(entry._meta.get_field(name).verbose_name)}, code="entry_in_use"
            )
            for name in changed
        }
    )
