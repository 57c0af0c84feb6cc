"""Swedish number formats for the summary pages: "2 403 500", "46 %", "46 % (26/57)"."""

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from reports.goals import kinds
from reports.shares import Share, share_text_for_goal

register = template.Library()


@register.filter
def grouped(value):
    """A whole number with the language's thousands separator (Swedish: a non-breaking space);
    "–" when missing."""
    if value is None or value == "":
        return "–"
    return number_format(int(value), force_grouping=True)


@register.filter
def percent(share):
    """The whole percent of a :class:`~reports.shares.Share`, or "–" without a denominator."""
    if share is None or share.percent is None:
        return "–"
    return f"{share.percent}\u00a0%"


@register.filter
def in_sentence(label: str) -> str:
    """``reports.summaries.charts.in_sentence``: a label inside a sentence, acronyms kept."""
    from reports.summaries.charts import in_sentence as written_in_sentence

    return written_in_sentence(str(label))


@register.filter
def goal_share_text(goal) -> str:
    """A share goal's result as :func:`reports.shares.share_text_for_goal` writes it (decimals
    where the whole percent would contradict the light); ``goal`` a
    :class:`reports.goals.selectors.PeriodResult`."""
    text = share_text_for_goal(
        Share(int(goal.numerator), int(goal.denominator)), target=goal.target, comparator=goal.comparator
    )
    return mark_safe(text.replace(" %", "&nbsp;%"))  # noqa: S308 - digits, commas and spaces only


@register.filter
def share_text(share):
    """ "46 % (26/57)", or "–" without a denominator."""
    return "–" if share is None else str(share)


@register.simple_tag
def export_retention_days():
    """How many days a finished export file is kept (``EXPORT_FILE_RETENTION_DAYS``)."""
    return settings.EXPORT_FILE_RETENTION_DAYS


@register.filter
def goal_target(goal):
    """A goal result's target as the registry writes it: "minst 50 %", "högst 12,5 %", "minst 30"
    (:func:`reports.goals.kinds.target_text`; ``goal`` a :class:`reports.goals.selectors.PeriodResult`)."""
    return kinds.target_text(goal.kind, goal.comparator, goal.target, decimal_comma=True)


@register.filter
def goal_target_number(goal):
    """Only the number of :func:`goal_target`, a share's kept on one line with its sign: "50&nbsp;%"."""
    number = kinds.target_number(goal.kind, goal.target, decimal_comma=True, percent_sign="")
    return format_html("{}&nbsp;%", number) if kinds.is_share(goal.kind) else number
