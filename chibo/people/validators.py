"""Checks on personal data, with messages a secretary can act on."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Birth-registration codes that open a 12-digit CCCD (Thông tư 07/2016/TT-BCA, 63 old provinces).
CCCD_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 "
    "035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 "
    "070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
# The fourth digit gives century and gender: even male, odd female; 0-1 1900s, 2-3 2000s …
_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}


def validate_citizen_id(
    value: str, *, birth_date: datetime.date | None = None, gender: str = ""
) -> None:
    """A CCCD is 12 digits: province of birth, century and gender, year of birth, serial."""
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(
            _("Số CCCD phải gồm đúng 12 chữ số (đã nhập: “%(value)s”).") % {"value": value}
        )
    if value[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            _("Số CCCD “%(value)s” có mã tỉnh nơi đăng ký khai sinh “%(code)s” không tồn tại.")
            % {"value": value, "code": value[:3]}
        )
    century_digit = int(value[3])
    if birth_date is not None:
        year = _CENTURY[century_digit] + int(value[4:6])
        if year != birth_date.year:
            raise ValidationError(
                _("Số CCCD “%(value)s” ứng với năm sinh %(year)s, khác năm sinh đã khai %(birth)s.")
                % {"value": value, "year": year, "birth": birth_date.year}
            )
    if gender:
        cccd_gender = "female" if century_digit % 2 else "male"
        if cccd_gender != gender:
            raise ValidationError(
                _("Số CCCD “%(value)s” không khớp với giới tính đã khai.") % {"value": value}
            )


def validate_phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if not (len(digits) == 10 and digits.startswith("0") and digits.isdigit()):
        raise ValidationError(
            _("Số điện thoại “%(value)s” không hợp lệ: cần 10 chữ số, bắt đầu bằng 0.")
            % {"value": value}
        )
    return digits
