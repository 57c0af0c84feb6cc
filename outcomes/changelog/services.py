"""Writing the change log. Called by every service whose changes it lists, inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.db import models, transaction

from outcomes.changelog.models import ChangeLogEntry

#: The field of a creation and of a deletion, as the log shows them.
CREATED, DELETED = "skapad", "borttagen"


def display_value(value) -> str:
    """A stored value as the log shows it: '' for none, 'ja'/'nej' for booleans, ISO dates,
    a model's own text, lists joined with commas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(sorted(display_value(v) for v in value))
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, str]:
    """The named fields of ``instance`` as the log shows them, keyed by their Swedish names
    (``verbose_name``) and valued by their labels where the field has them, to compare before and
    after a change."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        # a field with choices, or a model that says how a field reads (a measure's kinds), by label
        display = getattr(instance, f"get_{name}_display", None)
        value = display() if callable(display) else getattr(instance, name)
        values[str(field.verbose_name)] = display_value(value)
    return values


def change_record(
    *, association, user, kind: str, subject: str, before: Mapping[str, str] | None, after: Mapping[str, str] | None
) -> list[ChangeLogEntry]:
    """Log the difference between ``before`` and ``after`` (field → shown value); answers the rows.

    ``before`` None is a creation: one ``created`` row with every non-empty value of ``after`` in
    ``new``. ``after`` None is a deletion, likewise. Otherwise one row per field whose value
    changed; nothing changed writes nothing (so repeating a save leaves no trace)."""
    user = user if getattr(user, "is_authenticated", False) else None

    def row(field: str, old: str, new: str) -> ChangeLogEntry:
        return ChangeLogEntry(
            association=association, user=user, kind=kind, subject=subject[:300], field=field, old=old, new=new
        )

    if before is None or after is None:
        values = after if before is None else before
        text = "; ".join(f"{name}: {value}" for name, value in values.items() if value != "")
        rows = [row(CREATED, "", text) if before is None else row(DELETED, text, "")]
    else:
        rows = [
            row(name, before.get(name, ""), value) for name, value in after.items() if before.get(name, "") != value
        ]
    return ChangeLogEntry.objects.bulk_create(rows) if rows else []


def save_logged(
    instance: models.Model,
    fields: Iterable[str],
    kind: str,
    before: Mapping[str, str] | None,
    *,
    user,
    association=None,
    subject: str | None = None,
    update_fields=None,
):
    """Save ``instance`` and log what changed of its ``fields`` since ``before`` (a :func:`snapshot`
    taken before the change, None for a creation), in one transaction; answers ``instance``.
    ``association`` defaults to the instance's, ``subject`` to its name."""
    with transaction.atomic():
        instance.save(update_fields=update_fields)
        change_record(
            association=association if association is not None else instance.association,
            user=user,
            kind=kind,
            subject=subject if subject is not None else instance.name,
            before=before,
            after=snapshot(instance, fields),
        )
    return instance
