"""Every message of the source has its English translation, and the pages use it.

chibo/core/tests/test_i18n.py checks the shipped catalogue is complete (`chibo i18n
--check`), but a catalogue nobody re-extracted is complete too: strings added to the code
since the last `make messages` are simply not in it, and the English page shows them in
Vietnamese. So this extracts the messages again, the way `make messages` does, into a copy
of the source, and fails on every message that has no finished English translation.
"""

from __future__ import annotations

import datetime
import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from chibo.evaluation.models import Grade, Round
from chibo.evaluation.rules import rule_set
from chibo.evaluation.services import round_open

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = Path("chibo") / "locale" / "en" / "LC_MESSAGES" / "django.po"
# The options of `make messages` (Makefile), so the check sees what a developer's run sees.
IGNORED = [".venv", "var", "tests", "conftest.py", "scripts"]
# A year the current rule set covers (Quy định 366-QĐ/TW, from 2025): its criteria and
# citations appear on the pages in English too.
YEAR = 2025


def extract_into_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, edits: dict[Path, str] | None = None
) -> polib.POFile:
    """Run makemessages over a copy of the source and the shipped catalogue (with `edits`
    written into the copy): the working tree's catalogue is never rewritten by a test."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.fail(
            "GNU gettext (xgettext, msgmerge) is needed to extract the messages: "
            "apt-get install gettext"
        )
    # Compiled files, static assets and tests hold no message makemessages would read.
    shutil.copytree(
        ROOT / "chibo",
        tmp_path / "chibo",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "tests"),
    )
    for relative, text in (edits or {}).items():
        (tmp_path / relative).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "chibo" / "locale"]):
        call_command(
            "makemessages", locale=["en"], no_obsolete=True, ignore_patterns=IGNORED, verbosity=0
        )
    return polib.pofile(str(tmp_path / CATALOGUE), wrapwidth=0)


def describe(entry: polib.POEntry, why: str) -> str:
    places = " ".join(f"{path}:{line}" for path, line in entry.occurrences[:3])
    return f"{why}: {entry.msgid!r} ({places})"


def test_every_message_in_the_source_has_an_english_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = extract_into_copy(tmp_path, monkeypatch)
    # A message new to the catalogue comes out empty, or fuzzy when msgmerge guessed its
    # translation from a similar one: neither is a translation anyone checked.
    missing = [describe(entry, "untranslated") for entry in catalogue.untranslated_entries()]
    missing += [describe(entry, "fuzzy") for entry in catalogue.fuzzy_entries()]
    assert not missing, (
        f"{len(missing)} messages have no English translation; run `make messages` and "
        "translate them in chibo/locale/en/LC_MESSAGES/django.po:\n" + "\n".join(missing)
    )
    # The evaluation app is the largest user of the catalogue; an extraction that missed
    # it would pass the check above for the wrong reason.
    evaluation = [
        entry
        for entry in catalogue
        if any(path.startswith("chibo/evaluation/") for path, _line in entry.occurrences)
    ]
    assert len(evaluation) > 200


def test_the_check_finds_a_message_added_to_a_template_or_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = Path("chibo/evaluation/templates/evaluation/home.html")
    original = (ROOT / template).read_text(encoding="utf-8")
    in_template = "Câu mới trong mẫu trang, chưa có bản dịch"
    in_code = "Câu mới trong mã nguồn, chưa có bản dịch"
    catalogue = extract_into_copy(
        tmp_path,
        monkeypatch,
        edits={
            template: original + f'{{% translate "{in_template}" %}}\n',
            Path("chibo/evaluation/new_messages.py"): (
                f'from django.utils.translation import gettext as _\n\nMESSAGE = _("{in_code}")\n'
            ),
        },
    )
    untranslated = {entry.msgid: entry for entry in catalogue.untranslated_entries()}
    assert {in_template, in_code} <= set(untranslated)
    assert untranslated[in_template].occurrences == [(str(template), str(original.count("\n") + 1))]
    assert untranslated[in_code].occurrences == [("chibo/evaluation/new_messages.py", "3")]
    assert (ROOT / template).read_text(encoding="utf-8") == original
    assert not (ROOT / "chibo" / "evaluation" / "new_messages.py").exists()


@pytest.fixture
def compiled() -> Iterator[None]:
    """The pages read the compiled catalogue: compile the .po as it is now, and make this
    process load it afresh (changing LOCALE_PATHS empties Django's cache of catalogues)."""
    call_command("i18n", verbosity=0)
    with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
        yield


@pytest.fixture
def round_(demo: Any) -> Round:
    return round_open(
        user=demo.user("danguy"),
        org=demo.org("DU-DT"),
        year=YEAR,
        reference_date=datetime.date(YEAR, 12, 1),
    )


def in_english(client: Client) -> Client:
    """The language switch in the footer of every page posts here."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/evaluation/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Language"] == "en"
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.usefixtures("compiled")
def test_the_evaluation_pages_read_in_english(demo: Any, round_: Round) -> None:
    committee = in_english(demo.client("danguy"))
    home = page(committee, reverse("evaluation_home"))
    assert '<html lang="en">' in home
    assert "<h1>Quality evaluation and grading</h1>" in home
    assert "Đánh giá, xếp loại chất lượng" not in home

    detail = page(committee, reverse("evaluation_round", args=[round_.pk]))
    assert "<h1>Evaluation and grading of 2025</h1>" in detail
    assert "Regulation 366-QĐ/TW of 30/8/2025 of the Politburo" in detail
    assert "Progress by unit" in detail
    assert "Tiến độ theo đơn vị" not in detail

    cell = page(committee, reverse("evaluation_cell", args=[round_.pk, "DU-DT-CB01"]))
    assert "Evaluation and grading of 2025 — " in cell
    assert "Decide the grades" in cell

    member = in_english(demo.client("dangvien1"))
    own = page(member, reverse("evaluation_self", args=[round_.pk]))
    assert "<h1>Self-assessment and self-grading for 2025</h1>" in own
    # The criteria of the regulation are messages too, whatever their wording becomes.
    for criterion in rule_set(round_.rule_set).member_criteria:
        with translation.override("en"):
            title = str(criterion.title)
        with translation.override("vi"):
            assert title != str(criterion.title)
        assert html.escape(title) in own
    assert "Send the self-assessment" in own
    assert "Gửi bản tự đánh giá" not in own


@pytest.mark.usefixtures("compiled")
def test_the_grades_use_the_party_terms_in_english() -> None:
    with translation.override("en"):
        assert [str(label) for label in Grade.labels] == [
            "Excellently fulfilled duties",
            "Well fulfilled duties",
            "Fulfilled duties",
            "Failed to fulfil duties",
            "Strong",
            "Fair",
            "Average",
            "Weak",
        ]
    with translation.override("vi"):
        assert str(Grade.EXCELLENT.label) == "Hoàn thành xuất sắc nhiệm vụ"
