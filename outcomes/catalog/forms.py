"""The one pair of forms every catalog's page uses, made from its :class:`CatalogKind`."""

from __future__ import annotations

from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _


def entry_form_class(kind, *, new: bool):
    """A model form of the catalog's entry: code, label and extra fields for a new entry; label,
    position, extra fields and active for an existing one (its code never changes)."""
    fields = [kind.label_field, *kind.extra_fields]
    fields = ["code", *fields] if new else [*fields, "position", "active"]
    labels = {
        "code": _("Kod"),
        "position": _("Ordning"),
        "active": _("I bruk"),
    }
    help_texts = {
        "code": _(
            "Små bokstäver, siffror och understreck, t.ex. arbetstraning. "
            "Koden används i API:t och kan inte ändras sedan."
        ),
        "position": _("Lägre tal visas först."),
        "active": _("En post som tas ur bruk erbjuds inte i nya rapporter; äldre rapporter behåller den."),
    }
    return modelform_factory(
        kind.model,
        fields=fields,
        labels=labels,
        help_texts=help_texts,
        widgets={kind.label_field: forms.TextInput(attrs={"autocomplete": "off"})},
    )
