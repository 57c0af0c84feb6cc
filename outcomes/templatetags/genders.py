"""The gender column headings for templates, from :data:`outcomes.counts.GENDER_HEADINGS`."""

from django import template

from outcomes.counts import GENDER_HEADINGS, GENDERS

register = template.Library()


@register.simple_tag
def gender_headings() -> list:
    """The headings of the count columns in their order: Kvinnor, Män, Annan/ej angivet."""
    return [GENDER_HEADINGS[g] for g in GENDERS]
