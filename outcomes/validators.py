"""Validators for identifiers and free text.

Only aggregate counts may enter the service, so free text is refused when it holds something that
looks like a Swedish personal identity number (personnummer) or coordination number
(samordningsnummer, whose day is the birth day plus 60).
"""

import calendar
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

    A real date (a coordination number's day is the birth day plus 60) followed by four digits counts when it is
    written with a separator (``-`` or ``+``) whatever the check digit, and without a separator
    only when the check digit is valid, so that ordinary long numbers are not refused.
    """
    found = []
    for match in _IDENTITY.finditer(text or ""):
        _century, yy, mm, dd, separator, tail = match.groups()
        month, day = int(mm), int(dd)
        if not 1 <= month <= 12:
            continue
        if day > 60:  # a coordination number: the birth day plus 60
            day -= 60
        if _century and _century not in ("18", "19", "20"):
            continue
        # Without a century the year is unknown, so 29 February is allowed (some leap year).
        year = int(f"{_century}{yy}") if _century else 2000
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            continue
        if separator or luhn_valid(f"{yy}{mm}{dd}{tail}"):
            found.append(match.group(0).strip())
    return found


def validate_no_personal_data(value: str) -> None:
    """Refuse free text that contains a personal identity or coordination number, an e-mail
    address or a phone number (see :func:`find_personal_data`)."""
    message = personal_data_message(value)
    if message:
        raise ValidationError(message, code="personal_data")


# --- e-mail addresses, phone numbers and a combined check (issue 3: web forms) ------------------

_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
# Swedish numbers: +46 / 0046 / 0, an area code and subscriber number of 7 to 10 digits in all,
# grouped with spaces or hyphens ("070-123 45 67", "+46 (0)19-12 34 56", "08-123 456 78").
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)46\s*(?:\(0\))?[\s-]?|0)[1-9](?:[\s-]?\d){5,9}(?![\d-])")
# An ordinary date written day-month-year looks like a phone number to the pattern above.
_DATE_DMY = re.compile(r"^\d{2}-\d{2}-\d{4}$")


def find_email_addresses(text: str) -> list[str]:
    """Every e-mail address in ``text``."""
    return _EMAIL.findall(text or "")


def find_phone_numbers(text: str) -> list[str]:
    """Every Swedish phone number in ``text`` (national or international form).

    Organisation numbers (``222000-2279``), amounts and ISO dates do not start with ``0`` or
    ``+46`` and so never match; a ``dd-mm-yyyy`` date is left out explicitly.
    """
    found = []
    for match in _PHONE.finditer(text or ""):
        value = match.group(0).strip()
        if not _DATE_DMY.match(value):
            found.append(value)
    return found


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """What in ``text`` points to a person: ``(kind, substring)`` pairs, where ``kind`` is
    ``identity_number``, ``email`` or ``phone``. Empty when the text is fine.
    """
    found = [("identity_number", value) for value in find_identity_numbers(text)]
    found += [("email", value) for value in find_email_addresses(text)]
    identity = {value for _kind, value in found}
    found += [("phone", value) for value in find_phone_numbers(text) if value not in identity]
    return found


def personal_data_message(text: str) -> str | None:
    """A Swedish message naming what was found and why it is refused; ``None`` when nothing was."""
    found = find_personal_data(text)
    if not found:
        return None
    names = {
        "identity_number": _("ett personnummer eller samordningsnummer"),
        "email": _("en e-postadress"),
        "phone": _("ett telefonnummer"),
    }
    kinds = []
    for kind, _value in found:
        if names[kind] not in kinds:
            kinds.append(names[kind])
    return _(
        "Texten innehåller %(what)s (”%(example)s”). Tjänsten får bara innehålla avidentifierade "
        "antal, aldrig uppgifter som pekar ut en person. Ta bort det och spara igen."
    ) % {"what": _(" och ").join(kinds), "example": found[0][1]}
