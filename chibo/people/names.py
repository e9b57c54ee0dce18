"""Vietnamese name and place data for the demo and the synthetic province.

Weights are rough shares, not statistics to quote: family names follow the often cited
distribution (Nguyễn about 38 %, Trần 11 %, Lê 9.5 % …) with the northern spellings
(Hoàng, Vũ) dominant, since Thái Nguyên is in the north; the ethnic minorities of the
midlands (Tày, Nùng, Sán Dìu, Dao, Sán Chay) carry their own family names. Older people
more often have the middle names Văn and Thị and the older given names.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

# (name, weight) — Kinh family names, northern spellings first.
KINH_FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 4.6),
    ("Huỳnh", 0.5), ("Phan", 4.5), ("Vũ", 3.4), ("Võ", 0.5), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đào", 0.6),
    ("Đoàn", 0.5), ("Trịnh", 0.5), ("Trương", 0.5), ("Đinh", 0.5), ("Mai", 0.4), ("Hà", 0.5),
    ("Lương", 0.4), ("Cao", 0.3), ("Lưu", 0.3), ("Tạ", 0.3), ("Phùng", 0.3), ("Kiều", 0.2),
    ("Chu", 0.2), ("Quách", 0.1), ("Tô", 0.2), ("Vương", 0.2), ("Lâm", 0.2), ("Thân", 0.1),
    ("Khổng", 0.1), ("Nghiêm", 0.1), ("Triệu", 0.1), ("Tống", 0.1), ("Lại", 0.1),
)  # fmt: skip

TAY_NUNG_FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Hoàng", 20.0), ("Nông", 12.0), ("Ma", 8.0), ("Lục", 6.0), ("Hà", 6.0), ("Triệu", 5.0),
    ("Lương", 5.0), ("Đàm", 4.0), ("Lâm", 4.0), ("Mã", 3.0), ("La", 3.0), ("Vi", 3.0),
    ("Lành", 2.0), ("Dương", 3.0), ("Nguyễn", 8.0), ("Ngôn", 2.0), ("Lăng", 2.0),
    ("Hứa", 2.0), ("Chu", 2.0),
)  # fmt: skip

SAN_DIU_FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Lý", 12.0), ("Trương", 10.0), ("Diệp", 9.0), ("Tạ", 8.0), ("Lưu", 8.0), ("Dương", 7.0),
    ("La", 6.0), ("Đặng", 6.0), ("Giáp", 4.0), ("Trần", 6.0), ("Ninh", 4.0), ("Phạm", 4.0),
    ("Hoàng", 5.0), ("Bàn", 3.0),
)  # fmt: skip

DAO_FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Triệu", 25.0), ("Bàn", 20.0), ("Đặng", 20.0), ("Lý", 15.0), ("Phùng", 8.0),
    ("Chảo", 6.0), ("Dương", 6.0),
)  # fmt: skip

FAMILY_NAMES_BY_ETHNICITY: dict[str, tuple[tuple[str, float], ...]] = {
    "Kinh": KINH_FAMILY_NAMES,
    "Tày": TAY_NUNG_FAMILY_NAMES,
    "Nùng": TAY_NUNG_FAMILY_NAMES,
    "Sán Dìu": SAN_DIU_FAMILY_NAMES,
    "Sán Chay": TAY_NUNG_FAMILY_NAMES,
    "Dao": DAO_FAMILY_NAMES,
}

# Ethnic make-up of a midland commune of Thái Nguyên such as Đại Từ.
ETHNICITIES_THAI_NGUYEN: tuple[tuple[str, float], ...] = (
    ("Kinh", 72.0), ("Tày", 9.0), ("Nùng", 5.0), ("Sán Dìu", 9.0), ("Dao", 3.0),
    ("Sán Chay", 2.0),
)  # fmt: skip
# A lowland province: almost everyone Kinh.
ETHNICITIES_LOWLAND: tuple[tuple[str, float], ...] = (
    ("Kinh", 96.0), ("Mường", 2.5), ("Thái", 1.0), ("Tày", 0.5),
)  # fmt: skip
FAMILY_NAMES_BY_ETHNICITY["Mường"] = (
    ("Bùi", 30.0), ("Đinh", 25.0), ("Quách", 15.0), ("Hà", 15.0), ("Phạm", 10.0), ("Cao", 5.0),
)  # fmt: skip
FAMILY_NAMES_BY_ETHNICITY["Thái"] = (
    ("Lò", 20.0), ("Lường", 15.0), ("Cầm", 15.0), ("Vi", 15.0), ("Lang", 10.0),
    ("Hà", 15.0), ("Lộc", 10.0),
)  # fmt: skip

MALE_MIDDLE_OLD: tuple[tuple[str, float], ...] = (
    ("Văn", 60.0), ("Đức", 7.0), ("Quang", 5.0), ("Hữu", 5.0), ("Xuân", 4.0), ("Đình", 4.0),
    ("Ngọc", 3.0), ("Minh", 3.0), ("Công", 3.0), ("Thế", 2.0), ("Trọng", 2.0), ("Bá", 2.0),
)  # fmt: skip
MALE_MIDDLE_YOUNG: tuple[tuple[str, float], ...] = (
    ("Văn", 25.0), ("Đức", 10.0), ("Minh", 10.0), ("Quang", 6.0), ("Hoàng", 5.0),
    ("Tuấn", 5.0), ("Anh", 4.0), ("Duy", 4.0), ("Mạnh", 4.0), ("Tiến", 4.0), ("Quốc", 4.0),
    ("Thành", 4.0), ("Hữu", 3.0), ("Trung", 3.0), ("Gia", 2.0), ("Hải", 3.0), ("Thanh", 4.0),
)  # fmt: skip
FEMALE_MIDDLE_OLD: tuple[tuple[str, float], ...] = (
    ("Thị", 85.0), ("Thu", 3.0), ("Ngọc", 3.0), ("Thanh", 3.0), ("Kim", 2.0), ("Hồng", 2.0),
    ("Bích", 1.0), ("Minh", 1.0),
)  # fmt: skip
FEMALE_MIDDLE_YOUNG: tuple[tuple[str, float], ...] = (
    ("Thị", 45.0), ("Thu", 6.0), ("Ngọc", 6.0), ("Thanh", 5.0), ("Phương", 4.0),
    ("Minh", 4.0), ("Hồng", 4.0), ("Thùy", 4.0), ("Kim", 3.0), ("Diệu", 2.0), ("Khánh", 3.0),
    ("Bảo", 2.0), ("Hải", 2.0), ("Mai", 3.0), ("Quỳnh", 2.0), ("Hà", 2.0), ("Lan", 2.0),
)  # fmt: skip

MALE_GIVEN_OLD: tuple[str, ...] = (
    "An", "Bảo", "Bình", "Cảnh", "Chiến", "Chung", "Công", "Cường", "Dân", "Dũng", "Dương",
    "Đạo", "Điền", "Định", "Đoàn", "Đông", "Đức", "Giang", "Hải", "Hào", "Hiển", "Hòa",
    "Hợi", "Hùng", "Hưng", "Khải", "Khánh", "Khoa", "Kiên", "Lâm", "Liêm", "Lợi", "Long",
    "Lực", "Mạnh", "Minh", "Nam", "Ngọ", "Nghĩa", "Phong", "Phú", "Phúc", "Quang", "Quý",
    "Sáu", "Sơn", "Tâm", "Tân", "Thắng", "Thành", "Thanh", "Thịnh", "Thọ", "Thuận", "Tiến",
    "Toàn", "Trung", "Trường", "Tuấn", "Tuyên", "Tý", "Vượng", "Việt", "Vinh", "Xuân",
)  # fmt: skip
MALE_GIVEN_YOUNG: tuple[str, ...] = (
    "An", "Anh", "Bảo", "Bình", "Công", "Cường", "Duy", "Dũng", "Đạt", "Định", "Đức",
    "Giang", "Hải", "Hiếu", "Hiệp", "Hoàng", "Hùng", "Huy", "Hưng", "Khang", "Khánh",
    "Khoa", "Kiên", "Lâm", "Linh", "Lộc", "Long", "Luân", "Mạnh", "Minh", "Nam", "Nghĩa",
    "Ngọc", "Nguyên", "Phong", "Phúc", "Quân", "Quang", "Quyết", "Sơn", "Tài", "Thái",
    "Thắng", "Thành", "Thịnh", "Tiến", "Toàn", "Trung", "Tú", "Tuấn", "Tùng", "Việt", "Vinh",
    "Vũ",
)  # fmt: skip
FEMALE_GIVEN_OLD: tuple[str, ...] = (
    "Bích", "Chanh", "Cúc", "Dung", "Đào", "Gái", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hòa", "Hồng", "Huệ", "Hương", "Hường", "Lan", "Liên", "Liễu", "Loan", "Lụa", "Lý",
    "Mai", "Mận", "Minh", "Nga", "Ngân", "Nguyệt", "Nhung", "Nụ", "Oanh", "Phượng", "Sen",
    "Tâm", "Thắm", "Thanh", "Thơm", "Thu", "Thủy", "Thúy", "Tuyết", "Vân", "Xuân", "Yến",
)  # fmt: skip
FEMALE_GIVEN_YOUNG: tuple[str, ...] = (
    "Anh", "Ánh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc",
    "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thanh", "Thu", "Thủy",
    "Thúy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến",
)  # fmt: skip

# Hamlets (xóm) of a midland commune: the rural cells and women's branches live in them.
HAMLETS_DAI_TU: tuple[str, ...] = (
    "Đồng Tiến", "Tân Lập", "Đồng Khuôn", "Hái Hoa", "Đồng Kè", "Gò Miếu", "Cây Thị",
    "Lò Mật", "Đồng Cẩm", "Khuôn Lân", "Đồng Tâm", "Hòa Bình", "Phố Chợ",
)  # fmt: skip

# Generic hamlet and residential-group names for the synthetic province.
HAMLET_WORDS: tuple[str, ...] = (
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân", "Đồng", "Phú", "An",
    "Hòa", "Thịnh", "Lợi", "Thành", "Xuân", "Phúc", "Hưng", "Bình", "Yên", "Minh", "Quang",
)  # fmt: skip

RURAL_OCCUPATIONS: tuple[tuple[str, float], ...] = (
    ("Nông dân", 46.0), ("Làm chè", 14.0), ("Kinh doanh, dịch vụ", 12.0), ("Công nhân", 9.0),
    ("Cựu chiến binh", 4.0), ("Lao động tự do", 8.0), ("Cán bộ thôn, xóm", 4.0),
    ("Thợ xây dựng", 3.0),
)  # fmt: skip
RURAL_ELDER_OCCUPATIONS: tuple[tuple[str, float], ...] = (
    ("Hưu trí", 48.0), ("Nông dân", 28.0), ("Cựu chiến binh", 14.0),
    ("Giáo viên nghỉ hưu", 6.0), ("Làm chè", 4.0),
)  # fmt: skip
WOMEN_OCCUPATIONS: tuple[tuple[str, float], ...] = (
    ("Nông dân", 46.0), ("Làm chè", 14.0), ("Kinh doanh, dịch vụ", 10.0), ("Công nhân", 10.0),
    ("Nội trợ", 5.0), ("Giáo viên", 3.0), ("Lao động tự do", 7.0), ("Học sinh, sinh viên", 1.0),
    ("Thợ may", 4.0),
)  # fmt: skip
WOMEN_ELDER_OCCUPATIONS: tuple[tuple[str, float], ...] = (
    ("Hưu trí", 30.0), ("Nông dân", 40.0), ("Nội trợ", 20.0), ("Làm chè", 10.0),
)  # fmt: skip

# Mobile prefixes of the three big networks.
PHONE_PREFIXES: tuple[str, ...] = (
    "086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039",
    "091", "094", "088", "081", "082", "083", "084", "085", "090", "093", "089", "070",
    "076", "077", "078", "079",
)  # fmt: skip


@dataclass(frozen=True)
class Weighted:
    """Weighted choice with cumulative weights computed once."""

    items: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, pairs: Sequence[tuple[str, float]]) -> Weighted:
        return cls(tuple(p[0] for p in pairs), tuple(accumulate(p[1] for p in pairs)))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


class NameMaker:
    """Draws believable Vietnamese names by gender, age and ethnicity."""

    def __init__(self, ethnicities: Sequence[tuple[str, float]]) -> None:
        self.ethnicities = Weighted.of(ethnicities)
        self.family = {key: Weighted.of(value) for key, value in FAMILY_NAMES_BY_ETHNICITY.items()}
        self.male_middle = (Weighted.of(MALE_MIDDLE_OLD), Weighted.of(MALE_MIDDLE_YOUNG))
        self.female_middle = (Weighted.of(FEMALE_MIDDLE_OLD), Weighted.of(FEMALE_MIDDLE_YOUNG))

    def ethnicity(self, rng: random.Random) -> str:
        return self.ethnicities.pick(rng)

    def name(
        self, rng: random.Random, *, female: bool, birth_year: int, ethnicity: str = "Kinh"
    ) -> tuple[str, str, str]:
        """(family, middle, given) for a person born in `birth_year`."""
        family = self.family.get(ethnicity, self.family["Kinh"]).pick(rng)
        young = birth_year >= 1975 + rng.randint(-8, 8)
        if female:
            middle = self.female_middle[young].pick(rng)
            given = rng.choice(FEMALE_GIVEN_YOUNG if young else FEMALE_GIVEN_OLD)
        else:
            middle = self.male_middle[young].pick(rng)
            given = rng.choice(MALE_GIVEN_YOUNG if young else MALE_GIVEN_OLD)
        if middle == given:
            middle = "Thị" if female else "Văn"
        return family, middle, given


def phone_number(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
