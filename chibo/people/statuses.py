"""Changes of a party member's standing: exemption from activities, suspension, removal
(xóa tên), expulsion (khai trừ), death, leaving, and the way back from exemption or
suspension. Each is dated, with its reason and, where a committee decides, the number of
its decision. Nothing is deleted: a closing status takes the member off the roll and
keeps the record.

Who decides: the cell exempts a member (on the member's request, for age or health) and
records a death; suspension, removal, expulsion and leaving are decided by a committee
above the cell.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.orgs.models import Family
from chibo.people.lifecycle import check_day, check_text, raise_if, vn
from chibo.people.models import (
    CLOSING_STATUSES,
    TRANSFER_PENDING_STATUSES,
    Admission,
    AdmissionStage,
    Membership,
    MembershipStatus,
    Transfer,
    TransferKind,
    TransferStatus,
)
from chibo.people.party_rules import add_months
from chibo.people.services import membership_update
from chibo.people.transfers import TRANSFER_FIELDS

if TYPE_CHECKING:
    from chibo.core.models import User

RESTORE = "restore"
ON_ROLL = (MembershipStatus.OFFICIAL, MembershipStatus.PROBATIONARY)
AWAY = (MembershipStatus.EXEMPT, MembershipStatus.SUSPENDED)


@dataclass(frozen=True)
class StatusRule:
    label: object
    allowed_from: tuple[str, ...]
    by_committee: bool
    reason_required: bool
    decision_required: bool


STATUS_RULES: dict[str, StatusRule] = {
    MembershipStatus.EXEMPT: StatusRule(
        gettext_lazy("Miễn công tác và sinh hoạt đảng"), ON_ROLL, False, True, False
    ),
    MembershipStatus.SUSPENDED: StatusRule(
        gettext_lazy("Đình chỉ sinh hoạt đảng"),
        (*ON_ROLL, MembershipStatus.EXEMPT),
        True,
        True,
        True,
    ),
    RESTORE: StatusRule(
        gettext_lazy("Trở lại sinh hoạt (hết miễn sinh hoạt hoặc đình chỉ)"),
        AWAY,
        False,
        True,
        False,
    ),
    MembershipStatus.REMOVED: StatusRule(
        gettext_lazy("Xóa tên trong danh sách đảng viên"), (*ON_ROLL, *AWAY), True, True, True
    ),
    MembershipStatus.EXPELLED: StatusRule(
        gettext_lazy("Khai trừ ra khỏi Đảng"), (*ON_ROLL, *AWAY), True, True, True
    ),
    MembershipStatus.LEFT: StatusRule(
        gettext_lazy("Ra khỏi Đảng"), (*ON_ROLL, *AWAY), True, True, True
    ),
    MembershipStatus.DECEASED: StatusRule(
        gettext_lazy("Từ trần"), (*ON_ROLL, *AWAY), False, False, False
    ),
}


def needs_committee(action: str, membership: Membership) -> bool:
    """Whether a committee above the cell must decide this change for this member."""
    rule = STATUS_RULES.get(action)
    if rule is None:
        return True
    if action == RESTORE:
        # Ending an exemption is the cell's; lifting a suspension is the committee's.
        return membership.status == MembershipStatus.SUSPENDED
    return rule.by_committee


def status_actions_for(
    *, membership: Membership, officer: bool, decider: bool
) -> list[tuple[str, str]]:
    """(action, label) of the changes this member's standing allows and the user may make."""
    choices = []
    for action, rule in STATUS_RULES.items():
        if membership.status not in rule.allowed_from:
            continue
        allowed = decider if needs_committee(action, membership) else officer or decider
        if allowed:
            choices.append((action, str(rule.label)))
    return choices


def _restored_status(membership: Membership) -> str:
    """The standing the member had before the exemption or suspension, as the audit trail
    of this membership (or the one it moved from) says; else what its dates say."""
    ids = [membership.pk]
    if membership.previous_id:
        ids.append(membership.previous_id)
    entries = AuditEntry.objects.filter(
        subject_type=Membership._meta.label_lower, subject_id__in=ids
    ).order_by("-at", "-pk")
    for entry in entries[:50]:
        before, after = entry.before.get("status"), entry.after.get("status")
        if after == membership.status and before in ON_ROLL:
            return str(before)
    probation_over = membership.joined_on is not None and membership.joined_on <= add_months(
        timezone.localdate(), -12
    )
    if membership.official_on or probation_over:
        return MembershipStatus.OFFICIAL
    return MembershipStatus.PROBATIONARY


@transaction.atomic
def membership_change_status(
    *,
    membership: Membership,
    action: str,
    on: datetime.date | None,
    reason: str,
    decision_number: str = "",
    actor: User | None = None,
) -> Membership:
    """Change a party member's standing; closing statuses end the membership (kept)."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("person", "org")
        .get(pk=membership.pk)
    )
    name = membership.person.full_name
    if not membership.is_current or membership.family != Family.PARTY:
        raise ValidationError(
            {"action": _("%(name)s không còn sinh hoạt đảng ở đây.") % {"name": name}}
        )
    rule = STATUS_RULES.get(action)
    if rule is None:
        raise ValidationError({"action": _("Cần chọn một thay đổi tư cách trong danh sách.")})
    if membership.status not in rule.allowed_from:
        raise ValidationError(
            {
                "action": _("%(name)s đang ở tư cách “%(status)s”: không thể “%(action)s”.")
                % {
                    "name": name,
                    "status": membership.get_status_display(),
                    "action": str(rule.label).lower(),
                }
            }
        )
    errors: dict[str, str] = {}
    last = max(
        (day for day in (membership.started_on, membership.status_changed_on) if day),
        default=None,
    )
    check_day(
        errors,
        "on",
        on,
        label=_("ngày thay đổi"),
        not_before=(last, _("lần thay đổi trước hoặc ngày bắt đầu sinh hoạt")),
    )
    if rule.reason_required:
        check_text(errors, "reason", reason, label=_("lý do"))
    # Lifting a suspension takes the committee's decision, like imposing it.
    lifting = action == RESTORE and membership.status == MembershipStatus.SUSPENDED
    if rule.decision_required or lifting:
        check_text(errors, "decision_number", decision_number, label=_("số quyết định"))
    new_status = _restored_status(membership) if action == RESTORE else action
    closing = new_status in CLOSING_STATUSES
    was_probationary = membership.status == MembershipStatus.PROBATIONARY
    pending = Transfer.objects.filter(
        person_id=membership.person_id, status__in=TRANSFER_PENDING_STATUSES
    )
    if closing and pending.exists():
        errors["action"] = _(
            "%(name)s đang có việc chuyển sinh hoạt chưa xong; hãy hủy việc đó trước."
        ) % {"name": name}
    raise_if(errors)
    assert on is not None
    updated = membership_update(
        membership=membership,
        status=new_status,
        joined_on=membership.joined_on,
        official_on=membership.official_on,
        card_number=membership.card_number,
        on=on,
        reason=reason,
        decision_number=decision_number,
        actor=actor,
    )
    if closing:
        _close_away_stay(membership, on=on, status=new_status, actor=actor)
        if was_probationary:
            _stop_admission(membership, on=on, status=new_status, actor=actor)
    return updated


def _close_away_stay(
    membership: Membership, *, on: datetime.date, status: str, actor: User | None
) -> None:
    """A member who leaves the roll while away on a temporary stay ends the stay too."""
    for transfer in Transfer.objects.select_for_update().filter(
        Q(person_id=membership.person_id),
        kind=TransferKind.TEMPORARY,
        status=TransferStatus.RECEIVED,
    ):
        before = snapshot(transfer, TRANSFER_FIELDS)
        transfer.status = TransferStatus.CANCELLED
        transfer.cancelled_on = on
        transfer.cancel_reason = str(MembershipStatus(status).label)
        transfer.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.END,
            subject=transfer,
            org_id=transfer.org_id,
            person_id=transfer.person_id,
            summary=_("Kết thúc sinh hoạt tạm thời của %(name)s ngày %(date)s")
            % {"name": membership.person.full_name, "date": vn(on)},
            before=before,
            after=snapshot(transfer, TRANSFER_FIELDS),
        )


def _stop_admission(
    membership: Membership, *, on: datetime.date, status: str, actor: User | None
) -> None:
    """A probationary member taken off the list ends the admission that made them one."""
    from chibo.people.admissions import ADMISSION_FIELDS

    for admission in Admission.objects.select_for_update().filter(
        person_id=membership.person_id, stage=AdmissionStage.ADMITTED
    ):
        before = snapshot(admission, ADMISSION_FIELDS)
        admission.stage = AdmissionStage.STOPPED
        admission.stopped_on = on
        admission.stop_reason = str(MembershipStatus(status).label)
        admission.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.END,
            subject=admission,
            org_id=admission.org_id,
            person_id=admission.person_id,
            summary=_("%(name)s không được công nhận đảng viên chính thức")
            % {"name": membership.person.full_name},
            before=before,
            after=snapshot(admission, ADMISSION_FIELDS),
        )
