"""The units of measure and kinds of indicator every installation starts with.

Plain data, so that the data migration and `catalogue_ensure` (used by the demo and by
tests, whose transactional cases empty the tables) write the same rows. More units and
kinds are added through `unit_create` / `indicator_kind_create`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# (code, name, symbol, dimension, factor to the dimension's base unit)
UNITS: tuple[tuple[str, str, str, str, Decimal], ...] = (
    ("dong", "đồng", "đ", "money", Decimal(1)),
    ("nghin-dong", "nghìn đồng", "nghìn đ", "money", Decimal(1_000)),
    ("trieu-dong", "triệu đồng", "triệu đ", "money", Decimal(1_000_000)),
    ("ty-dong", "tỷ đồng", "tỷ đ", "money", Decimal(1_000_000_000)),
    ("kg", "ki-lô-gam", "kg", "mass", Decimal(1)),
    ("yen", "yến", "yến", "mass", Decimal(10)),
    ("ta", "tạ", "tạ", "mass", Decimal(100)),
    ("tan", "tấn", "tấn", "mass", Decimal(1_000)),
    ("m3", "mét khối", "m³", "volume", Decimal(1)),
    ("lit", "lít", "lít", "volume", Decimal("0.001")),
    ("kwh", "ki-lô-oát giờ", "kWh", "energy", Decimal(1)),
    ("mwh", "mê-ga-oát giờ", "MWh", "energy", Decimal(1_000)),
    ("ho", "hộ", "hộ", "households", Decimal(1)),
    ("nguoi", "người", "người", "people", Decimal(1)),
    ("buoi", "buổi", "buổi", "sessions", Decimal(1)),
    ("luot", "lượt", "lượt", "sessions", Decimal(1)),
    ("m", "mét", "m", "length", Decimal(1)),
    ("km", "ki-lô-mét", "km", "length", Decimal(1_000)),
    ("m2", "mét vuông", "m²", "area", Decimal(1)),
    ("ha", "héc-ta", "ha", "area", Decimal(10_000)),
    ("cai", "cái, chiếc", "cái", "count", Decimal(1)),
    ("cay", "cây", "cây", "count", Decimal(1)),
    ("ngay-cong", "ngày công", "ngày công", "count", Decimal(1)),
)

# Units totals are written in, largest first within a dimension; units missing here
# (yến, tạ, MWh…) are accepted as input but totals are not shown in them: the seed
# articles write "45 tấn", "28.085 m³", "81.402 kW", "300 triệu đồng".
DISPLAY_UNITS = (
    "ty-dong", "trieu-dong", "dong", "tan", "kg", "m3", "kwh", "ho", "nguoi", "buoi",
    "km", "m", "ha", "m2", "cai",
)  # fmt: skip

# (code, name, dimension, position)
KINDS: tuple[tuple[str, str, str, int], ...] = (
    ("tiet-kiem-tien", "Tiền tiết kiệm, quyên góp", "money", 10),
    ("tiet-kiem-gao", "Gạo tiết kiệm", "mass", 20),
    ("tiet-kiem-nuoc", "Nước tiết kiệm", "volume", 30),
    ("tiet-kiem-dien", "Điện tiết kiệm", "energy", 40),
    ("ho-duoc-ho-tro", "Hộ được hỗ trợ", "households", 50),
    ("nguoi-duoc-ho-tro", "Người được hỗ trợ", "people", 60),
    ("buoi-lam-viec", "Buổi làm việc, tuyên truyền", "sessions", 70),
    ("duong-giao-thong", "Đường giao thông, đường điện", "length", 80),
    ("cay-xanh", "Cây xanh trồng mới", "count", 90),
    ("ngay-cong", "Ngày công lao động", "count", 95),
)


def write_catalogue(unit_model: Any, kind_model: Any) -> int:
    """Create the missing built-in units and kinds; return how many rows were written."""
    written = 0
    for code, name, symbol, dimension, factor in UNITS:
        _unit, created = unit_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "symbol": symbol, "dimension": dimension, "factor": factor},
        )
        written += int(created)
    for code, name, dimension, position in KINDS:
        _kind, created = kind_model.objects.get_or_create(
            code=code, defaults={"name": name, "dimension": dimension, "position": position}
        )
        written += int(created)
    return written
