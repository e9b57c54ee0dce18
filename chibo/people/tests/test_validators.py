import datetime

import pytest
from django.core.exceptions import ValidationError

from chibo.people.validators import validate_citizen_id, validate_phone


def test_valid_citizen_id_matches_birth_year_and_gender():
    # 019 Thái Nguyên, 1 = female born in the 1900s, 85 = 1985.
    validate_citizen_id("019185000123", birth_date=datetime.date(1985, 3, 2), gender="female")
    validate_citizen_id("001203004567", birth_date=datetime.date(2003, 1, 1), gender="male")


@pytest.mark.parametrize(
    ("value", "kwargs", "fragment"),
    [
        ("01918500012", {}, "đúng 12 chữ số"),
        ("01918500012a", {}, "đúng 12 chữ số"),
        ("003185000123", {}, "mã tỉnh"),
        ("019185000123", {"birth_date": datetime.date(1986, 1, 1)}, "năm sinh 1985"),
        ("019185000123", {"gender": "male"}, "giới tính"),
    ],
)
def test_invalid_citizen_id_says_why(value, kwargs, fragment):
    with pytest.raises(ValidationError) as error:
        validate_citizen_id(value, **kwargs)
    assert fragment in error.value.messages[0]
    assert value in error.value.messages[0]


def test_phone_normalised_or_refused():
    assert validate_phone("0912 345 678") == "0912345678"
    assert validate_phone("+84912345678") == "0912345678"
    with pytest.raises(ValidationError, match="10 chữ số"):
        validate_phone("12345")
