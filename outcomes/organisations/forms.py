"""Forms of the organisation pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from outcomes.limits import MAX_REPORT_SEK, MAX_SMALL
from outcomes.models import Association, Intervention, MemberKind, Role, User
from outcomes.organisations.models import Frequency, InterventionKind
from outcomes.organisations.services import SETTINGS_FIELDS
from outcomes.validators import validate_no_personal_data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Namn på nyckeln"),
        max_length=100,
        help_text=gettext_lazy("Till exempel systemets namn, så att du känner igen nyckeln senare."),
        validators=[validate_no_personal_data],
    )


DATE_HELP = gettext_lazy("ÅÅÅÅ-MM-DD, till exempel 2025-01-01.")


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        help_text=DATE_HELP,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": gettext_lazy("Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2025-01-01.")},
    )


class MemberForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Namn"),
        max_length=200,
        validators=[validate_no_personal_data],
        help_text=gettext_lazy("Till exempel Lindesbergs kommun eller Region Örebro län."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Typ av medlem"), choices=MemberKind.choices)


class MemberEditForm(MemberForm):
    active = forms.BooleanField(
        label=gettext_lazy("Aktiv medlem"),
        required=False,
        help_text=gettext_lazy("En medlem som inte längre är med tas ur bruk; insatser och rapporter behåller namnet."),
    )


class InterventionForm(forms.Form):
    """An intervention's fields as staff enter them; the service checks the rules between them."""

    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200, validators=[validate_no_personal_data])
    owner = forms.CharField(
        label=gettext_lazy("Insatsägare"),
        max_length=200,
        validators=[validate_no_personal_data],
        help_text=gettext_lazy(
            "Välj en medlem ur listan eller skriv en del av den, t.ex. ”Lindesbergs kommun, arbetsmarknadsenheten”."
        ),
        widget=forms.TextInput(attrs={"list": "medlemmar", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Typ av insats"), choices=InterventionKind.choices)
    frequency = forms.ChoiceField(
        label=gettext_lazy("Rapporteringsfrekvens"),
        choices=Frequency.choices,
        help_text=gettext_lazy("Kan inte ändras när insatsen har rapporter."),
    )
    start = _date_field(gettext_lazy("Startdatum"))
    end = _date_field(gettext_lazy("Slutdatum (tomt om insatsen pågår)"), required=False)
    places = forms.IntegerField(
        label=gettext_lazy("Antal platser (frivilligt)"),
        required=False,
        min_value=1,
        max_value=MAX_SMALL,
        help_text=gettext_lazy("Insatsens kapacitet, för beläggningen."),
        error_messages={"invalid": gettext_lazy("Ange antal platser som ett heltal.")},
    )
    coordinators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Samordnare med behörighet"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Nya samordnare bjuder du in under Användare och behörigheter."),
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinators"].queryset = (
            User.objects.filter(memberships__association=association, memberships__role=Role.COORDINATOR)
            .distinct()
            .order_by("email")
        )

    def intervention_fields(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("name", "owner", "kind", "frequency", "start", "end", "places")
        }


class NewInterventionForm(InterventionForm):
    budget_year = forms.IntegerField(
        label=gettext_lazy("Budgetår (frivilligt)"),
        required=False,
        min_value=1900,
        max_value=2999,
        error_messages={"invalid": gettext_lazy("Ange året som fyra siffror, till exempel 2025.")},
    )
    budget_sek = forms.IntegerField(
        label=gettext_lazy("Beviljade medel det året (kr)"),
        required=False,
        min_value=0,
        max_value=MAX_REPORT_SEK,
        help_text=gettext_lazy("Hela kronor, utan mellanslag."),
        error_messages={"invalid": gettext_lazy("Ange beviljade medel i hela kronor, utan decimaler.")},
    )

    def clean(self):
        data = super().clean()
        year, amount = data.get("budget_year"), data.get("budget_sek")
        if amount is not None and year is None and "budget_year" not in self.errors:
            self.add_error("budget_year", gettext_lazy("Ange vilket år de beviljade medlen gäller."))
        if year is not None and amount is None and "budget_sek" not in self.errors:
            self.add_error("budget_sek", gettext_lazy("Ange beviljade medel för året, eller lämna året tomt."))
        return data


class BudgetForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("År"),
        min_value=1900,
        max_value=2999,
        error_messages={"invalid": gettext_lazy("Ange året som fyra siffror, till exempel 2025.")},
    )
    budget_sek = forms.IntegerField(
        label=gettext_lazy("Beviljade medel (kr)"),
        min_value=0,
        max_value=MAX_REPORT_SEK,
        help_text=gettext_lazy("Hela kronor, utan mellanslag."),
        error_messages={"invalid": gettext_lazy("Ange beviljade medel i hela kronor, utan decimaler.")},
    )


class EndForm(forms.Form):
    end = _date_field(gettext_lazy("Sista dag"))


class GrantForm(forms.Form):
    """A person's role in the association, and a coordinator's interventions."""

    role = forms.ChoiceField(label=gettext_lazy("Roll"), choices=Role.choices, widget=forms.RadioSelect)
    interventions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Insatser (för samordnare)"),
        queryset=Intervention.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interventions"].queryset = Intervention.objects.filter(association=association).order_by("name")


class InviteForm(GrantForm):
    email = forms.EmailField(
        label=gettext_lazy("E-postadress"),
        max_length=254,
        error_messages={"invalid": gettext_lazy("Ange en giltig e-postadress, till exempel namn@kommun.se.")},
    )
    field_order = ["email", "role", "interventions"]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Association
        fields = list(SETTINGS_FIELDS)
        localized_fields = ["default_yellow_ratio"]
