"""Validators for identifiers and free text.

Only aggregate counts may enter the service, so free text is refused when it holds something that
looks like a Swedish personal identity number (personnummer) or coordination number
(samordningsnummer, whose day is the birth day plus 60).
"""

import calendar
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ORG_NUMBER = re.compile(r"^\d{6}-\d{4}$")
# A date of birth (with or without the century) and four digits, not part of a longer chain of
# digits or digit groups joined by dots, dashes or commas (IBANs, date ranges, versions, decimals).
# The date's parts may be separated by a dash, dot or space; the last four digits by -, +, . or
# up to two whitespace characters (a line break). Which of these count: find_identity_numbers.
_IDENTITY = {
    century: re.compile(
        r"(?<!\d)(?<!\d[-.,])"
        + (r"(?P<century>\d{2})" if century else "")
        + r"(?P<yy>\d{2})(?P<s1>[-. ]?)(?P<mm>\d{2})(?P<s2>[-. ]?)(?P<dd>\d{2})"
        r"(?P<sep>\s{0,2}[-+.]?\s{0,2})(?P<tail>\d{4})(?![-.,]?\d)"
    )
    for century in (True, False)
}
# Dashes outside Unicode's dash punctuation (Pd) that people type as one: the minus signs.
_MINUS_SIGNS = {"\u2212", "\u2796", "\u02d7"}


def normalise_text(text: str) -> str:
    """``text`` as the personal-data check reads it: NFKC (full-width digits, non-breaking
    spaces), every dash as ``-`` and invisible format characters (zero-width space, soft hyphen,
    direction marks) dropped, so that none of them hides a number."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(
        "-" if unicodedata.category(char) == "Pd" or char in _MINUS_SIGNS else char
        for char in text
        if unicodedata.category(char) != "Cf"
    )


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
    """Every substring of the normalised ``text`` (:func:`normalise_text`) that looks like a
    personal identity or coordination number.

    A real date (a coordination number's day is the birth day plus 60) and four digits count
    when written ``YYMMDD-NNNN`` or ``YYYYMMDD+NNNN`` (a dash or plus, perhaps with spaces around
    it) whatever the check digit, so that a mistyped number is refused too. Every other way of
    writing it (no separator, a space or dot before the last four, a space, dot or dash inside
    the date) counts only when the check digit is valid, so that ordinary long numbers pass; and
    a date written with dashes or dots (``1957-07-30``) counts only when a dash, plus or dot
    leads to the last four, so that a date followed by a time or amount passes.
    """
    text = _mask_ibans(normalise_text(text))
    found, seen = [], set()
    for pattern in _IDENTITY.values():
        for match in pattern.finditer(text):
            if match.start() in seen or not _is_identity_number(match):
                continue
            seen.add(match.start())
            found.append((match.start(), match.group(0).strip()))
    return [value for _start, value in sorted(found)]


def _is_identity_number(match: re.Match) -> bool:
    parts = match.groupdict()
    century, yy, mm, dd = parts.get("century"), parts["yy"], parts["mm"], parts["dd"]
    month, day = int(mm), int(dd)
    if not 1 <= month <= 12:
        return False
    if day > 60:  # a coordination number: the birth day plus 60
        day -= 60
    if century and century not in ("18", "19", "20"):
        return False
    # Without a century the year is unknown, so 29 February is allowed (some leap year).
    year = int(f"{century}{yy}") if century else 2000
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    separator = parts["sep"].strip()
    date_separators = (parts["s1"] + parts["s2"]).strip()
    if date_separators and not separator:
        return False
    checked = luhn_valid(f"{yy}{mm}{dd}{parts['tail']}")
    if separator in ("-", "+") and not parts["s1"] and not parts["s2"]:
        return True
    return checked


# An IBAN: country, two check digits and up to 30 letters or digits, printed in groups of four.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")


def _mask_ibans(text: str) -> str:
    """``text`` with every IBAN whose check digits are valid (ISO 13616, mod 97) blanked out: an
    account of an organisation, whose groups of digits would otherwise look like a phone number."""

    def mask(match: re.Match) -> str:
        iban = match.group(0).replace(" ", "")
        digits = "".join(str(int(char, 36)) for char in iban[4:] + iban[:4])
        return "IBAN" if int(digits) % 97 == 1 else match.group(0)

    return _IBAN.sub(mask, text)


def validate_no_personal_data(value: str) -> None:
    """Refuse free text that contains a personal identity or coordination number, an e-mail
    address or a phone number (see :func:`find_personal_data`)."""
    message = personal_data_message(value)
    if message:
        raise ValidationError(message, code="personal_data")


# --- e-mail addresses, phone numbers and a combined check ---------------------------------------

_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
# Swedish numbers: +46 / 0046 / 0, an area code and subscriber number of 7 to 10 digits in all,
# grouped with spaces or hyphens ("070-123 45 67", "+46 (0)19-12 34 56", "08-123 456 78"); never the
# end of a chain of digit groups such as a date range ("2022-10-02–2022-12-31").
_PHONE = re.compile(r"(?<![\w+])(?<!\d[-.])(?:(?:\+|00)46\s*(?:\(0\))?[\s-]?|0)[1-9](?:[\s-]?\d){5,9}(?![\d-])")
# An ordinary date written day-month-year looks like a phone number to the pattern above.
_DATE_DMY = re.compile(r"^\d{2}-\d{2}-\d{4}$")


def find_email_addresses(text: str) -> list[str]:
    """Every e-mail address in ``text``."""
    return _EMAIL.findall(normalise_text(text))


def find_phone_numbers(text: str) -> list[str]:
    """Every Swedish phone number in ``text`` (national or international form).

    Organisation numbers (``222000-2279``), amounts and ISO dates do not start with ``0`` or
    ``+46`` and so never match; a ``dd-mm-yyyy`` date is left out explicitly.
    """
    found = []
    for match in _PHONE.finditer(_mask_ibans(normalise_text(text))):
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
