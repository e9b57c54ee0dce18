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
NOTE_LENGTH = Membership._meta.get_field("note").max_length or 500
NEW = "new"
NAME_PARTS = frozenset({"family_name", "middle_name", "given_name"})
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
    note: str = ""  # the "Ghi chú" cell, kept on the membership
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
        # A sheet repeats itself: the same unit, gender, date text or status in row after
        # row. What a cell's text means is worked out once per distinct text.
        self._units: dict[str, tuple[Org | None, str]] = {}
        self._dates: dict[tuple[type, Cell, bool], tuple[datetime.date | None, str]] = {}
        self._genders: dict[str, str] = {}
        self._texts = [
            (key, self.column_of[key]) for key in PERSON_TEXT_FIELDS[1:] if key in self.column_of
        ]

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
        value = self.cell(row, key)
        if value is None:
            return None
        # Real date cells (the usual case in .xlsx) need no parsing.
        if type(value) is datetime.datetime:
            day: datetime.date | None = value.date()
        elif type(value) is datetime.date:
            day = value
        else:
            # The type is part of the key: True == 1 and 1980 == 1980.0 are told apart.
            memo = (type(value), value, allow_year)
            cached = self._dates.get(memo)
            if cached is None:
                try:
                    cached = parse_date(value, allow_year=allow_year, today=self.today)[0], ""
                except DateProblem as problem:
                    cached = None, str(problem)
                self._dates[memo] = cached
            day, message = cached
            if message:
                self.problem(row.number, key, message)
                return None
        if day is not None and day > self.today:
            self.problem(
                row.number,
                key,
                _("ngày %(date)s ở tương lai.") % {"date": day.strftime("%d/%m/%Y")},
            )
            return None
        return day

    def full_name(self, row: Row) -> str:
        if "full_name" in self.column_of:
            return _text(self.cell(row, "full_name"))
        parts = [
            _text(self.cell(row, key))
            for key in ("family_middle", "family_name", "middle_name", "given_name")
        ]
        return " ".join(part for part in parts if part)

    def gender(self, row: Row) -> str:
        text = _text(self.cell(row, "gender"))
        if not text:
            return ""
        gender = self._genders.get(text)
        if gender is None:
            gender = self._genders[text] = _GENDERS.get(fold(text), "")
        if not gender:
            self.problem(
                row.number,
                "gender",
                _("“%(value)s” không phải giới tính (ghi Nam hoặc Nữ).") % {"value": text},
            )
        return gender

    def unit(self, row: Row) -> tuple[Org, bool]:
        text = _text(self.cell(row, "org"))
        if not text:
            return self.org, False
        found = self._units.get(text)
        if found is None:
            found = self._units[text] = self.units.find(text)
        if found[0] is None:
            self.problem(row.number, "org", found[1])
            return self.org, False
        return found[0], True

    def read_row(self, row: Row) -> PlannedRow | None:
        """Everything one row says, checked by the people app's own rules; None (and the
        problems recorded) when the row is wrong."""
        before = len(self.problems)
        cells = row.cells
        full_name = self.full_name(row)
        birth_date = self.date(row, "birth_date", allow_year=True)
        gender = self.gender(row)
        citizen_id = _digits(self.cell(row, "citizen_id"), width=12)
        phone = _digits(self.cell(row, "phone"), width=10)
        if phone and len(phone) == 9 and phone.isdigit():
            phone = "0" + phone
        texts = {key: _text(cells[index]) for key, index in self._texts}
        given = {key for key, value in texts.items() if value}
        if birth_date is not None:
            given.add("birth_date")
        if gender:
            given.add("gender")
        if citizen_id:
            given.add("citizen_id")
        if phone:
            given.add("phone")
        values: dict[str, Any] = {}
        if not full_name:
            self.problem(row.number, self.name_key(), _("thiếu họ và tên."))
        else:
            given |= NAME_PARTS
            try:
                values = clean_person(
                    PersonData(
                        full_name=full_name,
                        gender=gender,
                        birth_date=birth_date,
                        citizen_id=citizen_id,
                        phone=phone,
                        **texts,
                    ),
                    today=self.today,
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    key = self.name_key() if name in ("given_name", "family_name") else name
                    for message in messages:
                        self.problem(row.number, key, message)
        unit, unit_given = self.unit(row)
        joined_on = self.date(row, "joined_on")
        official_on = self.date(row, "official_on")
        status, status_given = self.status(row, unit, joined_on, official_on)
        card_number = _digits(self.cell(row, "card_number"), width=0)
        note = _text(self.cell(row, "note"))
        if len(note) > NOTE_LENGTH:
            self.problem(
                row.number,
                "note",
                _("ghi chú dài %(length)s ký tự, quá %(limit)s ký tự; hãy rút gọn.")
                % {"length": len(note), "limit": NOTE_LENGTH},
            )
        if len(self.problems) == before:
            try:
                membership_clean(
                    org=unit,
                    status=status,
                    joined_on=joined_on,
                    official_on=official_on,
                    birth_date=birth_date,
                    today=self.today,
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
            note=note,
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
        total = len(rows)
        read_row = self.read_row
        for index, row in enumerate(rows, start=1):
            result = read_row(row)
            if result is not None:
                planned.append(result)
            if self.progress and index % 2000 == 0:
                self.progress(index, total)
        self.duplicates_in_file(planned)
        pending = self.match(planned)
        self.merge_existing(planned)
        failed = {problem.row for problem in self.problems}
        planned = [row for row in planned if row.number not in failed]
        return Plan(self.table, self.org, planned, self.problems, pending)

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
                row.values = clean_person(PersonData(**merged), today=self.today)
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
            row.note = row.note or membership.note
            try:
                membership_clean(
                    org=row.unit,
                    status=row.status,
                    joined_on=row.joined_on,
                    official_on=row.official_on,
                    birth_date=row.values["birth_date"],
                    today=self.today,
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
    """Current memberships of the family holding the card numbers. The card number has
    no index: a large file reads the family's carded memberships once instead of
    scanning the table once per chunk."""
    wanted = set(values)
    found: dict[str, tuple[int, int]] = {}
    current = Membership.objects.current().filter(family=family)
    if len(wanted) > CHUNK:
        chunks: Iterable[Any] = [None]
        current = current.exclude(card_number="")
    else:
        chunks = iter_chunks(sorted(wanted), CHUNK)
    for chunk in chunks:
        rows = current if chunk is None else current.filter(card_number__in=chunk)
        for card, person_id, pk in rows.values_list("card_number", "person_id", "pk"):
            if card in wanted:
                found[card] = (person_id, pk)
    return found


def _namesakes(
    rows: Sequence[PlannedRow], user: AnyUser | None
) -> dict[tuple[str, datetime.date | None], list[Candidate]]:
    """People the user may see with the same name and birth date as a row (no birth date,
    no match: a name alone says too little). Looked up by the indexed folded name, then
    compared exactly: the full name has no index, and a registry of a province would be
    read whole once per chunk."""
    wanted = {
        (r.values["full_name"], r.values["birth_date"]) for r in rows if r.values["birth_date"]
    }
    people = Person.objects.all() if user is None else Person.objects.visible_to(user)
    found: dict[tuple[str, datetime.date | None], list[Candidate]] = defaultdict(list)
    folded = sorted({str(r.values["search_text"]) for r in rows if r.values["birth_date"]})
    for chunk in iter_chunks(folded, CHUNK):
        for pk, name, birth in people.filter(search_text__in=chunk).values_list(
            "pk", "full_name", "birth_date"
        ):
            if (name, birth) in wanted:
                found[(name, birth)].append(Candidate(pk, name, birth, ""))
    ids = sorted(c.person_id for cands in found.values() for c in cands)
    units: dict[int, str] = {}
    for chunk in iter_chunks(ids, CHUNK):
        units.update(
            Membership.objects.current()
            .filter(person_id__in=chunk)
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
