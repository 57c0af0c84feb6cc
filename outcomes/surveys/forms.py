"""The web form of an indicator survey."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.counts import GENDERS
from outcomes.limits import MAX_COUNT
from outcomes.surveys import rules as survey_rules
from outcomes.tallies.forms import too_large_message

GENDER_FIELD_LABELS = {
    "women": gettext_lazy("Svarande kvinnor"),
    "men": gettext_lazy("Svarande män"),
    "other": gettext_lazy("Svarande annan/ej angivet"),
}


def count_field(label, *, name=None, required=False) -> forms.IntegerField:
    """A count input; text and numbers too large for the column are refused with ``name`` (the
    label unless given) in the message. Negative numbers pass to the service's ``negative_count``."""
    name = name or label
    return forms.IntegerField(
        label=label,
        required=required,
        max_value=MAX_COUNT,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}),
        error_messages={
            "required": _("%(name)s: ange ett antal.") % {"name": name},
            "invalid": _("%(name)s: ange ett heltal, 0 eller större.") % {"name": name},
            "max_value": too_large_message(name, MAX_COUNT),
        },
    )


class SurveyForm(forms.Form):
    """Invited, answered per gender, and per question one count per option plus blank.

    A question whose inputs are all left empty is not part of the survey; an empty input of a
    question that has some numbers is zero. The rules themselves are checked by the service.
    """

    def __init__(self, *args, questions, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields["invited"] = count_field(_("Antal tillfrågade"), required=True)
        self.fields["invited"].widget.attrs.pop("size")
        for gender in GENDERS:
            self.fields[f"answered_{gender}"] = count_field(GENDER_FIELD_LABELS[gender])
        for q in self.questions:
            for index, label in enumerate(survey_rules.SCALE_OPTIONS[q.scale], start=1):
                self.fields[f"q_{q.code}_{index}"] = count_field(
                    label, name=_("Fråga %(code)s, %(option)s") % {"code": q.code, "option": label}
                )
            blank = _("Blankt / ej svarat")
            self.fields[f"q_{q.code}_blank"] = count_field(
                blank, name=_("Fråga %(code)s, %(option)s") % {"code": q.code, "option": blank}
            )
        self.question_errors: dict[str, list[str]] = {}

    @staticmethod
    def initial_from(detail: dict | None) -> dict:
        if not detail:
            return {}
        initial = {"invited": detail["invited"]}
        for gender in GENDERS:
            initial[f"answered_{gender}"] = detail["answered"][gender]
        for answer in detail["answers"]:
            for index, count in enumerate(answer["counts"], start=1):
                initial[f"q_{answer['question']}_{index}"] = count
            initial[f"q_{answer['question']}_blank"] = answer["blank"]
        return initial

    def _value(self, name) -> int | None:
        if self.is_bound:
            value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        else:
            value = self.initial.get(name)
        return value

    def answered_total(self) -> int:
        return sum(self._value(f"answered_{g}") or 0 for g in GENDERS)

    def to_input(self) -> survey_rules.SurveyInput:
        """The service's input; call after ``is_valid()``."""
        data = self.cleaned_data
        answers = []
        for q in self.questions:
            n = survey_rules.option_count(q.scale)
            values = [data.get(f"q_{q.code}_{i}") for i in range(1, n + 1)]
            blank = data.get(f"q_{q.code}_blank")
            if all(v is None for v in values) and blank is None:
                continue
            answers.append(survey_rules.AnswerInput(q.code, tuple(v or 0 for v in values), blank or 0))
        return survey_rules.SurveyInput(
            invited=data.get("invited") or 0,
            answered={g: data.get(f"answered_{g}") or 0 for g in GENDERS},
            answers=answers,
        )

    def add_violations(self, violations, data: survey_rules.SurveyInput) -> None:
        """Show each broken rule at its input (or its question's grid), in words: the rule's code
        is for API clients, not for the people reading the form."""
        for v in violations:
            message = v.message
            match = re.match(r"answers\[(\d+)\]\.(counts|blank|question)(?:\[(\d+)\])?", v.field or "")
            if match:
                code = data.answers[int(match[1])].question
                if match[2] == "counts" and match[3] is not None:
                    self.add_error(f"q_{code}_{int(match[3]) + 1}", message)
                elif match[2] == "blank":
                    self.add_error(f"q_{code}_blank", message)
                else:
                    self.question_errors.setdefault(code, []).append(message)
                    self.add_error(None, message)
            elif v.field == "invited":
                self.add_error("invited", message)
            elif v.field and v.field.startswith("answered."):
                self.add_error(f"answered_{v.field.split('.')[1]}", message)
            else:
                self.add_error(None, message)

    def grids(self) -> list[dict]:
        """One grid per question for the template: option inputs, blank, running total."""
        answered = self.answered_total()
        result = []
        for q in self.questions:
            n = survey_rules.option_count(q.scale)
            names = [f"q_{q.code}_{i}" for i in range(1, n + 1)] + [f"q_{q.code}_blank"]
            values = [self._value(name) for name in names]
            total = sum(v or 0 for v in values if isinstance(v, int))
            entered = any(v is not None for v in values)
            result.append(
                {
                    "question": q,
                    "options": [self[name] for name in names[:-1]],
                    "blank": self[names[-1]],
                    "total": total,
                    "answered": answered,
                    "entered": entered,
                    "matches": total == answered,
                    "errors": self.question_errors.get(q.code, []),
                }
            )
        return result
