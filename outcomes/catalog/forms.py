"""The one pair of forms every catalog's page uses, made from its :class:`CatalogKind`."""

from __future__ import annotations

from django import forms
from django.forms import modelform_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from outcomes.catalog.models import Measure, MeasureAggregation, MeasureSplit
from outcomes.organisations.models import InterventionKind


def _label(model, name: str) -> str:
    """A field's label on the form: its model's Swedish name, as refusals and the change log name it."""
    return capfirst(model._meta.get_field(name).verbose_name)


class MeasureForm(forms.ModelForm):
    """A measure's split and aggregation as radio buttons, its intervention kinds as checkboxes."""

    split = forms.ChoiceField(
        label=_label(Measure, "split"),
        choices=MeasureSplit.choices,
        widget=forms.RadioSelect,
        help_text=_("Per kön: kvinnor, män och annat/uppgift saknas var för sig. Totalt: ett enda antal."),
    )
    aggregation = forms.ChoiceField(
        label=_label(Measure, "aggregation"),
        choices=MeasureAggregation.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Ett flöde (t.ex. samtal) summeras över perioderna; ett bestånd (t.ex. deltagare i "
            "arbetsträning) är den senaste periodens värde."
        ),
    )
    kinds = forms.MultipleChoiceField(
        label=_label(Measure, "kinds"),
        choices=InterventionKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Måttet finns i rapportformuläret för insatser av de här typerna."),
        error_messages={"required": _("Välj en eller flera av insatstyperna.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.in_use:  # said before anyone tries; the service refuses the change
            for name in ("split", "aggregation"):
                self.fields[name].help_text = _("%(hint)s Måttet finns redan i rapporter och kan inte ändras här.") % {
                    "hint": self.fields[name].help_text
                }


#: The base form of a catalog whose extra fields need their own widgets.
BASE_FORMS = {Measure: MeasureForm}


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
        form=BASE_FORMS.get(kind.model, forms.ModelForm),
        fields=fields,
        labels=labels,
        help_texts=help_texts,
        widgets={kind.label_field: forms.TextInput(attrs={"autocomplete": "off"})},
    )
