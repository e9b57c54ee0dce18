"""Quantities in Vietnamese: conversion between units of one dimension, and writing a
total the way the reports do ("45 tấn", "28.085 m³", "1,5 tấn", "300 triệu đồng")."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from chibo.initiatives.catalogue import DISPLAY_UNITS
from chibo.initiatives.models import MeasureUnit

THOUSANDTH = Decimal("0.001")


def convert(quantity: Decimal, *, source: MeasureUnit, target: MeasureUnit) -> Decimal:
    """`quantity` of `source` expressed in `target` (same dimension), to the thousandth."""
    if source.dimension != target.dimension:
        raise ValueError(f"{source.code} and {target.code} measure different things")
    return (quantity * source.factor / target.factor).quantize(THOUSANDTH, ROUND_HALF_UP)


def number_text(value: Decimal | int | float, places: int = 2) -> str:
    """1234567.5 -> '1.234.567,5' (Vietnamese separators; trailing zeros dropped)."""
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _dot, fraction = f"{abs(amount):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    fraction = fraction.rstrip("0")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def quantity_text(value: Decimal | int | float, unit: MeasureUnit) -> str:
    return f"{number_text(value)} {unit.symbol}"


def best_unit(base_total: Decimal, units: Iterable[MeasureUnit]) -> MeasureUnit | None:
    """The display unit a total of the dimension's base unit reads best in: the largest
    one it makes at least one of (45.000 kg → tấn, 900 kg → kg)."""
    order = {code: index for index, code in enumerate(DISPLAY_UNITS)}
    shown = sorted((unit for unit in units if unit.code in order), key=lambda unit: -unit.factor)
    if not shown:
        return None
    for unit in shown:
        if abs(base_total) >= unit.factor:
            return unit
    return shown[-1]


def total_text(base_total: Decimal, units: Iterable[MeasureUnit]) -> str:
    """A total kept in the base unit, written in the unit it reads best in."""
    choices = list(units)
    unit = best_unit(base_total, choices)
    if unit is None:
        base = next((u for u in choices if u.factor == 1), None)
        return number_text(base_total) + (f" {base.symbol}" if base else "")
    return quantity_text(base_total / unit.factor, unit)
