"""Writing the change log. Called by every service whose changes it lists, inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.db import models

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
    (``verbose_name``), to compare before and after a change."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, f"get_{name}_display")() if field.choices else getattr(instance, name)
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
    if before is None or after is None:
        values = after if before is None else before
        text = "; ".join(f"{name}: {value}" for name, value in values.items() if value != "")
        field = CREATED if before is None else DELETED
        rows = [
            ChangeLogEntry(
                association=association,
                user=user,
                kind=kind,
                subject=subject[:300],
                field=field,
                old="" if before is None else text,
                new=text if before is None else "",
            )
        ]
    else:
        rows = [
            ChangeLogEntry(
                association=association,
                user=user,
                kind=kind,
                subject=subject[:300],
                field=name,
                old=before.get(name, ""),
                new=value,
            )
            for name, value in after.items()
            if before.get(name, "") != value
        ]
    return ChangeLogEntry.objects.bulk_create(rows) if rows else []
