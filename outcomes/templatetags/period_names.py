"""``{{ period|period_name }}``: a period as people read it ("kvartal 3 2024", "maj 2024").

Every page writes period names through this one filter. Issue 17 brings the function that holds
the rule, ``outcomes.periods.period_name``; when it lands, ``_name`` below is replaced by it (one
line) and the interim table here goes.
"""

from django import template

from outcomes.periods import Period, PeriodError

register = template.Library()

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def _name(period: Period) -> str:  # interim: becomes outcomes.periods.period_name (issue 17)
    if period.kind == "Y":
        return f"helåret {period.year}"
    if period.kind == "H":
        return f"{('första', 'andra')[period.number - 1]} halvåret {period.year}"
    if period.kind == "Q":
        return f"kvartal {period.number} {period.year}"
    if period.first_month == period.last_month:
        return f"{MONTHS[period.first_month - 1]} {period.year}"
    return f"{MONTHS[period.first_month - 1]}–{MONTHS[period.last_month - 1]} {period.year}"


@register.filter
def period_name(value) -> str:
    """A Period or a period code; anything that is not a period is shown as it is."""
    try:
        period = value if isinstance(value, Period) else Period.parse(str(value))
    except PeriodError:
        return str(value)
    return _name(period)
