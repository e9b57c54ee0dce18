"""Vietnam's administrative divisions after the 2025 reform (34 provinces, two levels),
as carried by the vietnam-provinces package."""

from __future__ import annotations

from functools import cache

from vietnam_provinces import Province, Ward


@cache
def province_choices() -> list[tuple[int, str]]:
    return sorted(((int(p.code), p.name) for p in Province.iter_all()), key=lambda c: c[1])


@cache
def _wards_by_code() -> dict[int, tuple[str, int]]:
    return {int(w.code): (w.name, int(w.province_code)) for w in Ward.iter_all()}


@cache
def ward_choices(province_code: int) -> list[tuple[int, str]]:
    return sorted(
        (code, name) for code, (name, prov) in _wards_by_code().items() if prov == province_code
    )


def province_name(code: int | None) -> str:
    if code is None:
        return ""
    return dict(province_choices()).get(code, "")


def ward_name(code: int | None) -> str:
    if code is None:
        return ""
    entry = _wards_by_code().get(code)
    return entry[0] if entry else ""


def ward_province(code: int) -> int | None:
    entry = _wards_by_code().get(code)
    return entry[1] if entry else None


def find_ward(province_code: int, name: str) -> int | None:
    for code, ward in ward_choices(province_code):
        if ward == name:
            return code
    return None
