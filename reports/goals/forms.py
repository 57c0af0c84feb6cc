"""Forms of the goal page. They only shape input; the rules are checked by :mod:`reports.goals.services`."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from outcomes.catalog.models import RespondentGroup
from outcomes.limits import MAX_SMALL
from outcomes.models import ExitReason, Intervention, SurveyQuestion
from outcomes.models import Measure as CatalogMeasure
from outcomes.shares import without_percent_sign
from outcomes.tallies.forms import too_large_message
from reports import shares
from reports.goals.checks import ACTIVITY_COUNT_CHOICES
from reports.goals.models import Comparator, Goal, GoalKind, Measure, SurveyFigure
from reports.goals.services import GoalError, GoalInput

#: Class-level fields are built at import, before a language is active: translate when shown.
lazy_too_large = lazy(too_large_message, str)


def reason_choices(intervention: Intervention) -> list[tuple[str, str]]:
    reasons = ExitReason.objects.filter(association_id=intervention.association_id).order_by("position", "code")
    return [(r.code, r.label_sv if r.active else f"{r.label_sv} ({_('utgången')})") for r in reasons]


def _reasons_field(label) -> forms.MultipleChoiceField:
    """Exit reasons as check boxes, none required; the choices are set per intervention."""
    return forms.MultipleChoiceField(label=label, widget=forms.CheckboxSelectMultiple, required=False)


class ServiceErrorsMixin:
    """Put the fields of a refused write's violations on the form (``reasons[1]`` on ``reasons``)."""

    def add_service_errors(self, error: GoalError) -> None:
        for violation in error.violations:
            name = (violation.field or "").split("[")[0].split(".")[0]
            self.add_error(name if name in self.fields else None, violation.message)


class StepDefinitionForm(ServiceErrorsMixin, forms.Form):
    reasons = _reasons_field(_("Avslutsorsaker som räknas som stegförflyttning"))
    excluded_reasons = _reasons_field(_("Avslutsorsaker som inte räknas i nämnaren"))

    def __init__(self, *args, intervention: Intervention, **kwargs):
        super().__init__(*args, **kwargs)
        choices = reason_choices(intervention)
        self.fields["reasons"].choices = choices
        self.fields["excluded_reasons"].choices = choices


class PercentOrNumberField(forms.DecimalField):
    """A number that may be typed with a trailing percent sign ("10 %"), as targets of shares are."""

    def to_python(self, value):
        return super().to_python(without_percent_sign(value) if isinstance(value, str) else value)


class GoalForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1900, max_value=2999)
    label = forms.CharField(label=_("Benämning"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ av mål"), choices=GoalKind.choices)
    comparator = forms.ChoiceField(label=_("Jämförelse"), choices=Comparator.choices, initial=Comparator.AT_LEAST)
    target = PercentOrNumberField(
        label=_("Målvärde"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        localize=True,
        help_text=_("Procent för andelar och budget, antal personer för antal."),
    )
    yellow_ratio = forms.DecimalField(
        label=_("Gräns för gult"),
        max_digits=4,
        decimal_places=3,
        min_value=0,
        max_value=1,
        initial=shares.DEFAULT_YELLOW_RATIO,
        localize=True,
        help_text=_("Gult när resultatet når minst denna andel av målet, till exempel 0,8."),
    )
    reasons = _reasons_field(_("Avslutsorsaker i täljaren (andel av avslutade)"))
    excluded_reasons = _reasons_field(_("Avslutsorsaker utanför nämnaren (andel av avslutade)"))
    measure = forms.ChoiceField(label=_("Mått (antal, eller täljare i andel av ett mått)"), required=False)
    of_measure = forms.ChoiceField(label=_("Andel av måttet (nämnare)"), required=False)
    question = forms.ChoiceField(label=_("Enkätfråga (indikator)"), required=False)
    indicator_number = forms.IntegerField(
        label=_("eller indikatornummer"),
        min_value=1,
        max_value=MAX_SMALL,
        required=False,
        error_messages={
            "min_value": _("Indikatornummer: ange ett nummer från 1."),
            "max_value": lazy_too_large(_("Indikatornummer"), MAX_SMALL),
        },
    )
    group = forms.ChoiceField(
        label=_("Respondentgrupp (för indikatornummer)"), choices=[("", "—"), *RespondentGroup.choices], required=False
    )
    figure = forms.ChoiceField(
        label=_("Nyckeltal (indikator)"), choices=[("", "—"), *SurveyFigure.choices], required=False
    )
    position = forms.IntegerField(
        label=_("Ordning"),
        min_value=0,
        max_value=MAX_SMALL,
        initial=0,
        required=False,
        error_messages={
            "min_value": _("Ordning: ange 0 eller större."),
            "max_value": lazy_too_large(_("Ordning"), MAX_SMALL),
        },
    )

    def __init__(self, *args, intervention: Intervention, **kwargs):
        super().__init__(*args, **kwargs)
        choices = reason_choices(intervention)
        self.fields["reasons"].choices = choices
        self.fields["excluded_reasons"].choices = choices
        questions = SurveyQuestion.objects.filter(association_id=intervention.association_id).order_by(
            "group", "number"
        )
        self.fields["question"].choices = [("", "—")] + [(q.code, f"{q.code}: {q.text_sv}"[:120]) for q in questions]
        catalog = [
            (m.code, m.label_sv)
            for m in CatalogMeasure.objects.filter(association_id=intervention.association_id).order_by("position")
        ]
        self.fields["measure"].choices = [("", "—"), *Measure.choices, *ACTIVITY_COUNT_CHOICES, *catalog]
        self.fields["of_measure"].choices = [("", "—"), *catalog]

    @staticmethod
    def initial_for(goal: Goal) -> dict:
        data = GoalInput.from_goal(goal).__dict__
        return {**data, "question": data["question"] or ""}

    def goal_input(self) -> GoalInput:
        data = dict(self.cleaned_data)
        data["question"] = data.get("question") or None
        data["position"] = data.get("position") or 0
        data["group"] = data.get("group") or ""
        return GoalInput(**data)
