"""The personal-data check measured on a generated corpus (issue 12, items 3 and 4).

Every valid personnummer and samordningsnummer, in six formats and a dozen contexts, must be
refused; every organisation number, IBAN, bankgiro and plusgiro number, invoice number, date,
amount and postal code must pass. The corpus is generated from a fixed seed, so every run checks
the same strings. :mod:`tests.outcomes.test_personal_data_entry_points` sends a sample of it
through every real free-text entry point.
"""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError

from outcomes.validators import find_personal_data, luhn_valid, validate_no_personal_data

SEED = 20240730


# --- the numbers that must be refused -----------------------------------------------------------


def _check_digit(nine: str) -> str:
    return next(str(d) for d in range(10) if luhn_valid(nine + str(d)))


def _identity_numbers(count: int) -> list[dict]:
    """``count`` valid numbers: every third a samordningsnummer (day + 60), some born before 1925
    (written with ``+`` in the ten-digit form, as for everyone who has turned 100)."""
    rng = random.Random(SEED)
    numbers = []
    while len(numbers) < count:
        old = len(numbers) % 7 == 0
        born = dt.date(rng.randint(1890, 1924), 1, 1) if old else dt.date(rng.randint(1925, 2024), 1, 1)
        born += dt.timedelta(days=rng.randrange(365))
        day = born.day + 60 if len(numbers) % 3 == 0 else born.day
        date = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
        serial = f"{rng.randrange(1000):03d}"
        numbers.append(
            {
                "century": f"{born.year // 100}",
                "date": date,
                "tail": serial + _check_digit(date + serial),
                "separator": "+" if old else "-",
            }
        )
    return numbers


def _formats(n: dict, index: int) -> list[str]:
    """The six ways a number is written: ten or twelve digits, with or without a separator, with
    a space or an en dash, and with the date written out."""
    century, date, tail, separator = n["century"], n["date"], n["tail"], n["separator"]
    full = century + date
    spaced = " " if index % 2 else "\u2013"  # a space or an en dash
    written = "-" if index % 2 else "."
    return [
        f"{date}{separator}{tail}",
        f"{full}{tail}",
        f"{date}{tail}",
        f"{full}-{tail}",
        f"{date}{spaced}{tail}",
        written.join([full[:4], full[4:6], full[6:], tail]),
    ]


def _insert(text: str, position: int, char: str) -> str:
    return text[:position] + char + text[position:]


CONTEXTS = [
    ("alone", lambda n: n),
    ("at the start", lambda n: f"{n} slutade i mars."),
    ("at the end", lambda n: f"Deltagaren har nummer {n}"),
    ("in a sentence", lambda n: f"Vi träffade {n} som sedan gick till arbete."),
    ("after ref-", lambda n: f"ref-{n}"),
    ("in parentheses", lambda n: f"En deltagare ({n}) avslutade."),
    ("after a colon", lambda n: f"Pnr:{n}"),
    ("with a zero-width space", lambda n: _insert(n, 4, "\u200b")),
    ("with a non-breaking hyphen", lambda n: n.replace("-", "\u2011")),
    ("with a minus sign", lambda n: n.replace("-", "\u2212")),
    ("on a line of its own", lambda n: f"Första raden\n{n}\nsista raden"),
    ("broken over two lines", lambda n: f"{n[:-4]}\r\n{n[-4:]}"),
    ("with a space inside the date", lambda n: _insert(n, 4, " ") if n[4:6].isdigit() else n),
    ("after a non-breaking space", lambda n: f"Nr\u00a0{n}, se bilaga"),
    ("in full-width digits", lambda n: n.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})),
]

NUMBERS = _identity_numbers(210)
MUST_REFUSE = [
    (context, context_of(written))
    for index, number in enumerate(NUMBERS)
    for written in _formats(number, index)
    for context, context_of in CONTEXTS
]


# --- what must pass -----------------------------------------------------------------------------


def _org_number(rng: random.Random) -> str:
    """A valid organisation number: the third digit is at least 2, so it is never a date."""
    nine = f"{rng.choice('25789')}{rng.randrange(10)}{rng.randint(2, 9)}{rng.randrange(10**6):06d}"
    return f"{nine[:6]}-{nine[6:]}{_check_digit(nine)}"


def _iban(rng: random.Random) -> str:
    """A Swedish IBAN with valid check digits, grouped by four as it is printed."""
    bban = f"{rng.choice(['500', '800', '600', '300', '120'])}{rng.randrange(10**17):017d}"
    check = 98 - int(bban + "281400") % 97  # S = 28, E = 14, then 00
    iban = f"SE{check:02d}{bban}"
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _must_pass() -> list[str]:
    rng = random.Random(SEED + 1)
    strings = []
    for _ in range(30):
        org = _org_number(rng)
        strings += [org, f"Organisationsnummer {org} hör till kommunen", f"16{org}"]
    for _ in range(20):
        iban = _iban(rng)
        strings += [iban, f"Betala till IBAN {iban.replace(' ', '')}"]
    for _ in range(15):
        bankgiro = f"{rng.randint(100, 9999)}-{rng.randrange(10**4):04d}"
        plusgiro = f"{rng.randrange(10**5, 10**6)}-{rng.randrange(10)}"
        strings += [f"Bankgiro {bankgiro}", f"Plusgiro {plusgiro}"]
    for _ in range(15):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000))
        strings += [
            f"Möte {day.isoformat()} kl 13.00",
            f"Perioden {day.isoformat()}–{(day + dt.timedelta(days=90)).isoformat()}",
            f"Insatsen startade {day:%d-%m-%Y}",
            f"Beslut {day:%d.%m.%Y}",
        ]
    for _ in range(15):
        invoice = rng.randrange(10**5, 10**7)
        strings += [f"Faktura nr {invoice}", f"Fakturanummer F{day.year}-{rng.randrange(10**5):05d}"]
    for _ in range(15):
        amount = rng.randrange(10**3, 10**8)
        strings += [f"Förbrukat {amount} kr", f"Budget {amount:,} kronor".replace(",", " "), f"{amount},50 kr"]
    for _ in range(10):
        postal = f"{rng.randint(100, 989)} {rng.randrange(100):02d}"
        strings += [f"Storgatan 1, {postal} Örebro", f"Postnummer {postal.replace(' ', '')}"]
    strings += [
        "",
        "Fem deltagare gick till arbete under kvartalet.",
        "Rapporten avser 2024Q3 och 2024M05.",
        "Andelen var 45 % (5/11)",
        "Ärende 2024-0456",
        "Dnr 2024-000123",
        "Version 1.2.3 av mallen",
        "Kod 46-12 i katalogen",
        "Lokalhyra 45000 kr per kvartal",
        "Avslutade 4 (2 kvinnor, 2 män)",
    ]
    return strings


MUST_PASS = _must_pass()


def test_the_corpus_has_the_size_the_issue_asks_for():
    assert len(NUMBERS) >= 200
    assert len({n["date"] + n["tail"] for n in NUMBERS}) == len(NUMBERS)
    assert sum(int(n["date"][4:6]) > 60 for n in NUMBERS) >= 60  # samordningsnummer
    assert {n["separator"] for n in NUMBERS} == {"-", "+"}
    assert len(CONTEXTS) >= 12 and len(MUST_REFUSE) == len(NUMBERS) * 6 * len(CONTEXTS)
    assert len(MUST_PASS) >= 140


def test_every_valid_identity_number_is_refused_however_and_wherever_it_is_written():
    missed = [(context, text) for context, text in MUST_REFUSE if not find_personal_data(text)]
    rate = 1 - len(missed) / len(MUST_REFUSE)
    print(f"refused {len(MUST_REFUSE) - len(missed)} of {len(MUST_REFUSE)} ({rate:.2%})")
    assert missed == []


def test_no_organisation_number_iban_giro_invoice_date_amount_or_postal_code_is_refused():
    refused = [(text, find_personal_data(text)) for text in MUST_PASS if find_personal_data(text)]
    print(f"falsely refused {len(refused)} of {len(MUST_PASS)} ({len(refused) / len(MUST_PASS):.2%})")
    assert refused == []


@pytest.mark.parametrize("index", range(0, len(MUST_REFUSE), 97))
def test_the_validator_refuses_each_with_the_personal_data_code_and_a_swedish_message(index):
    with pytest.raises(ValidationError) as error:
        validate_no_personal_data(MUST_REFUSE[index][1])
    assert error.value.code == "personal_data"
    assert "personnummer eller samordningsnummer" in error.value.messages[0]


# Twelve of them, spread over numbers, formats and contexts (1543 is a prime that does not divide the corpus size).
SAMPLE = [MUST_REFUSE[index * 1543 % len(MUST_REFUSE)][1] for index in range(12)] + [
    "Ring 070-123 45 67",
    "mejla anna.andersson@example.se",
]
