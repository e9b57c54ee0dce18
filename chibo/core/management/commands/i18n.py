"""`chibo i18n`: compile the translations (.po -> .mo) in pure Python.

polib does what GNU msgfmt would, so installing Chibo needs no gettext tools. Like
`msgfmt --check`, it refuses a translation whose %-placeholders differ from the
original's: a missing or misspelt `%(name)s` would raise KeyError on the page that
shows it, long after the install seemed fine.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

# printf-style placeholders, named or positional; `%%` is a literal percent sign.
_PERCENT = re.compile(r"%(?:\((?P<name>[^)]+)\))?[-#0 +]*\d*(?:\.\d+)?(?P<kind>[a-zA-Z%])")
_BRACE = re.compile(r"(?<!\{)\{(?P<name>[^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    msgid: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text} — msgid {self.msgid!r}"


@dataclass(frozen=True)
class Placeholders:
    named: frozenset[str]
    positional: tuple[str, ...]

    def __str__(self) -> str:
        return ", ".join(sorted(self.named) + list(self.positional)) or "—"


def catalogues() -> list[Path]:
    """Every .po file under the project's locale directories, in a stable order."""
    found: list[Path] = []
    for locale_dir in settings.LOCALE_PATHS:
        found.extend(sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")))
    return found


def placeholders(text: str, flags: list[str]) -> Placeholders:
    named: set[str] = set()
    positional: list[str] = []
    if "python-format" in flags:
        for match in _PERCENT.finditer(text):
            if match["kind"] == "%":
                continue
            if match["name"]:
                named.add(f"%({match['name']}){match['kind']}")
            else:
                positional.append(f"%{match['kind']}")
    if "python-brace-format" in flags:
        for match in _BRACE.finditer(text):
            if match["name"] and not match["name"].isdigit():
                named.add("{" + match["name"] + "}")
            else:
                positional.append("{" + match["name"] + "}")
    return Placeholders(frozenset(named), tuple(positional))


def check_entry(path: Path, entry: polib.POEntry) -> list[Problem]:
    """A translation must use the placeholders the code fills in: an unknown one raises
    KeyError when the page is shown. A plural form may leave a named one out ("one
    member" for count = 1), never add one."""
    expected = placeholders(entry.msgid, entry.flags)
    if entry.msgid_plural:
        plural = placeholders(entry.msgid_plural, entry.flags)
        expected = Placeholders(expected.named | plural.named, plural.positional)
        translations = [text for _form, text in sorted(entry.msgstr_plural.items())]
    else:
        translations = [entry.msgstr]
    problems: list[Problem] = []
    for translation in translations:
        got = placeholders(translation, entry.flags)
        if entry.msgid_plural:
            named_ok = got.named <= expected.named
        else:
            named_ok = got.named == expected.named
        if translation and not (named_ok and got.positional == expected.positional):
            problems.append(
                Problem(
                    path,
                    entry.linenum,
                    entry.msgid,
                    _("chỗ điền giá trị trong bản dịch (%(got)s) khác bản gốc (%(expected)s)")
                    % {"got": got, "expected": expected},
                )
            )
    return problems


def compile_catalogue(path: Path) -> tuple[int, int, list[Problem]]:
    """Write the .mo next to `path`; returns (translated, total, problems). Nothing is
    written when there is a problem, so a broken file never replaces a working one."""
    try:
        catalogue = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        raise CommandError(
            _("Không đọc được %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    problems = [
        problem for entry in catalogue.translated_entries() for problem in check_entry(path, entry)
    ]
    live = [entry for entry in catalogue if not entry.obsolete]
    translated = len(catalogue.translated_entries())
    if problems:
        return translated, len(live), problems
    target = path.with_suffix(".mo")
    # Write beside the target and rename, so a running server never reads half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".django-", suffix=".mo")
    os.close(handle)
    try:
        catalogue.save_as_mofile(temporary)
        Path(temporary).chmod(0o644)
        Path(temporary).replace(target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return translated, len(live), []


class Command(BaseCommand):
    help = _(
        "Biên dịch các tệp bản dịch (chibo/locale/*/LC_MESSAGES/*.po) thành .mo, "
        "không cần công cụ GNU gettext."
    )
    # It runs while installing, before the database or the URL configuration need to work.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Báo lỗi nếu còn câu chưa dịch hoặc bản dịch còn đánh dấu fuzzy."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = catalogues()
        if not paths:
            raise CommandError(
                _("Không tìm thấy tệp .po nào trong %(dirs)s.")
                % {"dirs": ", ".join(str(d) for d in settings.LOCALE_PATHS)}
            )
        problems: list[Problem] = []
        incomplete: list[str] = []
        for path in paths:
            translated, total, found = compile_catalogue(path)
            problems.extend(found)
            if found:
                continue
            self.stdout.write(
                _("%(path)s: đã dịch %(translated)d/%(total)d câu")
                % {"path": path, "translated": translated, "total": total}
            )
            if options["check"]:
                catalogue = polib.pofile(str(path), wrapwidth=0)
                incomplete.extend(
                    str(Problem(path, entry.linenum, entry.msgid, _("chưa dịch")))
                    for entry in catalogue.untranslated_entries()
                )
                incomplete.extend(
                    str(Problem(path, entry.linenum, entry.msgid, _("bản dịch còn đánh dấu fuzzy")))
                    for entry in catalogue.fuzzy_entries()
                )
        if problems:
            raise CommandError("\n".join(str(problem) for problem in problems))
        if incomplete:
            raise CommandError("\n".join(incomplete))
