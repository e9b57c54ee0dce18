"""Readable Vietnamese messages for the validation errors of the API.

Ninja reports problems the way pydantic does (type, loc, msg in English). Clients keep
that structure; each problem gains `message`, a sentence naming the field and what is
wrong with it, that can be shown to a person as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _


def _where(loc: list[Any]) -> str:
    source = loc[0] if loc else ""
    if source == "query":
        return _("Tham số")
    if source == "path":
        return _("Đường dẫn, phần")
    if source == "header":
        return _("Tiêu đề")
    return _("Trường")


def _field(loc: list[Any]) -> str:
    names = [str(part) for part in loc[1:] if not isinstance(part, int)]
    # Ninja names the body parameter itself ("payload"); the client only knows the keys.
    if loc and loc[0] == "body":
        names = names[1:]
    return ".".join(names)


def _ctx(error: Mapping[str, Any], key: str) -> Any:
    value = (error.get("ctx") or {}).get(key, "")
    # Pydantic lists the accepted values as "'a', 'b' or 'c'".
    return value.replace("' or '", "' hoặc '") if isinstance(value, str) else value


_PROBLEMS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": lambda e: _("bắt buộc phải có."),
    "int_parsing": lambda e: _("phải là một số nguyên."),
    "int_type": lambda e: _("phải là một số nguyên."),
    "int_from_float": lambda e: _("phải là một số nguyên."),
    "float_parsing": lambda e: _("phải là một số."),
    "bool_parsing": lambda e: _("chỉ nhận true hoặc false."),
    "bool_type": lambda e: _("chỉ nhận true hoặc false."),
    "string_type": lambda e: _("phải là một chuỗi ký tự."),
    "greater_than_equal": lambda e: _("phải lớn hơn hoặc bằng %(n)s.") % {"n": _ctx(e, "ge")},
    "greater_than": lambda e: _("phải lớn hơn %(n)s.") % {"n": _ctx(e, "gt")},
    "less_than_equal": lambda e: _("phải nhỏ hơn hoặc bằng %(n)s.") % {"n": _ctx(e, "le")},
    "less_than": lambda e: _("phải nhỏ hơn %(n)s.") % {"n": _ctx(e, "lt")},
    "string_too_long": lambda e: _("dài tối đa %(n)s ký tự.") % {"n": _ctx(e, "max_length")},
    "string_too_short": lambda e: _("cần ít nhất %(n)s ký tự.") % {"n": _ctx(e, "min_length")},
    "enum": lambda e: (
        _("giá trị không hợp lệ; chỉ nhận: %(values)s.") % {"values": _ctx(e, "expected")}
    ),
    "literal_error": lambda e: (
        _("giá trị không hợp lệ; chỉ nhận: %(values)s.") % {"values": _ctx(e, "expected")}
    ),
    "date_parsing": lambda e: _("phải là một ngày dạng NNNN-TT-NN (ví dụ 2025-08-30)."),
    "date_from_datetime_parsing": lambda e: _(
        "phải là một ngày dạng NNNN-TT-NN (ví dụ 2025-08-30)."
    ),
    "datetime_parsing": lambda e: _("phải là thời điểm theo ISO 8601."),
    "model_attributes_type": lambda e: _("phải là một đối tượng JSON."),
    "dict_type": lambda e: _("phải là một đối tượng JSON."),
    "model_type": lambda e: _("phải là một đối tượng JSON."),
    "list_type": lambda e: _("phải là một danh sách."),
}


def describe_error(error: Mapping[str, Any]) -> str:
    loc = list(error.get("loc") or [])
    kind = str(error.get("type", ""))
    if kind == "json_invalid":
        return _("Nội dung gửi lên không phải JSON hợp lệ.")
    problem = _PROBLEMS[kind](error) if kind in _PROBLEMS else _("giá trị không hợp lệ.")
    field = _field(loc)
    if not field:
        if kind == "missing":
            return _("Thiếu nội dung: cần gửi một đối tượng JSON.")
        return _("Nội dung gửi lên: %(problem)s") % {"problem": problem}
    return _("%(where)s “%(field)s”: %(problem)s") % {
        "where": _where(loc),
        "field": field,
        "problem": problem,
    }


def describe_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Ninja's error list, each item with a Vietnamese `message` added."""
    return [{**error, "message": describe_error(error)} for error in errors]
