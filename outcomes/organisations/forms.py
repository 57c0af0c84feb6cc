"""Forms of the organisation pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from outcomes.validators import validate_no_personal_data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Namn på nyckeln"),
        max_length=100,
        help_text=gettext_lazy("Till exempel systemets namn, så att du känner igen nyckeln senare."),
        validators=[validate_no_personal_data],
    )
