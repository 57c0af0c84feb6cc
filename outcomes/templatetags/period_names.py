"""``{{ period|period_name }}``: a period as people read it ("kvartal 3 2024", "maj 2024").

Every page writes period names through this one filter; the rule itself is
:func:`outcomes.periods.period_name`.
"""

from django import template

from outcomes import periods
from outcomes.periods import Period, PeriodError, PeriodRange

register = template.Library()


@register.filter
def period_name(value) -> str:
    """A Period, a range or a period code; anything that is not a period is shown as it is."""
    try:
        period = value if isinstance(value, (Period, PeriodRange)) else periods.parse_span(str(value))
    except PeriodError:
        return str(value)
    return periods.period_name(period)
