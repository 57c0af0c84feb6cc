import pytest
from django.core.exceptions import ValidationError

from outcomes.validators import find_identity_numbers, validate_no_personal_data, validate_org_number


@pytest.mark.parametrize(
    "text",
    [
        "Deltagaren 850312-1234 slutade",
        "19850312-1234",
        "850372-1235",  # samordningsnummer: day + 60
        "8503121231",  # no separator, valid check digit
        "Ring 198503121231 om detta",
        "850312+1234",
    ],
)
def test_it_finds_identity_numbers_however_they_are_written(text):
    assert find_identity_numbers(text)
    with pytest.raises(ValidationError) as error:
        validate_no_personal_data(text)
    assert error.value.code == "personal_data"


@pytest.mark.parametrize(
    "text",
    [
        "Fem deltagare gick till arbete under 2024-03-31.",
        "Förbrukat 1234567 kr",
        "Förbundets organisationsnummer är 222000-2279",
        "8503121234",  # no separator and the check digit is wrong: an ordinary number
        "",
    ],
)
def test_ordinary_text_and_numbers_are_accepted(text):
    validate_no_personal_data(text)


def test_org_numbers_need_the_format_and_a_valid_check_digit():
    validate_org_number("222000-2279")
    for bad in ["2220002279", "222000-2278", "22200-22791", ""]:
        with pytest.raises(ValidationError):
            validate_org_number(bad)
