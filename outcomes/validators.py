"""Validators for identifiers and free text.

Only aggregate counts may enter the service, so free text is refused when it holds something that
looks like a Swedish personal identity number (personnummer) or coordination number
(samordningsnummer, whose day is the birth day plus 60).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ORG_NUMBER = re.compile(r"^\d{6}-\d{4}$")
# 10 or 12 digits, optionally with a separator before the last four; not part of a longer number.
_IDENTITY = re.compile(r"(?<![\d-])(?:(\d{2}))?(\d{2})(\d{2})(\d{2})\s?([-+]?)\s?(\d{4})(?![\d])")


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by Swedish identity and organisation numbers."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def validate_org_number(value: str) -> None:
    """An organisation number: ``NNNNNN-NNNN`` with a valid check digit."""
    if not _ORG_NUMBER.match(value or "") or not luhn_valid(value.replace("-", "")):
        raise ValidationError(
            _("Organisationsnumret ska skrivas NNNNNN-NNNN med giltig kontrollsiffra, till exempel 222000-2279."),
            code="invalid_org_number",
        )


def find_identity_numbers(text: str) -> list[str]:
    """Every substring of ``text`` that looks like a personal identity or coordination number.

    A date-like part (month 01–12, day 01–31 or 61–91) followed by four digits counts when it is
    written with a separator (``-`` or ``+``) whatever the check digit, and without a separator
    only when the check digit is valid, so that ordinary long numbers are not refused.
    """
    found = []
    for match in _IDENTITY.finditer(text or ""):
        _century, yy, mm, dd, separator, tail = match.groups()
        month, day = int(mm), int(dd)
        if not 1 <= month <= 12:
            continue
        if not (1 <= day <= 31 or 61 <= day <= 91):
            continue
        if separator or luhn_valid(f"{yy}{mm}{dd}{tail}"):
            found.append(match.group(0).strip())
    return found


def validate_no_personal_data(value: str) -> None:
    """Refuse free text that contains a personal identity or coordination number."""
    if find_identity_numbers(value):
        raise ValidationError(
            _(
                "Texten innehåller något som liknar ett personnummer eller samordningsnummer. "
                "Ta bort det: tjänsten får bara innehålla avidentifierade antal."
            ),
            code="personal_data",
        )
