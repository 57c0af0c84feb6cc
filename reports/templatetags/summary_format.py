"""Swedish number formats for the summary pages: "2 403 500", "46 %", "46 % (26/57)"."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from reports.goals import kinds
from reports.shares import Share, share_text_for_goal

register = template.Library()


@register.filter
def grouped(value):
    """A whole number with a non-breaking space between thousands; "–" when missing."""
    if value is None or value == "":
        return "–"
    return f"{int(value):,}".replace(",", "\u00a0")


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
def goal_share_text(goal: dict) -> str:
    """A share goal's result as :func:`reports.shares.share_text_for_goal` writes it (decimals
    where the whole percent would contradict the light)."""
    text = share_text_for_goal(
        Share(int(goal["numerator"]), int(goal["denominator"])), target=goal["target"], comparator=goal["comparator"]
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
def is_share_goal(kind):
    """Whether goals of ``kind`` are shares in percent (the registry's word, :mod:`reports.goals.kinds`)."""
    return kinds.is_share(kind)
