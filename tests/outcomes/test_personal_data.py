"""The personal-data refusal of free text: a corpus of strings that must be refused and strings
that must pass, checked through the validator, the report service and the web form."""

import pytest
from django.core.exceptions import ValidationError

from outcomes.models import PeriodReport
from outcomes.tallies.errors import ReportError
from outcomes.tallies.services import report_save
from outcomes.validators import find_personal_data, validate_no_personal_data
from tests.conftest import report_input

REFUSED = [
    # personal identity numbers, 10 and 12 digits, with and without - or +
    "850312-1234",
    "Deltagaren 850312-1234 slutade",
    "19850312-1234",
    "198503121231",
    "8503121231",
    "850312+1234",
    "Född 19121212+1212 enligt underlaget",
    "121212-1212",
    "201212121212",
    "20121212-1212",
    "Personnummer: 640823-3234",
    "6408233234",
    "196408233234",
    "850312 - 1234",
    "(850312-1234)",
    "000229-1234",  # 29 February exists in 2000
    # coordination numbers: the day plus 60
    "850372-1235",
    "19850372-1235",
    "701063-2391",
    "7010632391",
    "samordningsnr 197010632391 har inte använts",
    # e-mail addresses
    "Kontakta anna.andersson@example.se för mer",
    "per@kommun.se",
    "A.B-C+tag@sub.domain.org",
    "skrev till kalle_k@gmail.com igår",
    # phone numbers
    "Ring 070-123 45 67",
    "0701234567",
    "+46 70 123 45 67",
    "+46701234567",
    "0046 70 123 45 67",
    "08-123 456 78",
    "019-12 34 56",
    "tel 031-7654321",
    "+46 (0)19-12 34 56",
]

ACCEPTED = [
    "",
    "Fem deltagare gick till arbete under kvartalet.",
    "Förbundets organisationsnummer är 222000-2279",
    "Organisationsnummer 212000-1868 hör till kommunen",
    "Förbrukat 1234567 kr",
    "Förbrukat 1 234 567 kr",
    "8503121234",  # no separator and the check digit is wrong: an ordinary number
    "Datum 2024-03-31",
    "Rapporten avser 2024Q3 och 2024M05.",
    "Vi hade 12 nya och 3 avslutade.",
    "Budget 2 500 000 kronor för 2025",
    "851332-1234",  # month 13 is no date
    "850230-1234",  # 30 February never exists
    "850292-1234",  # a coordination day of 30 February
    "850300-1234",  # day zero
    "Möte 2024-05-12 kl 13.00",
    "Insatsen startade 01-03-2024",
    "Andelen var 45 % (5/11)",
    "Sökte 10 st jobb, 3 intervjuer",
    "Referensnummer AB-123456",
    "Ärende 2024-0456",
    "Steget vidare @ Lindesberg",
    "Kommentar med @-tecken men ingen adress",
    "Telefonmöte hölls med Arbetsförmedlingen",
    "Kostnad per deltagare 23 400 kr",
    "Totalt 123456 kr",
    "Version 3 av rapporten",
    "Antal: 0 kvinnor, 0 män",
    "Avslutade 4 (2 kvinnor, 2 män)",
    "Sammanlagt 1000000 kr förbrukat",
    "Lokalhyra 45000 kr per kvartal",
    "Kod 46-12 i katalogen",
]


def test_the_corpus_is_large_enough():
    assert len(REFUSED) >= 30 and len(ACCEPTED) >= 30


@pytest.mark.parametrize("text", REFUSED)
def test_it_refuses_text_that_points_to_a_person(text):
    assert find_personal_data(text)
    with pytest.raises(ValidationError) as error:
        validate_no_personal_data(text)
    assert error.value.code == "personal_data"
    assert "avidentifierade" in error.value.messages[0]


@pytest.mark.parametrize("text", ACCEPTED)
def test_it_accepts_ordinary_text_and_numbers(text):
    assert find_personal_data(text) == []
    validate_no_personal_data(text)


def test_the_message_says_what_was_found_and_why():
    with pytest.raises(ValidationError) as error:
        validate_no_personal_data("Ring 070-123 45 67 eller anna@example.se")
    message = error.value.messages[0]
    assert "telefonnummer" in message and "e-postadress" in message and "avidentifierade" in message


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Deltagare 19850312-1234", "mejla anna@example.se", "ring 070-123 45 67"])
def test_a_report_with_personal_data_in_the_comment_is_refused_and_nothing_is_stored(intervention, text):
    with pytest.raises(ReportError) as error:
        report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0), comment=text))
    assert [(v.code, v.field) for v in error.value.violations] == [("personal_data", "comment")]
    assert not PeriodReport.objects.exists()
