"""Which column holds what: the usual Vietnamese headers of member lists and their variants.

Headers are compared folded (`chibo.core.vntext.fold`: lower case, no diacritics, đ -> d)
with punctuation and the words "số", "của" … left out where they vary, so "Số CCCD",
"CCCD", "CMND/CCCD" and "Số định danh cá nhân" all name the citizen id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chibo.core.vntext import fold

IGNORE = ""


@dataclass(frozen=True)
class Field:
    key: str
    label: str | Promise
    synonyms: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field("stt", _("STT (số thứ tự)"), ("stt", "tt", "so tt", "so thu tu", "thu tu")),
    Field(
        "full_name",
        _("Họ và tên"),
        (
            "ho va ten",
            "ho ten",
            "ho, ten",
            "ho va ten dang vien",
            "ho ten dang vien",
            "ho va ten hoi vien",
            "ho va ten doan vien",
            "ten dang vien",
            "ho va ten khai sinh",
        ),
    ),
    Field("family_middle", _("Họ và tên đệm"), ("ho va ten dem", "ho dem", "ho va dem")),
    Field("family_name", _("Họ"), ("ho",)),
    Field("middle_name", _("Tên đệm"), ("ten dem", "dem", "ten lot")),
    Field("given_name", _("Tên"), ("ten", "ten goi")),
    Field(
        "birth_date",
        _("Ngày sinh"),
        (
            "ngay sinh",
            "nam sinh",
            "ngay thang nam sinh",
            "ngay, thang, nam sinh",
            "sinh ngay",
            "ngay/thang/nam sinh",
            "ns",
        ),
    ),
    Field("gender", _("Giới tính"), ("gioi tinh", "nam/nu", "nam, nu", "nam nu", "gioi", "gt")),
    Field(
        "citizen_id",
        _("Số CCCD"),
        (
            "so cccd",
            "cccd",
            "cmnd/cccd",
            "so cmnd/cccd",
            "cccd/cmnd",
            "so cccd/cmnd",
            "so cmnd",
            "cmnd",
            "so dinh danh",
            "so dinh danh ca nhan",
            "ma dinh danh",
            "can cuoc cong dan",
            "so can cuoc",
            "so can cuoc cong dan",
            "can cuoc",
        ),
    ),
    Field(
        "joined_on",
        _("Ngày vào Đảng"),
        (
            "ngay vao dang",
            "ngay ket nap",
            "ngay ket nap dang",
            "ngay vao dang cong san viet nam",
            "ket nap",
            "ngay vao hoi",
            "ngay vao doan",
            "ngay gia nhap",
            "vao dang",
        ),
    ),
    Field(
        "official_on",
        _("Ngày chính thức"),
        (
            "ngay chinh thuc",
            "ngay cong nhan chinh thuc",
            "chinh thuc",
            "ngay cong nhan dang vien chinh thuc",
            "ngay dang vien chinh thuc",
        ),
    ),
    Field(
        "card_number",
        _("Số thẻ đảng viên"),
        (
            "so the dang vien",
            "so the dang",
            "so the",
            "so the dv",
            "the dang vien",
            "so the hoi vien",
            "so the doan vien",
        ),
    ),
    Field("status", _("Tư cách"), ("tu cach", "tu cach dang vien", "trang thai", "loai dang vien")),
    Field(
        "org",
        _("Chi bộ"),
        (
            "chi bo",
            "ten chi bo",
            "ma chi bo",
            "chi bo sinh hoat",
            "noi sinh hoat",
            "don vi",
            "ma don vi",
            "chi hoi",
            "chi doan",
            "to chuc",
            "don vi sinh hoat",
        ),
    ),
    Field("hometown", _("Quê quán"), ("que quan", "que", "nguyen quan")),
    Field("ethnicity", _("Dân tộc"), ("dan toc",)),
    Field("religion", _("Tôn giáo"), ("ton giao",)),
    Field(
        "job_position",
        _("Chức vụ"),
        (
            "chuc vu",
            "chuc vu chinh quyen",
            "chuc vu, don vi cong tac",
            "vi tri viec lam",
            "chuc danh",
        ),
    ),
    Field(
        "occupation",
        _("Nghề nghiệp"),
        ("nghe nghiep", "nghe nghiep hien nay", "nghe", "cong viec", "cong viec hien nay"),
    ),
    Field(
        "phone",
        _("Số điện thoại"),
        ("so dien thoai", "sdt", "dien thoai", "dt", "so dt", "di dong", "so di dong"),
    ),
    Field("email", _("Thư điện tử"), ("email", "e-mail", "thu dien tu")),
    Field(
        "address",
        _("Địa chỉ"),
        (
            "dia chi",
            "noi o hien nay",
            "noi o",
            "cho o hien nay",
            "dia chi thuong tru",
            "noi thuong tru",
            "dia chi lien he",
        ),
    ),
    Field("note", _("Ghi chú"), ("ghi chu",)),
)
FIELDS_BY_KEY = {field.key: field for field in FIELDS}
# Recognised but not stored: the row number.
NOT_STORED = frozenset({"stt"})

_PUNCTUATION = re.compile(r"[\s.:;()\[\]*_]+")
_SYNONYMS = {synonym: field.key for field in FIELDS for synonym in field.synonyms}


def normalise_header(text: str) -> str:
    folded = fold(str(text))
    folded = _PUNCTUATION.sub(" ", folded).strip()
    return re.sub(r"\s*([/,-])\s*", r"\1", folded).replace(",", ", ")


def match_header(text: object) -> str | None:
    """The field key a header cell names, or None."""
    if not isinstance(text, str):
        return None
    key = normalise_header(text)
    if not key:
        return None
    found = _SYNONYMS.get(key) or _SYNONYMS.get(key.replace(", ", ","))
    if found:
        return found
    # "Số CCCD (12 số)" or "Ngày sinh (dd/mm/yyyy)": the words before a bracket.
    head = normalise_header(re.split(r"[(\[]", str(text))[0])
    return _SYNONYMS.get(head)


@dataclass(frozen=True)
class HeaderGuess:
    index: int  # position in the list of rows handed in
    mapping: tuple[str, ...]  # field key per column, IGNORE for unknown columns


def guess_header(rows: Sequence[Sequence[object]], *, search: int = 10) -> HeaderGuess | None:
    """The header among the first `search` non-empty rows: the one naming the most known
    fields, with a name among them."""
    best: HeaderGuess | None = None
    best_count = 1
    for index, row in enumerate(rows[:search]):
        keys = [match_header(cell) or IGNORE for cell in row]
        named = {key for key in keys if key}
        has_name = "full_name" in named or "given_name" in named
        if has_name and len(named) > best_count:
            best, best_count = HeaderGuess(index, tuple(_dedupe(keys))), len(named)
    return best


def _dedupe(keys: list[str]) -> list[str]:
    """A field claimed by two columns keeps the first; the second is left for the user."""
    seen: set[str] = set()
    out = []
    for key in keys:
        if key and key in seen:
            out.append(IGNORE)
        else:
            seen.add(key)
            out.append(key)
    return out
