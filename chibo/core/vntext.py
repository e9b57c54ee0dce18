"""Vietnamese text: normalisation, diacritics-free folding, name splitting and collation.

Sorting happens in the database, so the collation is turned into a key made only of
ASCII digits: every collation (SQLite BINARY, PostgreSQL C or a linguistic locale)
orders such strings the same way, and paging stays in SQL.
"""

import re
import unicodedata

# Vietnamese alphabet (with f j w z for names of foreign origin), in dictionary order.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {letter: f"{index + 10:02d}" for index, letter in enumerate(ALPHABET)}
_TERMINATOR = "00"

# Combining marks: the vowel modifiers belong to the letter, the tones are weighed after it.
_MODIFIERS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_MODIFIED = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}

_SPACES = re.compile(r"\s+")

# Two-word family names; a longer name starting with one of these keeps both words.
COMPOUND_FAMILY_NAMES = frozenset(
    {"tôn nữ", "tôn thất", "âu dương", "công tôn", "hoàng phủ", "nguyễn phúc", "tư mã", "gia cát"}
)


def nfc(text: str) -> str:
    """Unicode NFC with whitespace collapsed: the one form every stored string takes."""
    if not text:
        # Most optional fields of an imported row are empty.
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower-case ASCII form for diacritics-insensitive search: 'Đặng Thị Ánh' -> 'dang thi anh'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """Split 'Nguyễn Văn An' into (family, middle, given) = ('Nguyễn', 'Văn', 'An')."""
    words = nfc(full_name).split(" ")
    words = [w for w in words if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    family_size = 1
    if len(words) >= 3 and f"{words[0]} {words[1]}".lower() in COMPOUND_FAMILY_NAMES:
        family_size = 2
    family = " ".join(words[:family_size])
    given = words[-1]
    middle = " ".join(words[family_size:-1])
    return family, middle, given


def join_name(family: str, middle: str, given: str) -> str:
    return " ".join(part for part in (family, middle, given) if part)


def _letters_and_tones(word: str) -> tuple[str, str]:
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONES:
            if tones:
                tones[-1] = str(_TONES[char])
            continue
        if char in _MODIFIERS:
            if letters:
                base = letters[-1]
                letters[-1] = _MODIFIED.get((base, _MODIFIERS[char]), base)
            continue
        if unicodedata.combining(char):
            continue
        letters.append(char)
        tones.append("0")
    primary = "".join(_LETTER_CODE.get(letter, _other_code(letter)) for letter in letters)
    return primary, "".join(tones)


def _other_code(char: str) -> str:
    # Digits and punctuation sort before every letter, after the terminator.
    return "01" if char.isdigit() else "02"


def collation_key(text: str) -> str:
    """Digits-only key ordering text the Vietnamese way: letters first, then tones."""
    primary, tones = _letters_and_tones(nfc(text).replace(" ", ""))
    return primary + _TERMINATOR + tones


def name_sort_key(family: str, middle: str, given: str) -> str:
    """Key for listing people: by given name, then middle name, then family name."""
    return "".join(collation_key(part) for part in (given, middle, family))


def name_case(text: str) -> str:
    """'nguyễn  văn AN' -> 'Nguyễn Văn An' (each word capitalised, NFC)."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in nfc(text).split(" ") if word)
