import unicodedata

from chibo.core.vntext import (
    collation_key,
    fold,
    name_case,
    name_sort_key,
    nfc,
    split_full_name,
)


def _sorted(names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: name_sort_key(*split_full_name(name)))


def test_nfc_composes_decomposed_input_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Văn  Ấn ")
    assert decomposed != "Nguyễn Văn Ấn"
    assert nfc(decomposed) == "Nguyễn Văn Ấn"


def test_fold_drops_diacritics_case_and_d_stroke():
    assert fold("Đặng Thị Ánh  NGUYỆT") == "dang thi anh nguyet"
    assert fold(unicodedata.normalize("NFD", "Đỗ Ưng")) == "do ung"


def test_split_full_name_family_middle_given():
    assert split_full_name("Nguyễn Văn An") == ("Nguyễn", "Văn", "An")
    assert split_full_name("Lê Thị Thu Hằng") == ("Lê", "Thị Thu", "Hằng")
    assert split_full_name("Trần Bình") == ("Trần", "", "Bình")
    assert split_full_name("Hoa") == ("", "", "Hoa")
    assert split_full_name("Tôn Nữ Thị Ninh") == ("Tôn Nữ", "Thị", "Ninh")
    assert split_full_name("   ") == ("", "", "")


def test_name_case_capitalises_each_word():
    assert name_case("nguyễn  VĂN ấn") == "Nguyễn Văn Ấn"


def test_vietnamese_alphabet_order_of_letters():
    # a < ă < â < b < c < d < đ < e < ê … o < ô < ơ … u < ư
    words = ["ư", "u", "ơ", "ô", "o", "ê", "e", "đ", "d", "c", "b", "â", "ă", "a"]
    assert sorted(words, key=collation_key) == [
        "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư",
    ]  # fmt: skip


def test_letters_weigh_before_tones_and_tones_in_order():
    # Same letters: ngang < huyền < sắc < hỏi < ngã < nặng.
    assert sorted(["Ạn", "Ãn", "Ản", "Án", "Àn", "An"], key=collation_key) == [
        "An", "Àn", "Án", "Ản", "Ãn", "Ạn",
    ]  # fmt: skip
    # Letters decide first: "Án" comes before "Anh" although its tone is heavier.
    assert sorted(["Anh", "Án"], key=collation_key) == ["Án", "Anh"]


def test_people_sort_by_given_then_middle_then_family():
    names = [
        "Nguyễn Văn Đức",
        "Trần Thị Ánh",
        "Lê Văn Anh",
        "Phạm Thị Ân",
        "Hoàng Văn An",
        "Bùi Văn Đạt",
        "Lê Anh",
        "Trần Văn Ánh",
        "Đỗ Thị Dung",
        "Ngô Thị Dung",
    ]
    assert _sorted(names) == [
        "Hoàng Văn An",
        "Lê Anh",
        "Lê Văn Anh",
        "Trần Thị Ánh",
        "Trần Văn Ánh",
        "Phạm Thị Ân",
        "Đỗ Thị Dung",
        "Ngô Thị Dung",
        "Bùi Văn Đạt",
        "Nguyễn Văn Đức",
    ]


def test_sort_key_is_ascii_digits_so_every_collation_agrees():
    key = name_sort_key("Nguyễn", "Thị Ánh", "Đào")
    assert key.isdigit()
    assert name_sort_key("Nguyễn", "Văn", "An") == name_sort_key(
        *split_full_name(unicodedata.normalize("NFD", "nguyễn văn an").title())
    )
