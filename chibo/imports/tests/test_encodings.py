"""TCVN3 and VNI-Windows to Unicode: known strings, full-alphabet round trips, and no harm
to text that is already Unicode or plain ASCII."""

from __future__ import annotations

import unicodedata

import pytest

from chibo.imports.encodings import (
    TCVN3,
    UNICODE,
    VNI,
    decode_tcvn3,
    decode_vni,
    encode_tcvn3,
    encode_vni,
    is_syllable,
    to_unicode,
)
from chibo.imports.headers import match_header
from chibo.imports.parsing import DateProblem, parse_date

LOWER = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
SENTENCES = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "Đảng bộ xã Hà Thượng có 271 đảng viên, sinh hoạt ở 18 chi bộ trực thuộc",
    "Nguyễn Thị Hường, Trương Văn Đông, Lưu Quốc Khánh, Bùi Thị Ngọc Lan",
    "Quê quán: xóm Đồng Kè, xã Đại Từ, tỉnh Thái Nguyên",
]


def test_known_tcvn3_and_vni_strings():
    assert to_unicode("NguyÔn V¨n An") == to_unicode("NguyÔn V¨n An")
    assert to_unicode("NguyÔn V¨n An").text == "Nguyễn Văn An"
    assert to_unicode("NguyÔn V¨n An").encoding == TCVN3
    assert to_unicode("Nguyeãn Vaên An").text == "Nguyễn Văn An"
    assert to_unicode("Nguyeãn Vaên An").encoding == VNI
    assert to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam").text == (
        "Cộng hoà xã hội chủ nghĩa Việt Nam"
    )
    assert to_unicode("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM").text == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    assert to_unicode("Nguyeãn Thò Hoa").text == "Nguyễn Thị Hoa"
    assert to_unicode("Tröông Vaên Ñoâng").text == "Trương Văn Đông"
    # Capitals typed with .VnTimeH use the small-letter codes.
    assert to_unicode("§¶NG CéNG S¶N VIÖT NAM").text == "ĐẢNG CỘNG SẢN VIỆT NAM"


def test_full_alphabet_round_trips():
    for text in (LOWER, LOWER.upper()):
        vni = encode_vni(text)
        assert decode_vni(vni.encode("cp1252")) == text
    tcvn = encode_tcvn3(LOWER)
    assert decode_tcvn3(tcvn.encode("cp1252")) == LOWER
    # TCVN3 has only seven capitals of its own; the others come back as small letters.
    assert decode_tcvn3(encode_tcvn3("ĂÂÊÔƠƯĐ").encode("cp1252")) == "ĂÂÊÔƠƯĐ"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_sentences_round_trip_through_detection(sentence):
    assert to_unicode(encode_tcvn3(sentence)).text == sentence
    assert to_unicode(encode_tcvn3(sentence)).encoding == TCVN3
    assert to_unicode(encode_vni(sentence)).text == sentence
    assert to_unicode(encode_vni(sentence)).encoding == VNI


@pytest.mark.parametrize(
    "text",
    [
        *SENTENCES,
        "Lê Tú",
        "Hà Nội",
        "Café",
        "Thò",
        "NGUYỄN VĂN AN",
        "DU-DT-CB01",
        "0912345678",
        "Nguyen Van An",
        "Số 12, ngõ 3/5 – phố Huế",
    ],
)
def test_unicode_and_ascii_are_never_damaged(text):
    reading = to_unicode(text)
    assert reading.text == unicodedata.normalize("NFC", text)
    assert reading.encoding == UNICODE


def test_decomposed_text_is_composed():
    decomposed = unicodedata.normalize("NFD", "Trường Sơn")
    assert to_unicode(decomposed).text == "Trường Sơn"


def test_syllables():
    for word in ("nguyễn", "khuya", "giường", "quyết", "ngoài", "An", "Đức"):
        assert is_syllable(word), word
    for word in ("nguyôn", "vaên", "café", "xyz", "ặá"):
        assert not is_syllable(word), word


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Họ và tên", "full_name"),
        ("Họ tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("Ngày sinh", "birth_date"),
        ("Năm sinh", "birth_date"),
        ("Ngày, tháng, năm sinh", "birth_date"),
        ("Giới tính", "gender"),
        ("Nam/Nữ", "gender"),
        ("Số CCCD", "citizen_id"),
        ("CCCD", "citizen_id"),
        ("CMND/CCCD", "citizen_id"),
        ("Số định danh", "citizen_id"),
        ("Số CCCD (12 số)", "citizen_id"),
        ("Ngày vào Đảng", "joined_on"),
        ("Ngày kết nạp", "joined_on"),
        ("Ngày chính thức", "official_on"),
        ("Số thẻ đảng viên", "card_number"),
        ("Số thẻ Đảng", "card_number"),
        ("Chi bộ", "org"),
        ("Quê quán", "hometown"),
        ("Dân tộc", "ethnicity"),
        ("Tôn giáo", "religion"),
        ("Chức vụ", "job_position"),
        ("Nghề nghiệp", "occupation"),
        ("Số điện thoại", "phone"),
        ("SĐT", "phone"),
        ("Địa chỉ", "address"),
        ("Ghi chú", "note"),
        ("STT", "stt"),
        ("Ngày\nsinh", "birth_date"),
        ("Màu áo", None),
    ],
)
def test_header_variants(header, key):
    assert match_header(header) == key


def test_dates():
    import datetime

    today = datetime.date(2025, 7, 1)

    def parse(value: object, **options: bool) -> datetime.date | None:
        return parse_date(value, today=today, **options)[0]

    assert parse("05/11/1980") == datetime.date(1980, 11, 5)
    assert parse("5/11/80") == datetime.date(1980, 11, 5)
    assert parse("5/11/05") == datetime.date(2005, 11, 5)
    assert parse("1980-11-05") == datetime.date(1980, 11, 5)
    assert parse(29530) == datetime.date(1980, 11, 5)
    assert parse("29530") == datetime.date(1980, 11, 5)
    assert parse(datetime.datetime(1980, 11, 5, 0, 0)) == datetime.date(1980, 11, 5)
    assert parse("1980", allow_year=True) == datetime.date(1980, 1, 1)
    assert parse(1980.0, allow_year=True) == datetime.date(1980, 1, 1)
    with pytest.raises(DateProblem, match="chỉ có năm"):
        parse("1980")
    with pytest.raises(DateProblem, match="không có trong lịch"):
        parse("29/02/2023")
    with pytest.raises(DateProblem, match="không phải ngày hợp lệ"):
        parse("hôm qua")
