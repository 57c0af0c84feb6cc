"""Indicator-survey figures and rules of DOMAIN.md ("Indicator surveys"), written once.

Pure functions over answer distributions: no database. The services, the selectors, the API, the
web form and the indicator goals all call this module, so a figure is computed the same way
everywhere.

A distribution is the count of each answer option, least to most positive (six for the six-step
scales, ``[no, yes]`` for yes/no questions), plus the blank answers counted apart. Blank answers are
left out of every share's denominator and of the mean.

Figures per question:

* ``positive``: the three most positive options over all non-blank answers;
* ``clearly_positive``: the two most positive options;
* ``key_figure``: the network's key figure, the clearly positive share except for the indicators
  in :data:`KEY_FIGURE_POSITIVE_INDICATORS` (indicator 7, "more ready for work or studies"), where
  all three positive options count;
* ``yes``: share yes, only for yes/no questions (the three six-step figures do not apply to them,
  and ``yes`` does not apply to six-step questions);
* ``mean``: the mean on the 1–6 scale (six-step questions only).

A figure over an indicator pools the answers of its questions: numerators and denominators are
summed over the questions the figure applies to. Shares are kept as exact numerator/denominator
pairs; people see whole percents rounded half up, the API a percent with one decimal. A zero
denominator has no value (``no_data``), never a division error."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.catalog.models import RespondentGroup
from outcomes.counts import GENDER_LABELS, GENDERS
from outcomes.shares import GREEN, NO_DATA, RED, YELLOW, Share, round_half_up
from outcomes.violations import NEGATIVE_COUNT, RuleViolation

SIX_STEP_SCALES = ("frequency6", "extent6")


YES_NO = "yes_no"


SCALE_OPTIONS = {
    "frequency6": (
        gettext_lazy("Aldrig"),
        gettext_lazy("Sällan"),
        gettext_lazy("Ibland"),
        gettext_lazy("Ofta"),
        gettext_lazy("För det mesta"),
        gettext_lazy("Alltid"),
    ),
    "extent6": (
        gettext_lazy("Inte alls"),
        gettext_lazy("Till liten del"),
        gettext_lazy("Delvis"),
        gettext_lazy("Till stor del"),
        gettext_lazy("Till mycket stor del"),
        gettext_lazy("Helt och hållet"),
    ),
    YES_NO: (gettext_lazy("Nej"), gettext_lazy("Ja")),
}


POSITIVE, CLEARLY_POSITIVE, KEY_FIGURE, YES, MEAN = "positive", "clearly_positive", "key_figure", "yes", "mean"


SHARE_FIGURES = (POSITIVE, CLEARLY_POSITIVE, KEY_FIGURE, YES)


FIGURE_LABELS = {
    POSITIVE: gettext_lazy("Andel positiva"),
    CLEARLY_POSITIVE: gettext_lazy("Andel tydligt positiva"),
    KEY_FIGURE: gettext_lazy("Nyckeltal"),
    YES: gettext_lazy("Andel ja"),
    MEAN: gettext_lazy("Medelvärde"),
}


#: Respondent groups whose surveys belong to the association rather than to an intervention.
ASSOCIATION_GROUPS = frozenset({"managers", "board"})


INTERVENTION_GROUPS = frozenset({"participant_ongoing", "participant_exit", "staff", "referrers"})


LIGHT_LABELS = {
    GREEN: gettext_lazy("högre"),
    YELLOW: gettext_lazy("lika"),
    RED: gettext_lazy("lägre"),
    NO_DATA: gettext_lazy("uppgift saknas"),
}


# Rule codes (stable, English) of survey input.
ANSWERS_SUM = "answers_sum"


ANSWERED_EXCEEDS_INVITED = "answered_exceeds_invited"


COUNTS_LENGTH = "counts_length"


UNKNOWN_QUESTION = "unknown_question"


UNKNOWN_GROUP = "unknown_group"


DUPLICATE_QUESTION = "duplicate_question"


AVERAGE_RANGE = "average_range"


def _key_figure_positive_indicators() -> frozenset[int]:
    """Indicators whose key figure is the positive share, as the shipped catalog marks them."""
    catalog = json.loads(resources.files("outcomes").joinpath("catalog", "survey_questions.json").read_text("utf-8"))
    return frozenset(i["number"] for i in catalog["indicators"] if i.get("key_figure") == POSITIVE)


#: Indicator 7 ("more ready for work or studies") in the network's catalog.
KEY_FIGURE_POSITIVE_INDICATORS = _key_figure_positive_indicators()


def option_count(scale: str) -> int:
    return 2 if scale == YES_NO else 6


def figure_applies(figure: str, scale: str) -> bool:
    """Whether ``figure`` can be computed for a question on ``scale``: ``yes`` for yes/no
    questions only, the six-step figures (and the mean) for six-step questions only."""
    return (figure == YES) == (scale == YES_NO)


def headline_figure(scale: str) -> str:
    """The figure tables and comparisons show for a question on ``scale``: share yes for yes/no
    questions, else the key figure."""
    return YES if scale == YES_NO else KEY_FIGURE


@dataclass(frozen=True)
class Distribution:
    """The answers to one question: ``counts`` least to most positive, and ``blank`` apart.

    ``indicator`` is the national indicator the question feeds (it decides the key figure).
    """

    scale: str
    counts: tuple[int, ...]
    blank: int = 0
    indicator: int | None = None

    @property
    def answered(self) -> int:
        """Non-blank answers: the denominator of every share."""
        return sum(self.counts)

    @property
    def total(self) -> int:
        """Everyone who answered the survey: non-blank plus blank."""
        return self.answered + self.blank

    @property
    def is_yes_no(self) -> bool:
        return self.scale == YES_NO

    def share(self, figure: str) -> Share | None:
        """The ratio of ``figure`` for this question, or ``None`` when the figure does not apply.

        Six-step questions have ``positive``, ``clearly_positive`` and ``key_figure``; yes/no
        questions have ``yes``. No answers give a ratio with a zero denominator (``no_data``).
        """
        if figure not in SHARE_FIGURES:
            raise ValueError(f"unknown figure {figure!r}")
        if not figure_applies(figure, self.scale):
            return None
        if self.is_yes_no:
            return Share(self.counts[1], self.answered)
        if figure == KEY_FIGURE:
            figure = POSITIVE if self.indicator in KEY_FIGURE_POSITIVE_INDICATORS else CLEARLY_POSITIVE
        top = 3 if figure == POSITIVE else 2
        return Share(sum(self.counts[-top:]), self.answered)

    @property
    def mean(self) -> Decimal | None:
        """The mean on the 1–6 scale with two decimals; ``None`` for yes/no or without answers."""
        if self.is_yes_no or not self.answered:
            return None
        weighted = sum((step + 1) * count for step, count in enumerate(self.counts))
        return round_half_up(weighted, self.answered, "0.01")

    @property
    def headline(self) -> str:
        """The figure tables and comparisons show (:func:`headline_figure`)."""
        return headline_figure(self.scale)


def pooled(distributions: Iterable[Distribution], figure: str) -> Share | None:
    """``figure`` over the pooled answers of several questions (an indicator).

    Sums numerators and denominators over the questions the figure applies to; ``None`` when it
    applies to none of them (for example ``yes`` over six-step questions only).
    """
    shares = [s for s in (d.share(figure) for d in distributions) if s is not None]
    if not shares:
        return None
    total = Share(0, 0)
    for share in shares:
        total = total + share
    return total


def pooled_mean(distributions: Iterable[Distribution]) -> Decimal | None:
    """The 1–6 mean over the pooled non-blank answers of the six-step questions."""
    six = [d for d in distributions if not d.is_yes_no]
    answered = sum(d.answered for d in six)
    if not answered:
        return None
    weighted = sum((step + 1) * c for d in six for step, c in enumerate(d.counts))
    return round_half_up(weighted, answered, "0.01")


def response_rate(*, invited: int, answered: int) -> Share:
    """Answered over invited (no invited: ``no_data``). Non-response is ``invited - answered``."""
    return Share(answered, invited)


def light(value: int | None, reference: int | Decimal | float | None) -> str:
    """Compare a whole-percent figure with a reference (national average or the year before).

    Both sides are compared as whole percents (the reference rounded half up): red when the figure
    is lower, yellow when equal, green when higher, ``no_data`` when either is missing.
    """
    if value is None or reference is None:
        return NO_DATA
    reference = int(round_half_up(Decimal(str(reference))))
    if value < reference:
        return RED
    return YELLOW if value == reference else GREEN


@dataclass(frozen=True)
class AnswerInput:
    question: str
    counts: Sequence[int]
    blank: int = 0


@dataclass(frozen=True)
class SurveyInput:
    """What a writer sends for one survey: invited, answered per gender and the answers."""

    invited: int
    answered: Mapping[str, int]
    answers: Sequence[AnswerInput] = ()

    @property
    def answered_total(self) -> int:
        return sum(int(self.answered.get(g) or 0) for g in GENDERS)


def check_survey(data: SurveyInput, *, questions: Mapping[str, object], group: str) -> list[RuleViolation]:
    """Every rule the survey input breaks; an empty list means it may be stored.

    ``questions`` maps the codes that may be answered in this respondent group to objects with a
    ``scale`` (catalog questions). Rules: no negative number; answered never more than invited;
    per question the option counts plus blank equal the number who answered; the number of
    options fits the scale; every question known, of this group and given once. Fields are named
    as in the API body (``answers[2].counts``).
    """
    violations: list[RuleViolation] = []

    def negative(field: str, label: str) -> None:
        violations.append(
            RuleViolation(NEGATIVE_COUNT, field, _("%(label)s får inte vara negativt.") % {"label": label})
        )

    if data.invited < 0:
        negative("invited", _("Antal tillfrågade"))
    for gender in GENDERS:
        if int(data.answered.get(gender) or 0) < 0:
            negative(f"answered.{gender}", _("Antal svarande (%(g)s)") % {"g": GENDER_LABELS[gender]})
    answered = data.answered_total
    if answered > data.invited >= 0:
        violations.append(
            RuleViolation(
                ANSWERED_EXCEEDS_INVITED,
                "answered",
                _("%(answered)s har svarat men bara %(invited)s tillfrågades. Fler kan inte svara än som tillfrågats.")
                % {"answered": answered, "invited": data.invited},
            )
        )

    seen: set[str] = set()
    for index, answer in enumerate(data.answers):
        field = f"answers[{index}]"
        question = questions.get(answer.question)
        if question is None:
            violations.append(
                RuleViolation(
                    UNKNOWN_QUESTION,
                    f"{field}.question",
                    _("Okänd fråga ”%(code)s” för respondentgruppen %(group)s.")
                    % {"code": answer.question, "group": group},
                )
            )
            continue
        if answer.question in seen:
            violations.append(
                RuleViolation(
                    DUPLICATE_QUESTION,
                    f"{field}.question",
                    _("Frågan ”%(code)s” förekommer två gånger.") % {"code": answer.question},
                )
            )
            continue
        seen.add(answer.question)
        expected = option_count(question.scale)
        if len(answer.counts) != expected:
            violations.append(
                RuleViolation(
                    COUNTS_LENGTH,
                    f"{field}.counts",
                    _("Frågan ”%(code)s” har %(expected)s svarsalternativ men %(got)s antal angavs.")
                    % {"code": answer.question, "expected": expected, "got": len(answer.counts)},
                )
            )
            continue
        bad = [i for i, c in enumerate(answer.counts) if c < 0]
        for i in bad:
            negative(f"{field}.counts[{i}]", _("Antal svar på fråga %(code)s") % {"code": answer.question})
        if answer.blank < 0:
            negative(f"{field}.blank", _("Antal blanka svar på fråga %(code)s") % {"code": answer.question})
        if bad or answer.blank < 0:
            continue
        total = sum(answer.counts) + answer.blank
        if total != answered:
            violations.append(
                RuleViolation(
                    ANSWERS_SUM,
                    f"{field}.counts",
                    _(
                        "Svaren på fråga ”%(code)s” (alternativ och blanka) summerar till %(total)s men "
                        "%(answered)s har svarat på enkäten."
                    )
                    % {"code": answer.question, "total": total, "answered": answered},
                )
            )
    return violations


def check_group(group: str, *, for_intervention: bool) -> list[RuleViolation]:
    """The group must be a known respondent group, and board and managers belong to the
    association while every other group belongs to an intervention (``unknown_group``)."""
    if group not in RespondentGroup.values:
        return [RuleViolation(UNKNOWN_GROUP, "group", _("Okänd respondentgrupp ”%(group)s”.") % {"group": group})]
    if for_intervention and group in ASSOCIATION_GROUPS:
        return [
            RuleViolation(
                UNKNOWN_GROUP,
                "group",
                _("Respondentgruppen ”%(group)s” hör till förbundet, inte till en insats.") % {"group": group},
            )
        ]
    if not for_intervention and group not in ASSOCIATION_GROUPS:
        return [
            RuleViolation(
                UNKNOWN_GROUP,
                "group",
                _("Respondentgruppen ”%(group)s” hör till en insats, inte till förbundet.") % {"group": group},
            )
        ]
    return []


def check_national_average(code: str, value) -> RuleViolation | None:
    """A national average is a percent from 0 to 100."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or not 0 <= number <= 100:
        return RuleViolation(
            AVERAGE_RANGE,
            code,
            _("Rikssnittet för ”%(code)s” ska vara en procentsats mellan 0 och 100.") % {"code": code},
        )
    return None
