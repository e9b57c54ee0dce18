"""Checks on personal data, with messages a secretary can act on."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Birth-registration codes that open a 12-digit CCCD (Thông tư 07/2016/TT-BCA, 63 old provinces).
CCCD_PROVINCE_CODES = frozenset(
    f"{code:03d}"
    for code in (
        1,
        2,
        4,
        6,
        8,
        10,
        11,
        12,
        14,
        15,
        17,
        19,
        20,
        22,
        24,
        25,
        26,
        27,
        30,
        31,
        33,
        34,
        35,
        36,
        37,
        38,
        40,
        42,
        44,
        45,
        46,
        48,
        49,
        51,
        52,
        54,
        56,
        58,
        60,
        62,
        64,
        66,
        67,
        68,
        70,
        72,
        74,
        75,
        77,
        79,
        80,
        82,
        83,
        84,
        86,
        87,
        89,
        91,
        92,
        93,
        94,
        95,
        96,
    )
)
# The fourth digit gives century and gender: even male, odd female; 0-1 1900s, 2-3 2000s …
_CENTURY = {
    0: 1900,
    1: 1900,
    2: 2000,
    3: 2000,
    4: 2100,
    5: 2100,
    6: 2200,
    7: 2200,
    8: 1800,
    9: 1800,
}


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
