"""Checking every row of a member sheet before anything is written.

Each row becomes a `PlannedRow` (what to create or update) or one or more `Problem`s
naming the row as the spreadsheet numbers it, the column by its header, and what is wrong.
The rules are the people app's own (`person_clean`, `membership_clean`); what only a
whole file can tell (the same CCCD twice, a CCCD already in another unit, an unknown
unit, a namesake to ask about) is checked here with a handful of batched queries, never
one query per row.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.scoping import scope_for
from chibo.core.vntext import fold, nfc
from chibo.imports.headers import FIELDS_BY_KEY, NOT_STORED
from chibo.imports.parsing import Cell, DateProblem, Row, Table, iter_chunks, parse_date
from chibo.orgs.models import Family, Org
from chibo.people.models import (
    CLOSING_STATUSES,
    Gender,
    Membership,
    MembershipStatus,
    Person,
)
from chibo.people.services import (
    PERSON_FIELDS,
    PersonData,
    allowed_statuses,
    membership_clean,
)
from chibo.people.services import person_clean as clean_person

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

CHUNK = 500
NEW = "new"
PERSON_TEXT_FIELDS = (
    "phone", "email", "ethnicity", "religion", "hometown", "address", "occupation", "job_position",
)  # fmt: skip
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    row: int  # spreadsheet row number; 0 for the file as a whole
    column: str  # the column's header as the sheet writes it; "" for the whole row
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if self.column:
            return _("Dòng %(row)s, cột “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Candidate:
    person_id: int
    full_name: str
    birth_date: datetime.date | None
    unit: str


@dataclass
class PlannedRow:
    number: int
    values: dict[str, Any]  # cleaned person fields (person_clean)
    given: frozenset[str]  # person fields the row filled in (an update keeps the others)
    unit: Org
    unit_given: bool
    status: str
    status_given: bool
    joined_on: datetime.date | None
    official_on: datetime.date | None
    card_number: str
    person_id: int | None = None
    matched_by: str = ""  # citizen_id, card_number, name
    membership_id: int | None = None
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class Plan:
    table: Table
    org: Org
    rows: list[PlannedRow]
    problems: list[Problem]
    # Rows whose name and birth date match people already in the registry: the user must
    # say, row by row, whether they are the same person.
    pending: list[PlannedRow]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.pending

    @property
    def creates(self) -> int:
        return sum(1 for row in self.rows if row.person_id is None)

    @property
    def updates(self) -> int:
        return sum(1 for row in self.rows if row.person_id is not None)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- reading one cell --------------------------------------------------------------------


def _text(cell: Cell) -> str:
    # Text cells come out of parsing already stripped and in NFC; the people services
    # collapse inner spaces of what they store.
    if isinstance(cell, str):
        return cell
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.strftime("%d/%m/%Y")
    return nfc(str(cell))


def _digits(cell: Cell, *, width: int) -> str:
    """A number typed into a numeric cell lost its leading zeros (CCCD "001…", phone
    "09…"): they are put back up to `width`."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        number = str(int(cell))
        return number.zfill(width) if width - 2 <= len(number) < width else number
    return "".join(_text(cell).split())


_GENDERS = {
    "nam": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE, "trai": Gender.MALE,
    "nu": Gender.FEMALE, "f": Gender.FEMALE, "female": Gender.FEMALE, "gai": Gender.FEMALE,
}  # fmt: skip


class _UnitIndex:
    """Units of the import's subtree by code and by folded name."""

    PREFIXES = ("chi bo ", "chi hoi ", "chi doan ", "dang bo ", "to ")

    def __init__(self, org: Org) -> None:
        self.root = org
        units = list(Org.objects.filter(path__startswith=org.path, family=org.family))
        self.by_code = {unit.code.upper(): unit for unit in units}
        self.by_pk = {unit.pk: unit for unit in units}
        self.by_name: dict[str, list[Org]] = defaultdict(list)
        for unit in units:
            for text in {unit.name, unit.short_name} - {""}:
                for key in self._keys(text):
                    if unit not in self.by_name[key]:
                        self.by_name[key].append(unit)

    def _keys(self, text: str) -> set[str]:
        folded = fold(text)
        keys = {folded}
        for prefix in self.PREFIXES:
            if folded.startswith(prefix):
                keys.add(folded[len(prefix) :])
        return keys

    def find(self, text: str) -> tuple[Org | None, str]:
        code = text.strip().upper()
        if code in self.by_code:
            return self.by_code[code], ""
        found: list[Org] = []
        for key in self._keys(text):
            for unit in self.by_name.get(key, []):
                if unit not in found:
                    found.append(unit)
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, _("“%(value)s” khớp với nhiều đơn vị (%(codes)s); hãy ghi mã đơn vị.") % {
                "value": text,
                "codes": ", ".join(unit.code for unit in found),
            }
        return None, _(
            "không có đơn vị “%(value)s” trong %(org)s (ghi tên hoặc mã của một đơn vị trực thuộc)."
        ) % {"value": text, "org": self.root.name}


_STATUS_BY_LABEL = {fold(str(status.label)): str(status.value) for status in MembershipStatus} | {
    str(status.value): str(status.value) for status in MembershipStatus
}


# --- the whole file ------------------------------------------------------------------------


class _Checker:
    def __init__(
        self,
        table: Table,
        *,
        org: Org,
        user: AnyUser | None,
        decisions: dict[str, str],
        today: datetime.date,
        progress: Progress | None,
    ) -> None:
        self.table = table
        self.org = org
        self.user = user
        self.decisions = decisions
        self.today = today
        self.progress = progress
        self.problems: list[Problem] = []
        self.column_of: dict[str, int] = {}
        for index, key in enumerate(table.mapping):
            if key and key not in self.column_of:
                self.column_of[key] = index
        self.units = _UnitIndex(org)

    def header(self, key: str) -> str:
        index = self.column_of.get(key)
        if index is None:
            return str(FIELDS_BY_KEY[key].label) if key in FIELDS_BY_KEY else key
        return self.table.headers[index] or str(FIELDS_BY_KEY[key].label)

    def problem(self, row: int, key: str, message: str) -> None:
        self.problems.append(Problem(row, self.header(key) if key else "", message))

    def cell(self, row: Row, key: str) -> Cell:
        index = self.column_of.get(key)
        return None if index is None else row.cells[index]

    # -- mapping ---------------------------------------------------------------------------

    def check_mapping(self) -> bool:
        seen: dict[str, int] = {}
        ok = True
        for index, key in enumerate(self.table.mapping):
            if not key or key in NOT_STORED:
                continue
            if key in seen:
                self.problems.append(
                    Problem(
                        0,
                        "",
                        _("Hai cột “%(first)s” và “%(second)s” cùng được gán là “%(field)s”.")
                        % {
                            "first": self.table.headers[seen[key]] or seen[key] + 1,
                            "second": self.table.headers[index] or index + 1,
                            "field": FIELDS_BY_KEY[key].label,
                        },
                    )
                )
                ok = False
            seen[key] = index
        keys = set(seen)
        if not ({"full_name", "given_name"} & keys):
            self.problems.append(
                Problem(0, "", _("Chưa có cột họ và tên: hãy chọn cột nào là “Họ và tên”."))
            )
            ok = False
        return ok

    # -- one row ---------------------------------------------------------------------------

    def date(self, row: Row, key: str, *, allow_year: bool = False) -> datetime.date | None:
        try:
            value, _year_only = parse_date(
                self.cell(row, key), allow_year=allow_year, today=self.today
            )
        except DateProblem as problem:
            self.problem(row.number, key, str(problem))
            return None
        if value is not None and value > self.today:
            self.problem(
                row.number,
                key,
                _("ngày %(date)s ở tương lai.") % {"date": value.strftime("%d/%m/%Y")},
            )
            return None
        return value

    def full_name(self, row: Row) -> str:
        if "full_name" in self.column_of:
            return _text(self.cell(row, "full_name"))
        parts = [
            _text(self.cell(row, key))
            for key in ("family_middle", "family_name", "middle_name", "given_name")
        ]
        return " ".join(part for part in parts if part)

    def read_row(self, row: Row) -> PlannedRow | None:
        before = len(self.problems)
        given: set[str] = set()
        full_name = self.full_name(row)
        birth_date = self.date(row, "birth_date", allow_year=True)
        gender = ""
        gender_text = _text(self.cell(row, "gender"))
        if gender_text:
            gender = _GENDERS.get(fold(gender_text), "")
            if not gender:
                self.problem(
                    row.number,
                    "gender",
                    _("“%(value)s” không phải giới tính (ghi Nam hoặc Nữ).")
                    % {"value": gender_text},
                )
        citizen_id = _digits(self.cell(row, "citizen_id"), width=12)
        phone = _digits(self.cell(row, "phone"), width=10)
        if phone and len(phone) == 9 and phone.isdigit():
            phone = "0" + phone
        texts = {key: _text(self.cell(row, key)) for key in PERSON_TEXT_FIELDS if key != "phone"}
        data = PersonData(
            full_name=full_name,
            gender=gender,
            birth_date=birth_date,
            citizen_id=citizen_id,
            phone=phone,
            **texts,
        )
        values: dict[str, Any] = {}
        if not full_name:
            self.problem(row.number, self.name_key(), _("thiếu họ và tên."))
        else:
            try:
                values = clean_person(data)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    key = self.name_key() if name in ("given_name", "family_name") else name
                    for message in messages:
                        self.problem(row.number, key, message)
        for key in ("birth_date", "gender", "citizen_id", "phone", *texts):
            if getattr(data, key):
                given.add(key)
        if full_name:
            given |= {"family_name", "middle_name", "given_name"}

        unit, unit_given = self.org, False
        unit_text = _text(self.cell(row, "org"))
        if unit_text:
            found, message = self.units.find(unit_text)
            if found is None:
                self.problem(row.number, "org", message)
            else:
                unit, unit_given = found, True
        joined_on = self.date(row, "joined_on")
        official_on = self.date(row, "official_on")
        status, status_given = self.status(row, unit, joined_on, official_on)
        card_number = _digits(self.cell(row, "card_number"), width=0)
        if len(self.problems) == before:
            try:
                membership_clean(
                    org=unit,
                    status=status,
                    joined_on=joined_on,
                    official_on=official_on,
                    birth_date=birth_date,
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    for message in messages:
                        self.problem(row.number, self.membership_key(name), message)
        if len(self.problems) != before:
            return None
        return PlannedRow(
            number=row.number,
            values=values,
            given=frozenset(given),
            unit=unit,
            unit_given=unit_given,
            status=status,
            status_given=status_given,
            joined_on=joined_on,
            official_on=official_on,
            card_number=card_number,
        )

    def name_key(self) -> str:
        return "full_name" if "full_name" in self.column_of else "given_name"

    def membership_key(self, name: str) -> str:
        if name == "org":
            return "org" if "org" in self.column_of else ""
        if name == "status" and "status" not in self.column_of:
            return ""
        return name

    def status(
        self,
        row: Row,
        unit: Org,
        joined_on: datetime.date | None,
        official_on: datetime.date | None,
    ) -> tuple[str, bool]:
        text = _text(self.cell(row, "status"))
        if text:
            status = _STATUS_BY_LABEL.get(fold(text), "")
            allowed = allowed_statuses(unit.family)
            if status in CLOSING_STATUSES:
                self.problem(
                    row.number,
                    "status",
                    _(
                        "tư cách “%(value)s” kết thúc sinh hoạt, không nhập từ danh sách được; "
                        "hãy ghi trên trang hồ sơ của người đó."
                    )
                    % {"value": text},
                )
            elif status not in allowed:
                self.problem(
                    row.number,
                    "status",
                    _("“%(value)s” không phải tư cách của %(family)s (chọn một trong: %(list)s).")
                    % {
                        "value": text,
                        "family": Family(unit.family).label,
                        "list": ", ".join(
                            str(MembershipStatus(s).label)
                            for s in allowed
                            if s not in CLOSING_STATUSES
                        ),
                    },
                )
            return status or MembershipStatus.OFFICIAL, True
        if unit.family != Family.PARTY:
            return MembershipStatus.ACTIVE, False
        # Without a status column: official once the official date is known or the
        # 12 probationary months are over, probationary before.
        if official_on is None and joined_on and add_months(joined_on, 12) > self.today:
            return MembershipStatus.PROBATIONARY, False
        return MembershipStatus.OFFICIAL, False

    # -- the file against itself and the registry ----------------------------------------

    def run(self, rows: Sequence[Row]) -> Plan:
        planned: list[PlannedRow] = []
        if not self.check_mapping():
            return Plan(self.table, self.org, [], self.problems, [])
        workers = _worker_count(len(rows))
        if workers > 1:
            planned = self.read_rows_in_parallel(rows, workers)
        else:
            for index, row in enumerate(rows, start=1):
                result = self.read_row(row)
                if result is not None:
                    planned.append(result)
                if self.progress and index % 2000 == 0:
                    self.progress(index, len(rows))
        self.duplicates_in_file(planned)
        pending = self.match(planned)
        self.merge_existing(planned)
        failed = {problem.row for problem in self.problems}
        planned = [row for row in planned if row.number not in failed]
        return Plan(self.table, self.org, planned, self.problems, pending)

    def read_rows_in_parallel(self, rows: Sequence[Row], workers: int) -> list[PlannedRow]:
        """Each row's own checks are pure Python over data already in memory: a large
        sheet is split between forked processes, one per core. Nothing in them touches
        the database; units travel back as ids."""
        global _FORKED
        size = -(-len(rows) // workers)
        parts = [(start, min(start + size, len(rows))) for start in range(0, len(rows), size)]
        _FORKED = (self, rows)
        try:
            context = multiprocessing.get_context("fork")
            with context.Pool(len(parts)) as pool:
                results = pool.map(_read_part, parts)
        finally:
            _FORKED = None
        planned: list[PlannedRow] = []
        for part_rows, problems in results:
            self.problems.extend(problems)
            for row, unit_pk in part_rows:
                row.unit = self.units.by_pk[unit_pk]
                planned.append(row)
            if self.progress:
                self.progress(len(planned), len(rows))
        return planned

    def merge_existing(self, planned: list[PlannedRow]) -> None:
        """A matched person keeps what the row leaves empty; the merged record is checked
        by the same rules as a new one."""
        failed = {problem.row for problem in self.problems}
        matched = [r for r in planned if r.person_id is not None and r.number not in failed]
        people = _in_bulk(Person, [row.person_id for row in matched])
        memberships = _in_bulk(Membership, [row.membership_id for row in matched])
        for row in matched:
            person = people[row.person_id or 0]
            merged: dict[str, Any] = {key: getattr(person, key) for key in PERSON_FIELDS}
            for key in row.given:
                merged[key] = row.values[key]
            merged = {k: ("" if v is None and k != "birth_date" else v) for k, v in merged.items()}
            try:
                row.values = clean_person(PersonData(**merged))
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    key = self.name_key() if name in ("given_name", "family_name") else name
                    for message in messages:
                        self.problem(row.number, key, message)
                continue
            membership = memberships.get(row.membership_id or 0)
            if membership is None:
                continue
            if not row.status_given:
                row.status = membership.status
                if membership.status == MembershipStatus.PROBATIONARY and row.official_on:
                    row.status = MembershipStatus.OFFICIAL
            row.joined_on = row.joined_on or membership.joined_on
            row.official_on = row.official_on or membership.official_on
            row.card_number = row.card_number or membership.card_number
            try:
                membership_clean(
                    org=row.unit,
                    status=row.status,
                    joined_on=row.joined_on,
                    official_on=row.official_on,
                    birth_date=row.values["birth_date"],
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    for message in messages:
                        self.problem(row.number, self.membership_key(name), message)

    def duplicates_in_file(self, planned: list[PlannedRow]) -> None:
        for key, label in (("citizen_id", _("Số CCCD")), ("card_number", _("Số thẻ"))):
            first: dict[str, int] = {}
            for row in planned:
                value = row.values.get(key) if key == "citizen_id" else row.card_number
                if not value:
                    continue
                if value in first:
                    self.problem(
                        row.number,
                        key,
                        _("%(label)s %(value)s trùng với dòng %(other)s.")
                        % {"label": label, "value": value, "other": first[value]},
                    )
                else:
                    first[value] = row.number

    def match(self, planned: list[PlannedRow]) -> list[PlannedRow]:
        family = self.org.family
        by_cccd = _people_by_cccd(
            [str(r.values["citizen_id"]) for r in planned if r.values.get("citizen_id")]
        )
        by_card = _memberships_by_card([r.card_number for r in planned if r.card_number], family)
        unmatched = [
            r
            for r in planned
            if not (r.values.get("citizen_id") in by_cccd or r.card_number in by_card)
        ]
        namesakes = _namesakes(unmatched, self.user)
        # The person ids of every match, to find their current memberships in one go.
        person_ids = set(by_cccd.values()) | {pid for pid, _m in by_card.values()}
        person_ids |= {c.person_id for cands in namesakes.values() for c in cands}
        current = _current_memberships(person_ids, family)
        claimed: dict[int, int] = {}
        pending: list[PlannedRow] = []
        for row in planned:
            cccd = row.values.get("citizen_id")
            person_id: int | None = None
            if cccd and cccd in by_cccd:
                person_id, row.matched_by = by_cccd[cccd], "citizen_id"
            if row.card_number and row.card_number in by_card:
                card_person, _membership = by_card[row.card_number]
                if person_id is not None and card_person != person_id:
                    self.problem(
                        row.number,
                        "card_number",
                        _("số thẻ %(card)s đã cấp cho một người khác.") % {"card": row.card_number},
                    )
                    continue
                if person_id is None and cccd and card_person is not None:
                    # The card holder has another (or no) citizen id on record.
                    holder_cccd = _citizen_ids([card_person]).get(card_person)
                    if holder_cccd and holder_cccd != cccd:
                        self.problem(
                            row.number,
                            "card_number",
                            _("số thẻ %(card)s đã cấp cho một người khác.")
                            % {"card": row.card_number},
                        )
                        continue
                if person_id is None:
                    person_id, row.matched_by = card_person, "card_number"
            if person_id is None:
                candidates = [
                    c
                    for c in namesakes.get((row.values["full_name"], row.values["birth_date"]), [])
                    if c.person_id not in claimed
                ]
                if candidates:
                    choice = self.decisions.get(str(row.number), "")
                    if choice == NEW:
                        pass
                    elif choice in {str(c.person_id) for c in candidates}:
                        person_id, row.matched_by = int(choice), "name"
                    else:
                        row.candidates = candidates
                        pending.append(row)
                        continue
            if person_id is not None:
                if person_id in claimed:
                    self.problem(
                        row.number,
                        "",
                        _("cùng một người với dòng %(other)s.") % {"other": claimed[person_id]},
                    )
                    continue
                claimed[person_id] = row.number
                row.person_id = person_id
                self.place(row, current.get(person_id))
        return pending

    def place(self, row: PlannedRow, membership: dict[str, Any] | None) -> None:
        """Where a matched person's membership stands: in this subtree (updated), in
        another unit (refused), or nowhere yet (created here)."""
        if membership is None:
            return
        column = "citizen_id" if row.matched_by == "citizen_id" else "card_number"
        if row.matched_by == "name":
            column = self.name_key()
        if not str(membership["org__path"]).startswith(self.org.path):
            self.problem(
                row.number,
                column,
                _(
                    "người này đang sinh hoạt ở một đơn vị khác, ngoài %(org)s; cần làm thủ tục "
                    "chuyển sinh hoạt trước."
                )
                % {"org": self.org.name},
            )
            return
        if row.unit_given and membership["org_id"] != row.unit.pk:
            self.problem(
                row.number,
                "org",
                _(
                    "người này đang sinh hoạt ở %(current)s, không phải %(unit)s; đổi nơi sinh "
                    "hoạt bằng thủ tục chuyển sinh hoạt."
                )
                % {"current": membership["org__name"], "unit": row.unit.name},
            )
            return
        row.membership_id = int(membership["pk"])
        row.unit = self.units.by_pk.get(int(membership["org_id"]), row.unit)


# Rows from which forking pays for itself, and the checker the forked workers read.
PARALLEL_FROM = 20_000
_FORKED: tuple[_Checker, Sequence[Row]] | None = None


def _worker_count(rows: int) -> int:
    if rows < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _read_part(bounds: tuple[int, int]) -> tuple[list[tuple[PlannedRow, int]], list[Problem]]:
    assert _FORKED is not None
    checker, rows = _FORKED
    checker.problems = []
    out: list[tuple[PlannedRow, int]] = []
    for row in rows[bounds[0] : bounds[1]]:
        result = checker.read_row(row)
        if result is not None:
            unit_pk = int(result.unit.pk)
            # Model instances are heavy to send between processes: the id is enough.
            result.unit = None  # type: ignore[assignment]
            out.append((result, unit_pk))
    return out, checker.problems


def _in_bulk(model: Any, ids: Iterable[int | None]) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for chunk in iter_chunks(sorted({i for i in ids if i}), CHUNK):
        found.update(model.objects.in_bulk(list(chunk)))
    return found


def _people_by_cccd(values: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in iter_chunks(sorted(set(values)), CHUNK):
        for pk, cccd in Person.objects.filter(citizen_id__in=chunk).values_list("pk", "citizen_id"):
            found[str(cccd)] = pk
    return found


def _citizen_ids(person_ids: Iterable[int]) -> dict[int, str | None]:
    return dict(Person.objects.filter(pk__in=list(person_ids)).values_list("pk", "citizen_id"))


def _memberships_by_card(values: Iterable[str], family: str) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for chunk in iter_chunks(sorted(set(values)), CHUNK):
        rows = (
            Membership.objects.current()
            .filter(family=family, card_number__in=chunk)
            .values_list("card_number", "person_id", "pk")
        )
        for card, person_id, pk in rows:
            found[card] = (person_id, pk)
    return found


def _namesakes(
    rows: Sequence[PlannedRow], user: AnyUser | None
) -> dict[tuple[str, datetime.date | None], list[Candidate]]:
    """People the user may see with the same name and birth date as a row (no birth date,
    no match: a name alone says too little)."""
    wanted = {
        (r.values["full_name"], r.values["birth_date"]) for r in rows if r.values["birth_date"]
    }
    people = Person.objects.all() if user is None else Person.objects.visible_to(user)
    found: dict[tuple[str, datetime.date | None], list[Candidate]] = defaultdict(list)
    names = sorted({name for name, _birth in wanted})
    for chunk in iter_chunks(names, CHUNK):
        for pk, name, birth in people.filter(full_name__in=chunk).values_list(
            "pk", "full_name", "birth_date"
        ):
            if (name, birth) in wanted:
                found[(name, birth)].append(Candidate(pk, name, birth, ""))
    ids = [c.person_id for cands in found.values() for c in cands]
    units = dict(
        Membership.objects.current()
        .filter(person_id__in=ids)
        .filter(_visible_orgs_q(user))
        .values_list("person_id", "org__name")
    )
    for cands in found.values():
        for candidate in cands:
            candidate.unit = units.get(candidate.person_id, "")
    return found


def _visible_orgs_q(user: AnyUser | None) -> Q:
    if user is None:
        return Q()
    return scope_for(user).subtree_q("org__path")


def _current_memberships(person_ids: set[int], family: str) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for chunk in iter_chunks(sorted(person_ids), CHUNK):
        for values in (
            Membership.objects.current()
            .filter(person_id__in=chunk, family=family)
            .values("pk", "person_id", "org_id", "org__path", "org__name")
        ):
            found[int(values["person_id"])] = dict(values)
    return found


def check_table(
    table: Table,
    *,
    org: Org,
    user: AnyUser | None,
    decisions: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Every problem of the sheet, and what would be written if there were none."""
    checker = _Checker(
        table,
        org=org,
        user=user,
        decisions=decisions or {},
        today=timezone.localdate(),
        progress=progress,
    )
    return checker.run(table.rows)
