"""Old Vietnamese font encodings (TCVN3 / ABC and VNI-Windows) turned into Unicode NFC.

Sheets typed in the 1990s and 2000s with the .VnTime (TCVN3) or VNI-Times (VNI) fonts
store each Vietnamese letter as one or two bytes of the Windows "Western" code page, so
a spreadsheet cell reads "NguyÔn V¨n An" (TCVN3) or "Nguyeãn Vaên An" (VNI). The tables
below are written from the published charts: TCVN 5712:1993 (VN3, the 8-bit layout the
ABC keyboard and the .Vn fonts use) and the VNI-Windows letter + mark sequences.

Detection is per cell. A cell is read in each candidate encoding and the reading with
the most valid Vietnamese syllables wins; the cell as it stands wins every tie, so
correct Unicode (and plain ASCII, which never changes) is never damaged.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

UNICODE = "unicode"
TCVN3 = "tcvn3"
VNI = "vni"
CP1258 = "cp1258"

# --- TCVN3 (TCVN 5712:1993, VN3) -----------------------------------------------------
# Lower-case letters have their own byte; of the capitals only the seven letters with a
# modifier but no tone exist (.VnTime); toned capitals were typed with the .VnTimeH font,
# which draws the lower-case codes as capitals.
TCVN3_TABLE: Mapping[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

# --- VNI-Windows -------------------------------------------------------------------------
# A vowel is its ASCII base letter followed by one mark byte (modifier and tone in one);
# ơ, ư, đ, ỵ and the five i vowels have a byte of their own. Capitals use the capital
# form of the same mark byte.
_VNI_TONES = {"\u0301": 0xF9, "\u0300": 0xF8, "\u0309": 0xFB, "\u0303": 0xF5, "\u0323": 0xEF}
_VNI_CIRCUMFLEX = {"": 0xE2, "\u0301": 0xE1, "\u0300": 0xE0, "\u0309": 0xE5, "\u0303": 0xE3,
                   "\u0323": 0xE4}  # fmt: skip
_VNI_BREVE = {"": 0xEA, "\u0301": 0xE9, "\u0300": 0xE8, "\u0309": 0xFA, "\u0303": 0xFC,
              "\u0323": 0xEB}  # fmt: skip
_VNI_SINGLE_LOWER = {"ơ": 0xF4, "ư": 0xF6, "đ": 0xF1, "ỵ": 0xEE,
                     "í": 0xED, "ì": 0xEC, "ỉ": 0xE6, "ĩ": 0xF3, "ị": 0xF2}  # fmt: skip
_TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")


def _upper_byte(byte: int) -> int:
    # In the Western code page a capital sits 0x20 below its small letter.
    return byte - 0x20


def _build_vni() -> dict[str, bytes]:
    """Unicode letter -> VNI bytes, for every Vietnamese letter with a diacritic."""
    table: dict[str, bytes] = {}
    for lower, byte in _VNI_SINGLE_LOWER.items():
        table[lower] = bytes([byte])
        table[lower.upper()] = bytes([_upper_byte(byte)])
    for lower in ("ơ", "ư"):
        for tone, mark in _VNI_TONES.items():
            letter = unicodedata.normalize("NFC", lower + tone)
            single = _VNI_SINGLE_LOWER[lower]
            table[letter] = bytes([single, mark])
            table[letter.upper()] = bytes([_upper_byte(single), _upper_byte(mark)])
    for base in "aeouy":
        for tone, mark in _VNI_TONES.items():
            letter = unicodedata.normalize("NFC", base + tone)
            if letter in table:  # ỵ has its own byte
                continue
            table[letter] = base.encode() + bytes([mark])
            table[letter.upper()] = base.upper().encode() + bytes([_upper_byte(mark)])
    for base, modifier, marks in (
        ("a", "\u0302", _VNI_CIRCUMFLEX),
        ("e", "\u0302", _VNI_CIRCUMFLEX),
        ("o", "\u0302", _VNI_CIRCUMFLEX),
        ("a", "\u0306", _VNI_BREVE),
    ):
        for tone, mark in marks.items():
            letter = unicodedata.normalize("NFC", base + modifier + tone)
            table[letter] = base.encode() + bytes([mark])
            table[letter.upper()] = base.upper().encode() + bytes([_upper_byte(mark)])
    return table


VNI_ENCODE: Mapping[str, bytes] = _build_vni()
TCVN3_ENCODE: Mapping[str, bytes] = {char: bytes([byte]) for byte, char in TCVN3_TABLE.items()}
# Sequences of one or two bytes -> letter. A mark byte of either case is accepted after a
# base letter of either case (keyboards were not consistent); the letter keeps its case.
_VNI_DECODE: dict[bytes, str] = {}
for _letter, _sequence in VNI_ENCODE.items():
    _VNI_DECODE[_sequence] = _letter
for _letter, _sequence in list(VNI_ENCODE.items()):
    if len(_sequence) == 2:
        _other = _sequence[1] + 0x20 if _sequence[1] < 0xE0 else _sequence[1] - 0x20
        _VNI_DECODE.setdefault(bytes([_sequence[0], _other]), _letter)

# --- the code pages the legacy bytes come through ------------------------------------
# Spreadsheets store what the Western code page (cp1252) showed for each byte; the five
# bytes cp1252 leaves undefined come through as C1 control characters.
_CP1252_BYTE: dict[str, int] = {}
for _byte in range(256):
    try:
        _CP1252_BYTE[bytes([_byte]).decode("cp1252")] = _byte
    except UnicodeDecodeError:
        _CP1252_BYTE[chr(_byte)] = _byte
# Characters that can only be Unicode text: anything outside what cp1252 can show.
_NOT_CP1252 = re.compile(
    "[^" + "".join(re.escape(char) for char in sorted(_CP1252_BYTE) if char) + "]"
)


def _legacy_bytes(text: str, codec: str) -> bytes | None:
    """The bytes behind `text` as the code page `codec` showed them, or None if `text`
    holds a character that code page cannot show (so it is Unicode)."""
    if codec == "latin-1":
        try:
            return text.encode("latin-1")
        except UnicodeEncodeError:
            return None
    if _NOT_CP1252.search(text):
        return None
    return bytes(_CP1252_BYTE[char] for char in text)


def decode_tcvn3(data: bytes) -> str:
    return "".join(TCVN3_TABLE.get(byte) or bytes([byte]).decode("cp1252", "replace")
                   for byte in data)  # fmt: skip


def decode_vni(data: bytes) -> str:
    out: list[str] = []
    index, size = 0, len(data)
    while index < size:
        pair = data[index : index + 2]
        if len(pair) == 2 and pair in _VNI_DECODE:
            out.append(_VNI_DECODE[pair])
            index += 2
            continue
        single = data[index : index + 1]
        out.append(_VNI_DECODE.get(single) or single.decode("cp1252", "replace"))
        index += 1
    return "".join(out)


def encode_tcvn3(text: str) -> str:
    """Unicode -> the text a .VnTime sheet shows (inverse table; capitals with a tone,
    which TCVN3 lacks, are written as their small letter, as .VnTimeH users typed)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        sequence = TCVN3_ENCODE.get(char) or TCVN3_ENCODE.get(char.lower())
        out.append(sequence.decode("cp1252") if sequence else char)
    return "".join(out)


def encode_vni(text: str) -> str:
    """Unicode -> the text a VNI-Windows sheet shows (inverse table)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        sequence = VNI_ENCODE.get(char)
        out.append(sequence.decode("cp1252") if sequence else char)
    return "".join(out)


# --- telling the readings apart ----------------------------------------------------------
_INITIALS = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEI = (
    "iêu|yêu|oai|oay|oao|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_FINALS = "ch|ng|nh|c|m|n|p|t"
_SYLLABLE = re.compile(rf"(?:{_INITIALS})?(?:{_NUCLEI})(?:{_FINALS})?")
_EDGE_PUNCTUATION = "\"'()[]{}.,;:!?-–/\\*"


@functools.lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Is `word` a well-formed Vietnamese syllable (one tone at most)?"""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(decomposed.count(mark) for mark in _TONE_MARKS)
    if tones > 1:
        return False
    for mark in _TONE_MARKS:
        decomposed = decomposed.replace(mark, "")
    return _SYLLABLE.fullmatch(unicodedata.normalize("NFC", decomposed)) is not None


def _score(text: str) -> int:
    score = 0
    for word in text.split():
        word = word.strip(_EDGE_PUNCTUATION)
        if word and not word.isdigit():
            score += 1 if is_syllable(word) else -1
    return score


@dataclass(frozen=True)
class Reading:
    text: str
    encoding: str
    # False when another encoding read the cell just as well (the cell kept as it was).
    certain: bool = True


def _readings(text: str, codec: str) -> list[Reading] | None:
    data = _legacy_bytes(text, codec)
    if data is None:
        return None
    readings = [Reading(text, UNICODE)]
    if codec == "latin-1":
        # Bytes of a text file that is not UTF-8: Windows Vietnamese is one more candidate,
        # and the only one that needs its combining tones composed.
        readings[0] = Reading(unicodedata.normalize("NFC", data.decode(CP1258, "replace")), CP1258)
    readings.append(Reading(decode_tcvn3(data), TCVN3))
    readings.append(Reading(decode_vni(data), VNI))
    return readings


def _all_capitals(text: str) -> bool:
    """Typed in capitals: judged by the words holding old-font letters, so that an
    acronym beside an ordinary word ("Sè CCCD", Số CCCD) does not make it all capitals."""
    letters = [
        char
        for word in text.split()
        if not word.isascii()
        for char in word
        if char.isascii() and char.isalpha()
    ]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


@functools.lru_cache(maxsize=131072)
def to_unicode(text: str, codec: str = "cp1252") -> Reading:
    """The Unicode NFC form of one cell, and the encoding it was found in.

    `codec` says how legacy bytes reached us: "cp1252" for spreadsheet cells, "latin-1"
    for the raw bytes of a text file that is not UTF-8.
    """
    if text.isascii():
        return Reading(text, UNICODE)
    readings = _readings(text, codec)
    if readings is None:
        return Reading(unicodedata.normalize("NFC", text), UNICODE)
    scored = [(_score(reading.text), index, reading) for index, reading in enumerate(readings)]
    best_score = max(score for score, _index, _reading in scored)
    winners = [reading for score, _index, reading in scored if score == best_score]
    chosen = winners[0]
    if chosen.encoding in (TCVN3, VNI) and _all_capitals(text):
        # Typed in capitals with a .VnTimeH / VNI capital font: the tones were small codes.
        chosen = Reading(chosen.text.upper(), chosen.encoding)
    return Reading(
        unicodedata.normalize("NFC", chosen.text), chosen.encoding, certain=len(winners) == 1
    )


def reread(text: str, encoding: str, codec: str = "cp1252") -> str | None:
    """`text` read in a given legacy encoding (for a cell whose own reading was a tie),
    or None when that reading is worse than the cell as it stands."""
    readings = _readings(text, codec)
    if readings is None:
        return None
    current = _score(readings[0].text)
    for reading in readings[1:]:
        if reading.encoding == encoding and _score(reading.text) >= current:
            converted = reading.text.upper() if _all_capitals(text) else reading.text
            return unicodedata.normalize("NFC", converted)
    return None
