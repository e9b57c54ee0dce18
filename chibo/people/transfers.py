"""Chuyển sinh hoạt đảng: official and temporary transfers of a party member.

A transfer is requested by the member's cell (the day the new job, retirement or move took
effect starts the 60-working-day limit), introduced by a committee above the cell (the
letter starts the 30-working-day limit for the member to report), and received by the unit
the member goes to. An official transfer between units of the system moves the membership
with the same helper as a restructuring, so its history stays linked; one to a party
organisation outside the system closes the membership as "transferred out". A temporary
stay (3 months to under a year for work or residence, up to 2 years for study) leaves the
membership at home: the host lists the member but does not count them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_person_change, audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.roles import Role
from chibo.core.scoping import get_for
from chibo.core.vntext import nfc
from chibo.orgs.models import Family, Level, Org
from chibo.people.lifecycle import check_day, check_text, raise_if, vn
from chibo.people.models import (
    TRANSFER_PENDING_STATUSES,
    EndReason,
    Membership,
    MembershipStatus,
    TemporaryPurpose,
    Transfer,
    TransferKind,
    TransferStatus,
)
from chibo.people.party_rules import add_months, add_working_days, rules_on
from chibo.people.services import MEMBERSHIP_FIELDS, _membership_move

if TYPE_CHECKING:
    from chibo.core.models import User
    from chibo.core.scoping import AnyUser

TRANSFER_FIELDS = (
    "org", "kind", "purpose", "status", "target", "target_text", "cause_on", "reason",
    "introduced_on", "letter_number", "received_on", "starts_on", "ends_on", "returned_on",
    "cancelled_on", "cancel_reason", "arrived",
)  # fmt: skip
# Who may leave on a transfer: a member taking part in party life (not one suspended).
TRANSFERABLE = (
    MembershipStatus.PROBATIONARY,
    MembershipStatus.OFFICIAL,
    MembershipStatus.EXEMPT,
)


@dataclass(frozen=True)
class TransferRequest:
    """What the cell writes down when a member is to leave."""

    kind: str
    cause_on: datetime.date | None
    reason: str
    target: Org | None = None
    target_text: str = ""
    purpose: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


def _open_transfers(person_id: int) -> QuerySet[Transfer]:
    return Transfer.objects.filter(person_id=person_id).filter(
        Q(status__in=TRANSFER_PENDING_STATUSES)
        | Q(kind=TransferKind.TEMPORARY, status=TransferStatus.RECEIVED)
    )


def person_has_open_transfer(*, person_id: int) -> bool:
    return _open_transfers(person_id).exists()


def _locked(transfer: Transfer) -> Transfer:
    return (
        # Only the transfer's row is locked: the unit it goes to may be missing (outside the
        # system), and PostgreSQL cannot lock the empty side of an outer join.
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "org", "target", "membership")
        .get(pk=transfer.pk)
    )


def _audit(
    transfer: Transfer,
    *,
    before: dict[str, Any] | None,
    summary: str,
    actor: User | None,
    action: str = AuditEntry.Action.UPDATE,
) -> None:
    audit_person_change(
        subject=transfer,
        fields=TRANSFER_FIELDS,
        before=before,
        summary=summary,
        actor=actor,
        action=action,
    )


def _require_status(transfer: Transfer, *allowed: str) -> None:
    if transfer.status not in allowed:
        raise ValidationError(
            {
                "status": _("Việc chuyển sinh hoạt này đang ở tình trạng “%(status)s”.")
                % {"status": transfer.get_status_display()}
            }
        )


def _current_party_membership(person_id: int) -> Membership | None:
    return (
        Membership.objects.current()
        .filter(person_id=person_id, family=Family.PARTY)
        .select_related("org", "person")
        .first()
    )


def _check_period(errors: dict[str, str], request: TransferRequest) -> None:
    if request.purpose not in TemporaryPurpose.values:
        errors["purpose"] = _("Cần chọn lý do sinh hoạt tạm thời (công tác, cư trú hay học tập).")
    # A stay may be planned ahead, so its first day may lie in the future.
    if request.starts_on is None:
        errors["starts_on"] = _("Cần nhập ngày bắt đầu sinh hoạt tạm thời.")
    if request.ends_on is None:
        errors["ends_on"] = _("Cần nhập ngày kết thúc sinh hoạt tạm thời.")
        return
    if request.starts_on is None or "purpose" in errors:
        return
    rules = rules_on(request.starts_on)
    start, end = request.starts_on, request.ends_on
    shortest = add_months(start, rules.temporary_min_months)
    if end < shortest:
        errors["ends_on"] = _(
            "Sinh hoạt tạm thời từ %(min)s tháng trở lên (đến ít nhất %(date)s); ngắn hơn thì "
            "không làm thủ tục chuyển."
        ) % {"min": rules.temporary_min_months, "date": vn(shortest)}
    elif request.purpose == TemporaryPurpose.WORK:
        below = add_months(start, rules.temporary_work_months_below)
        if end >= below:
            errors["ends_on"] = _(
                "Công tác, cư trú nơi khác tạm thời dưới 1 năm (trước %(date)s); từ 1 năm trở lên "
                "phải chuyển sinh hoạt đảng chính thức."
            ) % {"date": vn(below)}
    else:
        longest = add_months(start, rules.temporary_study_months_max)
        if end > longest:
            errors["ends_on"] = _(
                "Đi học tập trung sinh hoạt tạm thời tối đa 2 năm (đến %(date)s)."
            ) % {"date": vn(longest)}


@transaction.atomic
def transfer_request(
    *, membership: Membership, request: TransferRequest, actor: User | None = None
) -> Transfer:
    """Write down that a member is to leave, before the letter is issued."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("person", "org")
        .get(pk=membership.pk)
    )
    name = membership.person.full_name
    if not membership.is_current or membership.family != Family.PARTY:
        raise ValidationError(
            {"status": _("%(name)s không còn sinh hoạt đảng ở đây.") % {"name": name}}
        )
    if membership.status not in TRANSFERABLE:
        raise ValidationError(
            {
                "status": _("%(name)s đang ở tư cách “%(status)s”, không chuyển sinh hoạt được.")
                % {"name": name, "status": membership.get_status_display()}
            }
        )
    if _open_transfers(membership.person_id).exists():
        raise ValidationError(
            {
                "kind": _(
                    "%(name)s đang có một việc chuyển sinh hoạt chưa xong; hãy hoàn tất hoặc hủy "
                    "việc đó trước."
                )
                % {"name": name}
            }
        )
    errors: dict[str, str] = {}
    if request.kind not in TransferKind.values:
        errors["kind"] = _("Cần chọn chuyển sinh hoạt chính thức hay tạm thời.")
    target_text = nfc(request.target_text).strip()
    target = request.target
    if target is None and not target_text:
        errors["target"] = _(
            "Cần chọn nơi đến trong hệ thống, hoặc ghi tên tổ chức đảng nơi đến nếu ở ngoài."
        )
    elif target is not None and target_text:
        errors["target_text"] = _(
            "Đã chọn nơi đến trong hệ thống thì không ghi thêm nơi đến ngoài hệ thống."
        )
    elif target is not None:
        if target.family != Family.PARTY or not target.is_active:
            errors["target"] = _("%(org)s không phải tổ chức đảng đang hoạt động.") % {
                "org": target.name
            }
        elif target.level not in (Level.BRANCH, Level.BASE):
            errors["target"] = _("Chỉ chuyển đến một chi bộ hoặc đảng bộ, chi bộ cơ sở.")
        elif target.pk == membership.org_id:
            errors["target"] = _("%(name)s đang sinh hoạt tại chính %(org)s.") % {
                "name": name,
                "org": target.name,
            }
    check_day(
        errors,
        "cause_on",
        request.cause_on,
        label=_("ngày có quyết định hoặc thay đổi nơi ở"),
    )
    check_text(errors, "reason", request.reason, label=_("lý do chuyển sinh hoạt"))
    if request.kind == TransferKind.TEMPORARY:
        _check_period(errors, request)
    raise_if(errors)
    assert request.cause_on is not None
    temporary = request.kind == TransferKind.TEMPORARY
    transfer = Transfer.objects.create(
        membership=membership,
        person=membership.person,
        org=membership.org,
        kind=request.kind,
        purpose=request.purpose if temporary else "",
        target=target,
        target_text=target_text,
        cause_on=request.cause_on,
        reason=nfc(request.reason).strip(),
        starts_on=request.starts_on if temporary else None,
        ends_on=request.ends_on if temporary else None,
    )
    _audit(
        transfer,
        before=None,
        action=AuditEntry.Action.CREATE,
        actor=actor,
        summary=_("%(kind)s: %(name)s") % {"kind": transfer.get_kind_display(), "name": name},
    )
    return transfer


def _close_membership_out(
    membership: Membership, *, on: datetime.date, letter: str, reason: str, actor: User | None
) -> None:
    """The member leaves the system for a party organisation outside it: the roll keeps
    them as transferred out, closed on the day of the letter."""
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.status = MembershipStatus.TRANSFERRED_OUT
    membership.status_changed_on = on
    membership.status_reason = reason[:300]
    membership.decision_number = letter[:40]
    membership.ended_on = on
    membership.end_reason = EndReason.STATUS
    membership.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END,
        subject=membership,
        org_id=membership.org_id,
        person_id=membership.person_id,
        summary=_("%(name)s: %(status)s")
        % {"name": membership.person.full_name, "status": MembershipStatus.TRANSFERRED_OUT.label},
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )


@transaction.atomic
def transfer_introduce(
    *,
    transfer: Transfer,
    on: datetime.date | None,
    letter_number: str,
    actor: User | None = None,
) -> Transfer:
    """The committee issues the introduction letter (giấy giới thiệu sinh hoạt đảng)."""
    transfer = _locked(transfer)
    _require_status(transfer, TransferStatus.REQUESTED)
    errors: dict[str, str] = {}
    check_day(
        errors,
        "on",
        on,
        label=_("ngày giới thiệu"),
        not_before=(transfer.cause_on, _("ngày có quyết định hoặc thay đổi nơi ở")),
    )
    check_text(errors, "letter_number", letter_number, label=_("số giấy giới thiệu"))
    if transfer.target is not None and not transfer.target.is_active:
        errors["target"] = _("%(org)s đã kết thúc hoạt động; hãy hủy và làm lại.") % {
            "org": transfer.target.name
        }
    membership = _current_party_membership(transfer.person_id)
    if membership is None:
        errors["status"] = _("%(name)s không còn sinh hoạt đảng ở đây.") % {
            "name": transfer.person.full_name
        }
    raise_if(errors)
    assert on is not None and membership is not None
    before = snapshot(transfer, TRANSFER_FIELDS)
    transfer.introduced_on = on
    transfer.letter_number = nfc(letter_number).strip()
    if transfer.target is None:
        if transfer.kind == TransferKind.OFFICIAL:
            _close_membership_out(
                membership,
                on=on,
                letter=transfer.letter_number,
                reason=_("Chuyển sinh hoạt đảng chính thức đến %(place)s")
                % {"place": transfer.target_text},
                actor=actor,
            )
            transfer.status = TransferStatus.DEPARTED
        else:
            # Away at a unit outside the system: nobody here will receive them.
            transfer.status = TransferStatus.RECEIVED
    else:
        transfer.status = TransferStatus.INTRODUCED
    transfer.save()
    deadline = procedure_deadline(transfer)
    summary = _("Giới thiệu sinh hoạt đảng cho %(name)s (giấy số %(number)s ngày %(date)s)") % {
        "name": transfer.person.full_name,
        "number": transfer.letter_number,
        "date": vn(on),
    }
    if on > deadline:
        summary += _(" — quá thời hạn 60 ngày làm việc (hạn %(date)s)") % {"date": vn(deadline)}
    _audit(transfer, before=before, actor=actor, summary=summary)
    return transfer


@transaction.atomic
def transfer_receive(
    *, transfer: Transfer, on: datetime.date | None, actor: User | None = None
) -> Transfer:
    """The unit the member goes to receives them. An official transfer moves the membership
    there; a temporary one starts the stay, the membership staying at home."""
    transfer = _locked(transfer)
    _require_status(transfer, TransferStatus.INTRODUCED)
    errors: dict[str, str] = {}
    check_day(
        errors,
        "on",
        on,
        label=_("ngày tiếp nhận"),
        not_before=(transfer.introduced_on, _("ngày giới thiệu")),
    )
    target = transfer.target
    assert target is not None
    if not target.is_active:
        errors["on"] = _("%(org)s đã kết thúc hoạt động, không tiếp nhận được.") % {
            "org": target.name
        }
    membership = _current_party_membership(transfer.person_id)
    if membership is None:
        errors["status"] = _("%(name)s không còn sinh hoạt đảng.") % {
            "name": transfer.person.full_name
        }
    elif on is not None and "on" not in errors and on < membership.started_on:
        errors["on"] = _("Ngày tiếp nhận %(date)s trước ngày bắt đầu sinh hoạt ở nơi đi.") % {
            "date": vn(on)
        }
    raise_if(errors)
    assert on is not None and membership is not None
    before = snapshot(transfer, TRANSFER_FIELDS)
    transfer.received_on = on
    transfer.status = TransferStatus.RECEIVED
    if transfer.kind == TransferKind.OFFICIAL:
        transfer.arrived = _membership_move(
            membership, target=target, on=on, reason=EndReason.TRANSFERRED, actor=actor
        )
    transfer.save()
    deadline = report_deadline(transfer)
    summary = _("%(org)s tiếp nhận %(name)s ngày %(date)s") % {
        "org": target.name,
        "name": transfer.person.full_name,
        "date": vn(on),
    }
    if deadline is not None and on > deadline:
        summary += _(" — quá thời hạn 30 ngày làm việc (hạn %(date)s)") % {"date": vn(deadline)}
    _audit(transfer, before=before, actor=actor, summary=summary)
    return transfer


@transaction.atomic
def transfer_return(
    *, transfer: Transfer, on: datetime.date | None, actor: User | None = None
) -> Transfer:
    """A temporary stay ends: the member takes part at home again."""
    transfer = _locked(transfer)
    if transfer.kind != TransferKind.TEMPORARY:
        raise ValidationError({"status": _("Chỉ sinh hoạt tạm thời mới có ngày trở về.")})
    _require_status(transfer, TransferStatus.RECEIVED)
    errors: dict[str, str] = {}
    check_day(
        errors,
        "on",
        on,
        label=_("ngày trở về"),
        not_before=(
            transfer.received_on or transfer.introduced_on,
            _("ngày bắt đầu sinh hoạt tạm thời"),
        ),
    )
    raise_if(errors)
    assert on is not None
    before = snapshot(transfer, TRANSFER_FIELDS)
    transfer.returned_on = on
    transfer.status = TransferStatus.RETURNED
    transfer.save()
    _audit(
        transfer,
        before=before,
        actor=actor,
        action=AuditEntry.Action.END,
        summary=_("%(name)s trở về sinh hoạt tại đơn vị ngày %(date)s")
        % {"name": transfer.person.full_name, "date": vn(on)},
    )
    return transfer


@transaction.atomic
def transfer_cancel(
    *,
    transfer: Transfer,
    on: datetime.date | None,
    reason: str,
    actor: User | None = None,
) -> Transfer:
    transfer = _locked(transfer)
    _require_status(transfer, *TRANSFER_PENDING_STATUSES)
    errors: dict[str, str] = {}
    check_day(errors, "on", on, label=_("ngày hủy"))
    check_text(errors, "reason", reason, label=_("lý do hủy"))
    raise_if(errors)
    before = snapshot(transfer, TRANSFER_FIELDS)
    transfer.cancelled_on = on
    transfer.cancel_reason = nfc(reason).strip()
    transfer.status = TransferStatus.CANCELLED
    transfer.save()
    _audit(
        transfer,
        before=before,
        actor=actor,
        action=AuditEntry.Action.END,
        summary=_("Hủy việc chuyển sinh hoạt của %(name)s") % {"name": transfer.person.full_name},
    )
    return transfer


# --- deadlines ----------------------------------------------------------------------------


def procedure_deadline(transfer: Transfer) -> datetime.date:
    """The last day for the letter: 60 working days after the cause (6.3.1)."""
    rules = rules_on(transfer.cause_on)
    return add_working_days(transfer.cause_on, rules.transfer_procedure_working_days)


def report_deadline(transfer: Transfer) -> datetime.date | None:
    """The last day for the member to present the letter: 30 working days after it."""
    if transfer.introduced_on is None:
        return None
    rules = rules_on(transfer.introduced_on)
    return add_working_days(transfer.introduced_on, rules.transfer_report_working_days)


@dataclass(frozen=True)
class Deadline:
    label: str
    day: datetime.date
    overdue: bool


def transfer_deadline(transfer: Transfer, today: datetime.date | None = None) -> Deadline | None:
    """What the transfer waits for and until when; None once nothing is awaited."""
    day = today or timezone.localdate()
    if transfer.status == TransferStatus.REQUESTED:
        due = procedure_deadline(transfer)
        return Deadline(_("Hạn giới thiệu sinh hoạt đảng (60 ngày làm việc)"), due, day > due)
    if transfer.status == TransferStatus.INTRODUCED:
        due_report = report_deadline(transfer)
        assert due_report is not None
        return Deadline(
            _("Hạn đảng viên xuất trình giấy giới thiệu tại nơi đến (30 ngày làm việc)"),
            due_report,
            day > due_report,
        )
    if (
        transfer.kind == TransferKind.TEMPORARY
        and transfer.status == TransferStatus.RECEIVED
        and transfer.ends_on is not None
    ):
        return Deadline(
            _("Hết thời hạn sinh hoạt tạm thời"), transfer.ends_on, day > transfer.ends_on
        )
    return None


# --- reads --------------------------------------------------------------------------------


def transfer_get_for(*, user: AnyUser, transfer_id: int, min_role: Role = Role.VIEWER) -> Transfer:
    return get_for(
        Transfer.objects.visible_to(user, min_role).select_related(
            "person", "org", "target", "membership"
        ),
        pk=transfer_id,
    )


def transfer_list(
    *, user: AnyUser, org: Org, include_closed: bool = False, limit: int = 200
) -> list[Transfer]:
    """Transfers out of and into the org's subtree that the user reads, newest first:
    those under way (and stays away in progress), or all of them."""
    transfers = Transfer.objects.visible_to(user).filter(
        Q(org__path__startswith=org.path) | Q(target__path__startswith=org.path)
    )
    if not include_closed:
        transfers = transfers.filter(
            Q(status__in=TRANSFER_PENDING_STATUSES)
            | Q(kind=TransferKind.TEMPORARY, status=TransferStatus.RECEIVED)
        )
    return list(
        transfers.select_related("person", "org", "target").order_by("-cause_on", "-pk")[:limit]
    )


def org_guests(*, user: AnyUser, org: Org, descendants: bool = False) -> list[Transfer]:
    """Members staying at the org temporarily, in Vietnamese name order: listed by the host,
    counted by their home unit."""
    hosted = Transfer.objects.visible_to(user).hosted()
    hosted = (
        hosted.filter(target__path__startswith=org.path)
        if descendants
        else hosted.filter(target=org)
    )
    return list(hosted.select_related("person", "org", "target").order_by("person__sort_key", "pk"))


def org_guest_totals(*, orgs: Sequence[Org]) -> dict[int, int]:
    """Members staying temporarily in each org's subtree, in one query; they are not part of
    `org_member_totals`."""
    if not orgs:
        return {}
    prefixes = Q(pk__in=[])
    counts: dict[str, Count] = {}
    for org in orgs:
        prefixes |= Q(target__path__startswith=org.path)
        counts[f"org_{org.pk}"] = Count("id", filter=Q(target__path__startswith=org.path))
    row = Transfer.objects.hosted().filter(prefixes).aggregate(**counts)
    return {org.pk: int(row[f"org_{org.pk}"] or 0) for org in orgs}


def person_away(*, person_id: int) -> Transfer | None:
    """The member's temporary stay elsewhere under way, if any."""
    return (
        Transfer.objects.hosted()
        .filter(person_id=person_id)
        .select_related("target")
        .order_by("-pk")
        .first()
    )


class TransferMover:
    """Transfers follow a merged org at both ends; a member's transfers follow them into
    the part of a split they go to."""

    def merge(self, *, source: Org, target: Org, on: datetime.date, actor: User | None) -> int:
        moved = Transfer.objects.filter(org=source).update(org=target)
        return moved + Transfer.objects.filter(target=source).update(target=target)

    def split(
        self,
        *,
        source: Org,
        parts: Mapping[Org, frozenset[int]],
        on: datetime.date,
        actor: User | None,
    ) -> int:
        return sum(
            Transfer.objects.filter(org=source, person_id__in=person_ids).update(org=new_org)
            for new_org, person_ids in parts.items()
        )
