"""The activity form of the web pages: it parses what was typed; the rules are the service's
(:func:`outcomes.activities.rules.check_activity`), whose violations are shown at their fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.activities.models import Activity
from outcomes.activities.rules import ActivityInput
from outcomes.catalog.vocabulary import activity_vocabulary
from outcomes.counts import GENDER_LABELS, GENDERS, Counts
from outcomes.limits import MAX_REPORT_SEK
from outcomes.tallies.forms import WholeKronorField, count_field
from outcomes.validators import validate_no_personal_data
from outcomes.violations import RuleViolation


class ActivityForm(forms.Form):
    """Field names: the activity's own (``date``, ``title``, ``kind``, ...), ``attendees_<gender>``
    for the split by gender and ``org_<code>`` for the split by organisation; a split left all
    empty is not given."""

    date = forms.DateField(
        label=gettext_lazy("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Datum: ange ett datum som 2024-10-05.")},
    )
    title = forms.CharField(
        label=gettext_lazy("Rubrik"),
        max_length=200,
        validators=[validate_no_personal_data],
        help_text=gettext_lazy("Till exempel ”Finsammässan”. Skriv aldrig namn eller personnummer."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Typ av aktivitet"))
    occasions = count_field(_("Tillfällen"))
    attendees = count_field(_("Deltagare"))
    estimated = forms.BooleanField(label=gettext_lazy("Antalet deltagare är uppskattat"), required=False)
    exhibitors = count_field(_("Utställare"))
    evaluation_answered = count_field(_("Svar på utvärderingen"))
    evaluation_positive = count_field(_("Varav positiva"))
    spent_sek = WholeKronorField(
        label=gettext_lazy("Kostnad för aktiviteten (kr)"),
        required=False,
        min_value=0,
        max_value=MAX_REPORT_SEK,
        error_messages={
            "invalid": gettext_lazy("Kostnad: ange ett heltal i hela kronor."),
            "decimals": gettext_lazy("Kostnad ska anges i hela kronor, utan decimaler."),
            "min_value": gettext_lazy("Kostnad: beloppet får inte vara negativt."),
            "max_value": gettext_lazy("Kostnad: beloppet är orimligt stort."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vocabulary = activity_vocabulary()
        self.fields["kind"].choices = list(vocabulary["kinds"].items())
        self.fields["attendees"].required = True
        self.fields["attendees"].error_messages["required"] = _("Ange antalet deltagare.")
        for gender in GENDERS:
            self.fields[f"attendees_{gender}"] = count_field(_("Deltagare, %(g)s") % {"g": GENDER_LABELS[gender]})
        self.organisations = vocabulary["organisations"]
        for code, label in self.organisations.items():
            self.fields[f"org_{code}"] = count_field(_("Deltagare från %(o)s") % {"o": label})

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        initial = {
            name: getattr(activity, name)
            for name in (
                "date",
                "title",
                "kind",
                "occasions",
                "attendees",
                "estimated",
                "exhibitors",
                "evaluation_answered",
                "evaluation_positive",
                "spent_sek",
            )
        }
        for gender in GENDERS:
            initial[f"attendees_{gender}"] = getattr(activity, f"attendees_{gender}")
        for row in activity.organisations.all():
            initial[f"org_{row.organisation}"] = row.attendees
        return initial

    def main_fields(self):
        names = ("date", "title", "kind", "occasions", "attendees", "estimated", "exhibitors", "spent_sek")
        return [self[name] for name in names]

    def evaluation_fields(self):
        return [self["evaluation_answered"], self["evaluation_positive"]]

    def gender_fields(self):
        return [self[f"attendees_{g}"] for g in GENDERS]

    def organisation_fields(self):
        return [self[f"org_{code}"] for code in self.organisations]

    def to_input(self) -> ActivityInput:
        data = self.cleaned_data
        split = [data.get(f"attendees_{g}") for g in GENDERS]
        organisations = {
            code: data[f"org_{code}"] for code in self.organisations if data.get(f"org_{code}") is not None
        }
        return ActivityInput(
            date=data["date"],
            title=data["title"].strip(),
            kind=data["kind"],
            attendees=data["attendees"],
            occasions=data.get("occasions") if data.get("occasions") is not None else 1,
            estimated=bool(data.get("estimated")),
            attendees_by_gender=Counts(*(n or 0 for n in split)) if any(n is not None for n in split) else None,
            attendees_by_organisation=organisations,
            exhibitors=data.get("exhibitors"),
            evaluation_answered=data.get("evaluation_answered"),
            evaluation_positive=data.get("evaluation_positive"),
            spent_sek=data.get("spent_sek"),
        )

    def attach_violations(self, violations: list[RuleViolation]) -> None:
        """Each rule's message at its field (a split's sum rule at its first cell)."""
        fields = {
            "attendees_by_gender": "attendees_women",
            "attendees_by_organisation": f"org_{next(iter(self.organisations))}",
            "evaluation.positive": "evaluation_positive",
            "evaluation.answered": "evaluation_answered",
        }
        for violation in violations:
            name = fields.get(violation.field, violation.field)
            if name.startswith("attendees_by_gender."):
                name = f"attendees_{name.split('.')[1]}"
            self.add_error(name if name in self.fields else None, violation.message)
