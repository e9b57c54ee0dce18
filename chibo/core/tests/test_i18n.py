"""`chibo i18n` compiles the English catalogue without GNU gettext, and refuses broken ones."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: en\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def write_catalogue(root: Path, body: str) -> Path:
    path = root / "en" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_the_shipped_english_catalogue_is_complete_and_compiles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("i18n", "--check")
    out = capsys.readouterr().out
    assert "django.po" in out
    catalogue = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
    assert (catalogue / "django.mo").stat().st_size > 0
    compiled = polib.mofile(str(catalogue / "django.mo"))
    entry = compiled.find("Hội Nông dân")
    assert entry is not None
    assert entry.msgstr == "Farmers' Association"


def test_english_is_served_from_the_compiled_catalogue() -> None:
    call_command("i18n")
    with translation.override("en"):
        assert gettext("Hội Liên hiệp Phụ nữ") == "Women's Union"
        assert gettext("Số CCCD %(value)s đã có trong hệ thống.") % {"value": "001"} == (
            "Citizen ID 001 is already registered."
        )
    with translation.override("vi"):
        assert gettext("Hội Liên hiệp Phụ nữ") == "Hội Liên hiệp Phụ nữ"


def test_compiles_plurals_and_skips_fuzzy_entries(tmp_path: Path) -> None:
    path = write_catalogue(
        tmp_path,
        """#, python-format
msgid "%(count)s đảng viên"
msgid_plural "%(count)s đảng viên"
msgstr[0] "one party member"
msgstr[1] "%(count)s party members"

#, fuzzy
msgid "Chi bộ"
msgstr "Cell (unsure)"
""",
    )
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command("i18n")
    compiled = polib.mofile(str(path.with_suffix(".mo")))
    assert compiled.find("Chi bộ") is None
    plural = compiled.find("%(count)s đảng viên")
    assert plural is not None
    assert plural.msgstr_plural == {0: "one party member", 1: "%(count)s party members"}


@pytest.mark.parametrize(
    "msgstr",
    ["Citizen ID %(valeu)s is taken", "Citizen ID is taken", "ID %(value)s, %(extra)s"],
)
def test_refuses_a_translation_with_other_placeholders(tmp_path: Path, msgstr: str) -> None:
    path = write_catalogue(
        tmp_path,
        f"""#, python-format
msgid "Số CCCD %(value)s đã có trong hệ thống."
msgstr "{msgstr}"
""",
    )
    with override_settings(LOCALE_PATHS=[tmp_path]), pytest.raises(CommandError) as raised:
        call_command("i18n")
    message = str(raised.value)
    assert f"{path}:7" in message
    assert "%(value)s" in message
    assert "Số CCCD %(value)s đã có trong hệ thống." in message
    assert not path.with_suffix(".mo").exists(), "a broken catalogue must not be compiled"


def test_a_literal_percent_sign_is_not_a_placeholder(tmp_path: Path) -> None:
    path = write_catalogue(
        tmp_path,
        """#, python-format
msgid "%(rate)s%% đảng viên hoàn thành tốt nhiệm vụ"
msgstr "%(rate)s%% of members completed their tasks well"
""",
    )
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command("i18n")
    assert path.with_suffix(".mo").exists()


def test_check_lists_untranslated_and_fuzzy_entries(tmp_path: Path) -> None:
    path = write_catalogue(
        tmp_path,
        """msgid "Chi bộ"
msgstr ""

#, fuzzy
msgid "Đảng bộ"
msgstr "Party committee?"

msgid "Hội viên"
msgstr "Association member"
""",
    )
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command("i18n")  # incomplete is fine for an ordinary compile
        with pytest.raises(CommandError) as raised:
            call_command("i18n", "--check")
    message = str(raised.value)
    assert f"{path}:7: chưa dịch — msgid 'Chi bộ'" in message
    assert "'Đảng bộ'" in message
    assert "Hội viên" not in message


def test_no_catalogue_is_an_error(tmp_path: Path) -> None:
    with override_settings(LOCALE_PATHS=[tmp_path]), pytest.raises(CommandError) as raised:
        call_command("i18n")
    assert str(tmp_path) in str(raised.value)
