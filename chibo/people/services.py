"""Writes to people, memberships and positions. Each leaves an audit entry."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.vntext import fold, join_name, name_case, name_sort_key, nfc, split_full_name
from chibo.orgs.models import Family, Org
from chibo.orgs.restructuring import RestructureResult, SplitPart, org_split
from chibo.orgs.services import org_fields_check
from chibo.people.models import (
    ASSOCIATION_STATUSES,
    CLOSING_STATUSES,
    PARTY_STATUSES,
    TRANSFER_PENDING_STATUSES,
    EndReason,
    Gender,
    Membership,
    MembershipStatus,
    Person,
    Position,
    Title,
    Transfer,
)
from chibo.people.validators import validate_citizen_id, validate_phone

if TYPE_CHECKING:
    from chibo.core.models import User

PERSON_FIELDS = (
    "family_name", "middle_name", "given_name", "gender", "birth_date", "citizen_id", "phone",
    "email", "ethnicity", "religion", "hometown", "address", "occupation", "job_position",
)  # fmt: skip
MEMBERSHIP_FIELDS = (
    "org", "family", "status", "joined_on", "official_on", "card_number", "started_on",
    "ended_on", "end_reason", "status_changed_on", "status_reason", "decision_number",
)  # fmt: skip
POSITION_FIELDS = ("org", "title", "started_on", "ended_on")


@dataclass(frozen=True)
class PersonData:
    """What a form, an import row or an API call says about a person."""

    family_name: str = ""
    middle_name: str = ""
    given_name: str = ""
    full_name: str = ""
    gender: str = ""
    birth_date: datetime.date | None = None
    citizen_id: str = ""
    phone: str = ""
    email: str = ""
    ethnicity: str = ""
    religion: str = ""
    hometown: str = ""
    address: str = ""
    occupation: str = ""
    job_position: str = ""


# TextChoices.values builds a new list on every call; the check runs once per imported row.
_GENDERS = frozenset(Gender.values)


def _clean_person(
    data: PersonData,
    *,
    instance: Person | None,
    check_clash: bool = True,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    family, middle, given = data.family_name, data.middle_name, data.given_name
    if data.full_name and not (family or middle or given):
        family, middle, given = split_full_name(data.full_name)
    family, middle, given = name_case(family), name_case(middle), name_case(given)
    if not given:
        errors["given_name"] = _("Cần nhập tên (hoặc họ và tên đầy đủ).")
    if data.gender and data.gender not in _GENDERS:
        errors["gender"] = _("Giới tính chỉ nhận Nam hoặc Nữ.")
    today = today or timezone.localdate()
    if data.birth_date is not None:
        if data.birth_date > today:
            errors["birth_date"] = _("Ngày sinh %(date)s ở tương lai.") % {
                "date": data.birth_date.strftime("%d/%m/%Y")
            }
        elif data.birth_date.year < 1900:
            errors["birth_date"] = _("Ngày sinh %(date)s quá xa, hãy kiểm tra lại năm sinh.") % {
                "date": data.birth_date.strftime("%d/%m/%Y")
            }
    citizen_id = "".join(data.citizen_id.split())
    if citizen_id and "birth_date" not in errors:
        try:
            validate_citizen_id(citizen_id, birth_date=data.birth_date, gender=data.gender)
        except ValidationError as error:
            errors["citizen_id"] = error.messages[0]
        else:
            # Even building the query costs more than the rest of the checks: an import of
            # many rows skips it and checks its whole file at once.
            clash = Person.objects.filter(citizen_id=citizen_id) if check_clash else None
            if clash is not None and instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash is not None and clash.exists():
                errors["citizen_id"] = _("Số CCCD %(value)s đã có trong hệ thống.") % {
                    "value": citizen_id
                }
    phone = nfc(data.phone)
    if phone:
        try:
            phone = validate_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    full_name = join_name(family, middle, given)
    return {
        "family_name": family,
        "middle_name": middle,
        "given_name": given,
        "full_name": full_name,
        "sort_key": name_sort_key(family, middle, given),
        "search_text": fold(full_name),
        "gender": data.gender,
        "birth_date": data.birth_date,
        "citizen_id": citizen_id or None,
        "phone": phone,
        "email": nfc(data.email).lower(),
        "ethnicity": name_case(data.ethnicity),
        "religion": nfc(data.religion),
        "hometown": nfc(data.hometown),
        "address": nfc(data.address),
        "occupation": nfc(data.occupation),
        "job_position": nfc(data.job_position),
    }


def person_clean(data: PersonData, *, today: datetime.date | None = None) -> dict[str, Any]:
    """The cleaned fields of a person, checked without a query: an import checks the
    citizen ids of a whole file against the database at once, not row by row (and
    passes the day once instead of asking the clock for every row)."""
    return _clean_person(data, instance=None, check_clash=False, today=today)


def person_build(data: PersonData) -> Person:
    """A validated, unsaved Person: the single place names are split, cased and keyed."""
    return Person(**_clean_person(data, instance=None))


@transaction.atomic
def person_create(*, data: PersonData, org_id: int | None, actor: User | None = None) -> Person:
    person = person_build(data)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError({"citizen_id": _("Số CCCD đã có trong hệ thống.")}) from None
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=person,
        org_id=org_id,
        person_id=person.pk,
        summary=_("Thêm người %(name)s") % {"name": person.full_name},
        after=snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def person_update(*, person: Person, data: PersonData, actor: User | None = None) -> Person:
    before = snapshot(person, PERSON_FIELDS)
    for key, value in _clean_person(data, instance=person).items():
        setattr(person, key, value)
    person.updated_at = timezone.now()
    person.save()
    after = snapshot(person, PERSON_FIELDS)
    if after != before:
        membership = person.memberships.current().order_by("pk").first()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            subject=person,
            org_id=membership.org_id if membership else None,
            person_id=person.pk,
            summary=_("Sửa thông tin %(name)s") % {"name": person.full_name},
            before=before,
            after=after,
        )
    return person


def allowed_statuses(family: str) -> tuple[str, ...]:
    return PARTY_STATUSES if family == Family.PARTY else ASSOCIATION_STATUSES


def _clean_membership(
    *,
    org: Org,
    status: str,
    joined_on: datetime.date | None,
    official_on: datetime.date | None,
    birth_date: datetime.date | None,
    today: datetime.date | None = None,
) -> None:
    errors: dict[str, str] = {}
    if not org.is_active:
        errors["org"] = _("%(org)s đã kết thúc hoạt động, không thể thêm thành viên.") % {
            "org": org.name
        }
    if status not in allowed_statuses(org.family):
        errors["status"] = _("Tư cách “%(status)s” không dùng cho %(family)s.") % {
            "status": status,
            "family": Family(org.family).label,
        }
    today = today or timezone.localdate()
    if joined_on and joined_on > today:
        errors["joined_on"] = _("Ngày vào %(date)s ở tương lai.") % {
            "date": joined_on.strftime("%d/%m/%Y")
        }
    if joined_on and birth_date and org.family == Family.PARTY:
        eighteen = (
            birth_date.replace(year=birth_date.year + 18)
            if not (birth_date.month == 2 and birth_date.day == 29)
            else datetime.date(birth_date.year + 18, 3, 1)
        )
        if joined_on < eighteen:
            errors["joined_on"] = _("Ngày vào Đảng %(date)s trước khi đủ 18 tuổi.") % {
                "date": joined_on.strftime("%d/%m/%Y")
            }
    if official_on:
        if official_on > today:
            errors["official_on"] = _("Ngày chính thức %(date)s ở tương lai.") % {
                "date": official_on.strftime("%d/%m/%Y")
            }
        elif joined_on and official_on < _add_months(joined_on, 12):
            errors["official_on"] = _(
                "Ngày chính thức %(official)s chưa đủ 12 tháng sau ngày vào Đảng %(joined)s."
            ) % {
                "official": official_on.strftime("%d/%m/%Y"),
                "joined": joined_on.strftime("%d/%m/%Y"),
            }
    if errors:
        raise ValidationError(errors)


def membership_clean(
    *,
    org: Org,
    status: str,
    joined_on: datetime.date | None,
    official_on: datetime.date | None,
    birth_date: datetime.date | None,
    today: datetime.date | None = None,
) -> None:
    """The membership rules (dates, statuses, admission age) as a pure check, for an
    import that validates many rows before writing any."""
    _clean_membership(
        org=org,
        status=status,
        joined_on=joined_on,
        official_on=official_on,
        birth_date=birth_date,
        today=today,
    )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def membership_create(
    *,
    person: Person,
    org: Org,
    status: str,
    joined_on: datetime.date | None = None,
    official_on: datetime.date | None = None,
    card_number: str = "",
    started_on: datetime.date | None = None,
    actor: User | None = None,
) -> Membership:
    _clean_membership(
        org=org,
        status=status,
        joined_on=joined_on,
        official_on=official_on,
        birth_date=person.birth_date,
    )
    if Membership.objects.current().filter(person=person, family=org.family).exists():
        raise ValidationError(
            {
                "org": _("%(name)s đã là thành viên đang sinh hoạt của một tổ chức %(family)s.")
                % {"name": person.full_name, "family": Family(org.family).label}
            }
        )
    membership = Membership.objects.create(
        person=person,
        org=org,
        family=org.family,
        status=status,
        joined_on=joined_on,
        official_on=official_on,
        card_number=nfc(card_number),
        started_on=started_on or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=membership,
        org_id=org.pk,
        person_id=person.pk,
        summary=_("%(name)s sinh hoạt tại %(org)s") % {"name": person.full_name, "org": org.name},
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return membership


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    status: str,
    joined_on: datetime.date | None,
    official_on: datetime.date | None,
    card_number: str,
    on: datetime.date | None = None,
    reason: str = "",
    decision_number: str = "",
    actor: User | None = None,
) -> Membership:
    """Change the facts of a membership; a closing status takes the member off the roll."""
    if not membership.is_current:
        raise ValidationError({"status": _("Tư cách này đã kết thúc, không sửa được nữa.")})
    _clean_membership(
        org=membership.org,
        status=status,
        joined_on=joined_on,
        official_on=official_on,
        birth_date=membership.person.birth_date,
    )
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    day = on or timezone.localdate()
    if status != membership.status:
        membership.status_changed_on = day
        membership.status_reason = nfc(reason)
        membership.decision_number = nfc(decision_number)
    membership.status = status
    membership.joined_on = joined_on
    membership.official_on = official_on
    membership.card_number = nfc(card_number)
    if status in CLOSING_STATUSES:
        membership.ended_on = day
        membership.end_reason = EndReason.STATUS
    membership.save()
    after = snapshot(membership, MEMBERSHIP_FIELDS)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END if membership.ended_on else AuditEntry.Action.UPDATE,
        subject=membership,
        org_id=membership.org_id,
        person_id=membership.person_id,
        summary=_("%(name)s: %(status)s")
        % {
            "name": membership.person.full_name,
            "status": MembershipStatus(status).label,
        },
        before=before,
        after=after,
    )
    return membership


@transaction.atomic
def membership_edit(
    *,
    membership: Membership,
    joined_on: datetime.date | None,
    official_on: datetime.date | None,
    card_number: str,
    status: str = "",
    reason: str = "",
    actor: User | None = None,
) -> Membership:
    """The member's edit page: the facts of a membership, and an association member's
    standing (active, left, deceased) with its reason. A party member's standing never
    changes here: it needs its date, reason and decision (chibo.people.statuses)."""
    name = membership.person.full_name
    new_status = status or membership.status
    if new_status != membership.status:
        if membership.family == Family.PARTY:
            raise ValidationError(
                {
                    "status": _(
                        "Tư cách đảng viên của %(name)s chỉ đổi ở trang “Thay đổi tư cách”, "
                        "với ngày, lý do và quyết định."
                    )
                    % {"name": name}
                }
            )
        if not nfc(reason).strip():
            raise ValidationError({"reason": _("Cần ghi lý do khi đổi tư cách.")})
        closing = new_status in CLOSING_STATUSES
        pending = Transfer.objects.filter(
            person_id=membership.person_id, status__in=TRANSFER_PENDING_STATUSES
        )
        if closing and pending.exists():
            raise ValidationError(
                {
                    "status": _(
                        "%(name)s đang có việc chuyển sinh hoạt chưa xong; hãy hủy việc đó trước."
                    )
                    % {"name": name}
                }
            )
    return membership_update(
        membership=membership,
        status=new_status,
        joined_on=joined_on,
        official_on=official_on,
        card_number=card_number,
        reason=reason,
        actor=actor,
    )


def _membership_move(
    membership: Membership, *, target: Org, on: datetime.date, reason: str, actor: User | None
) -> Membership:
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.ended_on = on
    membership.end_reason = reason
    membership.save(update_fields=["ended_on", "end_reason"])
    moved = Membership.objects.create(
        person_id=membership.person_id,
        org=target,
        family=membership.family,
        status=membership.status,
        joined_on=membership.joined_on,
        official_on=membership.official_on,
        card_number=membership.card_number,
        started_on=on,
        status_changed_on=membership.status_changed_on,
        status_reason=membership.status_reason,
        decision_number=membership.decision_number,
        previous=membership,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.MOVE,
        subject=membership,
        org_id=target.pk,
        person_id=membership.person_id,
        summary=_("Chuyển sinh hoạt về %(org)s") % {"org": target.name},
        before=before,
        after=snapshot(moved, MEMBERSHIP_FIELDS),
    )
    return moved


@transaction.atomic
def position_assign(
    *,
    person: Person,
    org: Org,
    title: str,
    started_on: datetime.date | None = None,
    actor: User | None = None,
) -> Position:
    if title not in Title.values:
        raise ValidationError({"title": _("Chức vụ không hợp lệ.")})
    if not org.is_active:
        raise ValidationError({"org": _("%(org)s đã kết thúc hoạt động.") % {"org": org.name}})
    if (
        not Membership.objects.current()
        .filter(person=person, org__path__startswith=org.path)
        .exists()
    ):
        raise ValidationError(
            {
                "person": _("%(name)s không sinh hoạt trong tổ chức này.")
                % {"name": person.full_name}
            }
        )
    position = Position.objects.create(
        person=person, org=org, title=title, started_on=started_on or timezone.localdate()
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=position,
        org_id=org.pk,
        person_id=person.pk,
        summary=_("%(name)s giữ chức %(title)s, %(org)s")
        % {"name": person.full_name, "title": Title(title).label, "org": org.name},
        after=snapshot(position, POSITION_FIELDS),
    )
    return position


@transaction.atomic
def position_end(
    *, position: Position, on: datetime.date | None = None, actor: User | None = None
) -> Position:
    day = on or timezone.localdate()
    if position.ended_on is not None and position.ended_on <= day:
        return position
    if day < position.started_on:
        raise ValidationError({"ended_on": _("Ngày thôi giữ chức trước ngày bắt đầu.")})
    before = snapshot(position, POSITION_FIELDS)
    position.ended_on = day
    position.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END,
        subject=position,
        org_id=position.org_id,
        person_id=position.person_id,
        summary=_("%(name)s thôi giữ chức %(title)s")
        % {"name": position.person.full_name, "title": position.get_title_display()},
        before=before,
        after=snapshot(position, POSITION_FIELDS),
    )
    return position


class MembershipMover:
    """Members of a merged org join the target; members of a split org join their part."""

    def merge(self, *, source: Org, target: Org, on: datetime.date, actor: User | None) -> int:
        memberships = list(Membership.objects.current().filter(org=source).select_related("person"))
        for membership in memberships:
            _membership_move(membership, target=target, on=on, reason=EndReason.MERGED, actor=actor)
        return len(memberships)

    def split(
        self,
        *,
        source: Org,
        parts: Mapping[Org, frozenset[int]],
        on: datetime.date,
        actor: User | None,
    ) -> int:
        count = 0
        for new_org, person_ids in parts.items():
            for membership in Membership.objects.current().filter(
                org=source, person_id__in=person_ids
            ):
                _membership_move(
                    membership, target=new_org, on=on, reason=EndReason.SPLIT, actor=actor
                )
                count += 1
        return count


class PositionMover:
    """Officers of a merged org keep their office in the target until it elects anew;
    officers who go to a new org with a split keep theirs there."""

    def _move(self, position: Position, target: Org, on: datetime.date, actor: User | None) -> None:
        position_end(position=position, on=on, actor=actor)
        Position.objects.create(
            person_id=position.person_id, org=target, title=position.title, started_on=on
        )

    def merge(self, *, source: Org, target: Org, on: datetime.date, actor: User | None) -> int:
        positions = list(
            Position.objects.current(on).filter(org=source).select_related("person", "org")
        )
        for position in positions:
            self._move(position, target, on, actor)
        return len(positions)

    def split(
        self,
        *,
        source: Org,
        parts: Mapping[Org, frozenset[int]],
        on: datetime.date,
        actor: User | None,
    ) -> int:
        count = 0
        for new_org, person_ids in parts.items():
            for position in (
                Position.objects.current(on)
                .filter(org=source, person_id__in=person_ids)
                .select_related("person", "org")
            ):
                self._move(position, new_org, on, actor)
                count += 1
        return count


def org_split_members(
    *,
    source: Org,
    parts: Sequence[SplitPart],
    on: datetime.date,
    close_source: bool,
    actor: User | None = None,
) -> RestructureResult:
    current = frozenset(
        Membership.objects.current().filter(org=source).values_list("person_id", flat=True)
    )
    return org_split(
        source=source,
        parts=parts,
        on=on,
        close_source=close_source,
        current_member_ids=current,
        actor=actor,
    )


@transaction.atomic
def member_add(
    *,
    org: Org,
    data: PersonData,
    status: str,
    joined_on: datetime.date | None = None,
    official_on: datetime.date | None = None,
    card_number: str = "",
    actor: User | None = None,
) -> Membership:
    """A new person on an org's roll. Every problem with the person and with the membership
    is reported at once, so a form is corrected in one round; nothing is written on error."""
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: person_build(data),
        lambda: _clean_membership(
            org=org,
            status=status,
            joined_on=joined_on,
            official_on=official_on,
            birth_date=data.birth_date,
        ),
    ):
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    person = person_create(data=data, org_id=org.pk, actor=actor)
    return membership_create(
        person=person,
        org=org,
        status=status,
        joined_on=joined_on,
        official_on=official_on,
        card_number=card_number,
        actor=actor,
    )


# --- restructuring from a page ------------------------------------------------------------


def org_split_check(
    *,
    source: Org,
    parts: Sequence[SplitPart],
    on: datetime.date,
    close_source: bool,
) -> None:
    """Every problem a split would meet, for every new org and every member at once, keyed
    by the row (`parts.0.code`, `parts.1.name`) or by the person (`person.<id>`); anything
    else under `parts`, `on` or `source`. Writes nothing."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    source.refresh_from_db()
    if not source.is_active:
        add(
            "source",
            _("%(org)s đã kết thúc hoạt động, không chia tách được.") % {"org": source.name},
        )
    if on > timezone.localdate():
        add("on", _("Ngày chia tách %(date)s ở tương lai.") % {"date": on.strftime("%d/%m/%Y")})
    if not parts:
        add("parts", _("Cần nhập ít nhất một tổ chức mới (mã và tên)."))
    codes: dict[str, int] = {}
    for index, part in enumerate(parts):
        code = nfc(part.code).upper()
        try:
            org_fields_check(
                code=part.code,
                name=part.name,
                family=source.family,
                level=source.level,
                province_code=source.province_code,
                ward_code=source.ward_code,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                key = f"parts.{index}.{field}" if field in ("code", "name") else "parts"
                for message in messages:
                    add(key, message)
            if "code" in error.message_dict:
                continue
        if code in codes:
            add(
                f"parts.{index}.code",
                _("Mã “%(code)s” trùng với tổ chức mới ở dòng %(row)s.")
                % {"code": code, "row": codes[code] + 1},
            )
        else:
            codes[code] = index
    current = {
        m.person_id: m
        for m in Membership.objects.current().filter(org=source).select_related("person")
    }
    chosen: set[int] = set()
    for part in parts:
        for person_id in sorted(part.person_ids):
            if person_id not in current:
                add("parts", _("Có người không thuộc %(org)s.") % {"org": source.name})
            elif person_id in chosen:
                add(f"person.{person_id}", _("Người này được chọn vào hai tổ chức mới."))
            elif current[person_id].started_on > on:
                add(
                    f"person.{person_id}",
                    _("Người này sinh hoạt tại đơn vị từ %(date)s, sau ngày chia tách.")
                    % {"date": current[person_id].started_on.strftime("%d/%m/%Y")},
                )
            chosen.add(person_id)
    if parts and not chosen:
        add("parts", _("Chưa chọn ai chuyển sang tổ chức mới."))
    left = [person_id for person_id in current if person_id not in chosen]
    if close_source and left:
        add(
            "parts",
            _(
                "%(org)s sẽ giải thể nên mọi người đều phải chuyển; còn %(count)s người chưa "
                "được chọn tổ chức mới."
            )
            % {"org": source.name, "count": len(left)},
        )
        for person_id in left:
            add(f"person.{person_id}", _("Cần chọn tổ chức mới cho người này."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def org_split_apply(
    *,
    source: Org,
    parts: Sequence[SplitPart],
    on: datetime.date,
    close_source: bool,
    actor: User | None = None,
) -> RestructureResult:
    """org_split_members for a form: org_split_check's errors, all in one round, or the
    split; nothing is written on error."""
    org_split_check(source=source, parts=parts, on=on, close_source=close_source)
    return org_split_members(
        source=source, parts=parts, on=on, close_source=close_source, actor=actor
    )


# --- positions from a page ----------------------------------------------------------------

# Offices a unit has one holder of at a time; deputies and committee members come in numbers.
SINGLE_HOLDER_TITLES = (Title.SECRETARY, Title.CHAIR, Title.BRANCH_HEAD, Title.GROUP_HEAD)


@transaction.atomic
def position_appoint(
    *,
    person: Person,
    org: Org,
    title: str,
    started_on: datetime.date,
    actor: User | None = None,
) -> Position:
    """position_assign with the checks a secretary needs: no start in the future, no office
    held twice, and no second holder of an office that has one."""
    errors: dict[str, str] = {}
    if started_on > timezone.localdate():
        errors["started_on"] = _("Ngày bắt đầu %(date)s ở tương lai.") % {
            "date": started_on.strftime("%d/%m/%Y")
        }
    holding = Position.objects.filter(org=org, title=title).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=started_on)
    )
    if holding.filter(person=person).exists():
        errors["person"] = _("%(name)s đang giữ chức %(title)s tại %(org)s.") % {
            "name": person.full_name,
            "title": Title(title).label if title in Title.values else title,
            "org": org.name,
        }
    elif title in SINGLE_HOLDER_TITLES:
        other = holding.exclude(person=person).select_related("person").first()
        if other is not None:
            errors["title"] = _(
                "%(org)s đang có %(title)s là %(name)s (từ %(date)s). Hãy cho thôi giữ chức "
                "trước khi giao cho người khác."
            ) % {
                "org": org.name,
                "title": Title(title).label,
                "name": other.person.full_name,
                "date": other.started_on.strftime("%d/%m/%Y"),
            }
    if errors:
        raise ValidationError(errors)
    return position_assign(person=person, org=org, title=title, started_on=started_on, actor=actor)


# --- logins -------------------------------------------------------------------------------

USER_FIELDS = ("username", "is_active")
# Lower-case ASCII: typed the same on any phone keyboard, and never two logins that differ
# only by case or by a diacritic.
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,29}$")


def _password_messages(error: ValidationError) -> list[str]:
    """Django's password validators, in Vietnamese whatever Django's own catalogue has."""
    messages: list[str] = []
    for item in error.error_list:
        params = item.params or {}
        if item.code == "password_too_short":
            messages.append(
                _("Mật khẩu quá ngắn: cần ít nhất %(count)s ký tự.")
                % {"count": params.get("min_length", 8)}
            )
        elif item.code == "password_too_similar":
            messages.append(_("Mật khẩu quá giống tên đăng nhập hoặc họ tên, dễ bị đoán."))
        elif item.code == "password_too_common":
            messages.append(_("Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."))
        elif item.code == "password_entirely_numeric":
            messages.append(_("Mật khẩu không được chỉ gồm chữ số."))
        else:
            messages.extend(item.messages)
    return messages


def _home_org_id(person: Person) -> int | None:
    membership = person.memberships.current().order_by("pk").first()
    return membership.org_id if membership else None


@transaction.atomic
def user_create_for_person(
    *, person: Person, username: str, password: str, actor: User | None = None
) -> User:
    """A login for a person, with a chosen user name and an initial password checked by
    the project's password validators. The password is never written to the audit."""
    from chibo.core.models import User

    errors: dict[str, list[str]] = {}
    person.refresh_from_db()
    if person.user_id is not None:
        raise ValidationError(
            {"username": _("%(name)s đã có tài khoản đăng nhập.") % {"name": person.full_name}}
        )
    username = nfc(username).lower()
    if not _USERNAME.match(username):
        errors["username"] = [
            _(
                "Tên đăng nhập “%(username)s” không hợp lệ: dùng 3–30 chữ thường không dấu, "
                "chữ số, dấu chấm, gạch ngang hoặc gạch dưới, bắt đầu bằng chữ hoặc số."
            )
            % {"username": username}
        ]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [
            _("Tên đăng nhập “%(username)s” đã có người dùng; hãy chọn tên khác.")
            % {"username": username}
        ]
    # The similarity check compares the password with these, so they are folded the way
    # people type names into passwords.
    candidate = User(
        username=username,
        first_name=fold(person.given_name),
        last_name=fold(f"{person.family_name} {person.middle_name}"),
        email=person.email,
    )
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = _password_messages(error)
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(username=username, password=password)
    person.user = user
    person.save(update_fields=["user"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=user,
        org_id=_home_org_id(person),
        person_id=person.pk,
        summary=_("Tạo tài khoản đăng nhập “%(username)s” cho %(name)s")
        % {"username": username, "name": person.full_name},
        after=snapshot(user, USER_FIELDS),
    )
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor: User | None = None) -> User:
    """Lock or unlock a login. A locked login is refused at sign-in, on its open sessions
    and on its API tokens; nothing about it is deleted."""
    if not active and actor is not None and actor.pk == user.pk:
        raise ValidationError({"is_active": _("Không thể tự khóa tài khoản của chính mình.")})
    if user.is_superuser and not (actor is not None and actor.is_superuser):
        raise ValidationError(
            {"is_active": _("Chỉ quản trị toàn hệ thống mới khóa, mở được tài khoản này.")}
        )
    if user.is_active == active:
        return user
    before = snapshot(user, USER_FIELDS)
    user.is_active = active
    user.save(update_fields=["is_active"])
    person = Person.objects.filter(user=user).first()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=user,
        org_id=_home_org_id(person) if person else None,
        person_id=person.pk if person else None,
        summary=(
            _("Mở khóa tài khoản “%(username)s”") if active else _("Khóa tài khoản “%(username)s”")
        )
        % {"username": user.get_username()},
        before=before,
        after=snapshot(user, USER_FIELDS),
    )
    return user
