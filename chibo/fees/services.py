"""Writes of party fees. Each is atomic, checks everything before writing anything, raises
ValidationError({field: Vietnamese message}) and leaves an audit entry per row it writes.

The caller (view, command) has checked the user's role on the unit with `require_role`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.vntext import nfc
from chibo.fees.ledger import DUE_STATUSES, Account, load_accounts
from chibo.fees.models import FeeBasis, FeeExcuse, FeePayment, PaymentMethod
from chibo.fees.rules import RULES, NoRuleError, rule_for
from chibo.fees.rules.base import (
    RELIEF_PERCENTS,
    Area,
    FeeCategory,
    FeeFacts,
    WageRegion,
    add_months,
    money,
    month_start,
)
from chibo.orgs.models import Family, Org
from chibo.people.models import Membership, Person

if TYPE_CHECKING:
    from chibo.core.models import User

BASIS_FIELDS = (
    "org", "valid_from", "category", "salary", "allowances", "pension", "benefit", "area",
    "wage_region", "voluntary_amount", "relief_percent", "relief_until", "relief_reason",
    "decision_number", "note",
)  # fmt: skip
PAYMENT_FIELDS = ("org", "month", "amount", "paid_on", "method", "note")
EXCUSE_FIELDS = ("org", "month", "reason")
# A monthly fee above this is a typing slip (an extra zero or two), not a fee.
MAX_MONTHLY = 10_000_000
MAX_INCOME = 1_000_000_000
# How far ahead a member may pay (đóng trước) or a basis may be set.
MAX_MONTHS_AHEAD = 12
MAX_MONTHS_AT_ONCE = 24


def _month_text(month: datetime.date) -> str:
    return month.strftime("%m/%Y")


def _check_month(month: datetime.date, *, today: datetime.date) -> str:
    if month > add_months(month_start(today), MAX_MONTHS_AHEAD):
        return _("Tháng %(month)s quá xa: chỉ ghi trước tối đa 12 tháng.") % {
            "month": _month_text(month)
        }
    try:
        rule_for(month)
    except NoRuleError:
        return _("Chưa có quy định về đảng phí cho tháng %(month)s (sớm nhất: %(first)s).") % {
            "month": _month_text(month),
            "first": _month_text(RULES[0].starts),
        }
    return ""


def _check_paid_on(paid_on: datetime.date, *, today: datetime.date) -> str:
    if paid_on > today:
        return _("Ngày nộp %(day)s ở tương lai.") % {"day": paid_on.strftime("%d/%m/%Y")}
    if paid_on < RULES[0].starts:
        return _("Ngày nộp %(day)s quá sớm.") % {"day": paid_on.strftime("%d/%m/%Y")}
    return ""


# --- fee basis -------------------------------------------------------------------------


@dataclass(frozen=True)
class BasisData:
    """What a form or an import says about a member's fee basis."""

    valid_from: datetime.date
    category: str
    salary: int = 0
    allowances: int = 0
    pension: int = 0
    benefit: int = 0
    area: str = ""
    wage_region: int | None = None
    voluntary_amount: int = 0
    relief_percent: int = 0
    relief_until: datetime.date | None = None
    relief_reason: str = ""
    decision_number: str = ""
    note: str = ""

    def facts(self) -> FeeFacts:
        return FeeFacts(
            category=self.category,
            salary=self.salary,
            allowances=self.allowances,
            pension=self.pension,
            benefit=self.benefit,
            area=self.area,
            wage_region=self.wage_region,
            voluntary=self.voluntary_amount,
            relief_percent=self.relief_percent,
            relief_until=self.relief_until,
        )


def _basis_errors(data: BasisData, *, today: datetime.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    valid_from = month_start(data.valid_from)
    problem = _check_month(valid_from, today=today)
    if problem:
        return {"valid_from": problem}
    if data.category not in FeeCategory.values:
        return {"category": _("Cần chọn đối tượng đóng đảng phí.")}
    for name, label in (
        ("salary", _("Tiền lương")),
        ("allowances", _("Phụ cấp")),
        ("pension", _("Lương hưu")),
        ("benefit", _("Trợ cấp ốm đau, thai sản")),
        ("voluntary_amount", _("Số tiền tự nguyện đóng")),
    ):
        value = getattr(data, name)
        if value < 0:
            errors[name] = _("%(label)s không được âm.") % {"label": label}
        elif value > MAX_INCOME:
            errors[name] = _("%(label)s %(value)s quá lớn, hãy kiểm tra lại số chữ số 0.") % {
                "label": label,
                "value": money(value),
            }
    if data.voluntary_amount > MAX_MONTHLY:
        errors.setdefault("voluntary_amount", _("Số tiền tự nguyện đóng mỗi tháng quá lớn."))
    if data.area and data.area not in Area.values:
        errors["area"] = _("Khu vực nơi ở không có trong danh sách.")
    if data.wage_region is not None and data.wage_region not in WageRegion.values:
        errors["wage_region"] = _("Vùng lương tối thiểu chỉ nhận vùng I, II, III hoặc IV.")
    if data.relief_percent not in RELIEF_PERCENTS:
        errors["relief_percent"] = _("Mức miễn, giảm chỉ nhận 0, 30, 50, 70 hoặc 100%.")
    elif data.relief_percent and not data.relief_reason.strip():
        errors["relief_reason"] = _("Cần ghi lý do miễn, giảm (ví dụ: hộ nghèo, bệnh hiểm nghèo).")
    if data.relief_until is not None and month_start(data.relief_until) < valid_from:
        errors["relief_until"] = _("Tháng cuối được miễn, giảm phải từ tháng áp dụng trở đi.")
    if errors:
        return errors
    # The basis holds until a newer one replaces it: it must be computable under the
    # regulation of its first month and under every later one already in force.
    for rule in RULES:
        later = rule.starts > valid_from and rule.starts <= month_start(today)
        if rule is rule_for(valid_from) or later:
            for key, message in rule.check(data.facts(), valid_from=valid_from).items():
                if later and rule is not rule_for(valid_from):
                    message = _("Theo %(code)s (từ %(start)s): %(message)s") % {
                        "code": rule.code,
                        "start": _month_text(rule.starts),
                        "message": message,
                    }
                errors.setdefault(key, message)
    return errors


@transaction.atomic
def fee_basis_set(
    *, person: Person, org: Org, data: BasisData, actor: User | None = None,
    today: datetime.date | None = None,
) -> FeeBasis:  # fmt: skip
    """Record what the member's fee is based on from `data.valid_from`; a basis already
    recorded for that same month is superseded (kept, marked as replaced)."""
    today = today or timezone.localdate()
    errors = _basis_errors(data, today=today)
    if (
        not Membership.objects.current()
        .filter(person=person, org=org, family=Family.PARTY)
        .exists()
    ):
        errors.setdefault(
            "person",
            _("%(name)s không có trong danh sách đảng viên của %(org)s.")
            % {"name": person.full_name, "org": org.name},
        )
    if errors:
        raise ValidationError(errors)
    valid_from = month_start(data.valid_from)
    previous = (
        FeeBasis.objects.active()
        .select_for_update()
        .filter(person=person, valid_from=valid_from)
        .first()
    )
    before = snapshot(previous, BASIS_FIELDS) if previous else None
    if previous is not None:
        previous.superseded_at = timezone.now()
        previous.save(update_fields=["superseded_at"])
    basis = FeeBasis.objects.create(
        person=person,
        org=org,
        valid_from=valid_from,
        category=data.category,
        salary=data.salary,
        allowances=data.allowances,
        pension=data.pension,
        benefit=data.benefit,
        area=data.area,
        wage_region=data.wage_region,
        voluntary_amount=data.voluntary_amount,
        relief_percent=data.relief_percent,
        relief_until=month_start(data.relief_until) if data.relief_until else None,
        relief_reason=nfc(data.relief_reason.strip()),
        decision_number=nfc(data.decision_number.strip()),
        note=nfc(data.note.strip()),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE if previous else AuditEntry.Action.CREATE,
        subject=basis,
        org_id=org.pk,
        person_id=person.pk,
        summary=_("Căn cứ tính đảng phí của %(name)s từ tháng %(month)s: %(category)s")
        % {
            "name": person.full_name,
            "month": _month_text(valid_from),
            "category": FeeCategory(data.category).label,
        },
        before=before,
        after=snapshot(basis, BASIS_FIELDS),
    )
    return basis


# --- payments --------------------------------------------------------------------------


def _amount_errors(
    account: Account, month: datetime.date, amount: int | None, name: str
) -> tuple[int, str]:
    """The amount to record for one member and month, or a message saying why not."""
    rate = account.rate_for(month)
    if amount is not None:
        if amount <= 0:
            return 0, _("%(name)s: số tiền tháng %(month)s phải lớn hơn 0.") % {
                "name": name,
                "month": _month_text(month),
            }
        if amount > MAX_MONTHLY:
            return 0, _("%(name)s: số tiền %(amount)s quá lớn, hãy kiểm tra lại.") % {
                "name": name,
                "amount": money(amount),
            }
        if rate is not None and rate.amount is not None and amount < rate.amount:
            return 0, _(
                "%(name)s: %(amount)s thấp hơn mức phải đóng tháng %(month)s (%(rate)s)."
            ) % {
                "name": name,
                "amount": money(amount),
                "month": _month_text(month),
                "rate": money(rate.amount),
            }
        return amount, ""
    if rate is None:
        return 0, _(
            "%(name)s chưa có căn cứ tính đảng phí cho tháng %(month)s: hãy ghi căn cứ hoặc "
            "nhập số tiền."
        ) % {"name": name, "month": _month_text(month)}
    if rate.amount is None:
        return 0, _("%(name)s: %(problem)s Hoặc nhập số tiền.") % {
            "name": name,
            "problem": rate.problem,
        }
    if rate.amount == 0:
        return 0, _("%(name)s được miễn đóng đảng phí tháng %(month)s.") % {
            "name": name,
            "month": _month_text(month),
        }
    return rate.amount, ""


def _write_payments(
    rows: list[FeePayment], *, org: Org, actor: User | None, names: dict[int, str]
) -> list[FeePayment]:
    created = FeePayment.objects.bulk_create(rows)
    # One entry per payment, so each member's history shows it; written in one query.
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor_id=actor.pk if actor is not None else None,
                action=AuditEntry.Action.CREATE,
                subject_type=FeePayment._meta.label_lower,
                subject_id=payment.pk,
                org_id=org.pk,
                person_id=payment.person_id,
                summary=(
                    _("Nộp đảng phí tháng %(month)s: %(amount)s — %(name)s")
                    % {
                        "month": _month_text(payment.month),
                        "amount": money(payment.amount),
                        "name": names.get(payment.person_id, ""),
                    }
                )[:300],
                after=snapshot(payment, PAYMENT_FIELDS),
            )
            for payment in created
        ]
    )
    return created


@dataclass(frozen=True)
class SheetEntry:
    person_id: int
    # None: the member's rate for the month.
    amount: int | None = None


@transaction.atomic
def fee_payments_record(
    *,
    org: Org,
    month: datetime.date,
    entries: Sequence[SheetEntry],
    paid_on: datetime.date,
    method: str = PaymentMethod.CASH,
    actor: User | None = None,
    today: datetime.date | None = None,
) -> list[FeePayment]:
    """The collection sheet's "đã nộp": members of the unit's party roll paid `month`.
    Either every entry is recorded or none is."""
    today = today or timezone.localdate()
    month = month_start(month)
    errors: dict[str, list[str]] = {}

    def fail(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if not entries:
        fail("person", _("Hãy chọn ít nhất một đảng viên đã nộp."))
    if problem := _check_month(month, today=today):
        fail("month", problem)
    if problem := _check_paid_on(paid_on, today=today):
        fail("paid_on", problem)
    if method not in PaymentMethod.values:
        fail("method", _("Hình thức nộp không có trong danh sách."))
    ids = [entry.person_id for entry in entries]
    if len(set(ids)) != len(ids):
        fail("person", _("Một đảng viên được chọn hai lần."))
    roll = {
        m.person_id: m
        for m in Membership.objects.current()
        .filter(org=org, family=Family.PARTY, status__in=DUE_STATUSES, person_id__in=ids)
        .select_related("person")
    }
    for person_id in ids:
        if person_id not in roll:
            fail(
                "person",
                _("Người được chọn (mã %(id)s) không có trong danh sách đảng viên của %(org)s.")
                % {"id": person_id, "org": org.name},
            )
    if errors:
        raise ValidationError(errors)
    accounts = load_accounts(ids)
    rows = []
    for entry in entries:
        account = accounts[entry.person_id]
        name = roll[entry.person_id].person.full_name
        if month in account.payments:
            fail(
                "person",
                _("%(name)s đã nộp đảng phí tháng %(month)s rồi.")
                % {"name": name, "month": _month_text(month)},
            )
            continue
        amount, problem = _amount_errors(account, month, entry.amount, name)
        if problem:
            fail("amount", problem)
            continue
        rows.append(
            FeePayment(
                person_id=entry.person_id,
                org=org,
                month=month,
                amount=amount,
                paid_on=paid_on,
                method=method,
                collected_by=actor,
            )
        )
    if errors:
        raise ValidationError(errors)
    names = {pid: m.person.full_name for pid, m in roll.items()}
    return _write_payments(rows, org=org, actor=actor, names=names)


@transaction.atomic
def fee_months_pay(
    *,
    person: Person,
    org: Org,
    first_month: datetime.date,
    count: int,
    paid_on: datetime.date,
    amount: int | None = None,
    method: str = PaymentMethod.CASH,
    actor: User | None = None,
    today: datetime.date | None = None,
) -> list[FeePayment]:
    """One member pays several months at once: ahead (đóng trước) or to clear arrears
    (đóng bù). `amount`, when given, is for each month; otherwise each month's rate."""
    today = today or timezone.localdate()
    first_month = month_start(first_month)
    errors: dict[str, str] = {}
    if not 1 <= count <= MAX_MONTHS_AT_ONCE:
        errors["count"] = _("Số tháng nộp một lần phải từ 1 đến 24.")
    if problem := _check_month(first_month, today=today):
        errors["first_month"] = problem
    elif 1 <= count <= MAX_MONTHS_AT_ONCE:
        last = add_months(first_month, count - 1)
        if problem := _check_month(last, today=today):
            errors["count"] = problem
    if problem := _check_paid_on(paid_on, today=today):
        errors["paid_on"] = problem
    if method not in PaymentMethod.values:
        errors["method"] = _("Hình thức nộp không có trong danh sách.")
    on_roll = Membership.objects.current().filter(
        person=person, org=org, family=Family.PARTY, status__in=DUE_STATUSES
    )
    if not on_roll.exists():
        errors["person"] = _("%(name)s không có trong danh sách đảng viên của %(org)s.") % {
            "name": person.full_name,
            "org": org.name,
        }
    if errors:
        raise ValidationError(errors)
    account = load_accounts([person.pk])[person.pk]
    months = [add_months(first_month, i) for i in range(count)]
    paid = [m for m in months if m in account.payments]
    if paid:
        raise ValidationError(
            {
                "first_month": _("%(name)s đã nộp các tháng %(months)s rồi.")
                % {"name": person.full_name, "months": ", ".join(_month_text(m) for m in paid)}
            }
        )
    rows = []
    problems = []
    for month in months:
        value, problem = _amount_errors(account, month, amount, person.full_name)
        if problem:
            problems.append(problem)
        else:
            rows.append(
                FeePayment(
                    person=person,
                    org=org,
                    month=month,
                    amount=value,
                    paid_on=paid_on,
                    method=method,
                    collected_by=actor,
                )
            )
    if problems:
        raise ValidationError({"amount": problems})
    return _write_payments(rows, org=org, actor=actor, names={person.pk: person.full_name})


@transaction.atomic
def fee_payment_void(*, payment: FeePayment, reason: str, actor: User | None = None) -> FeePayment:
    """Cancel a payment entered by mistake; it stays on record, marked as voided."""
    payment = FeePayment.objects.select_for_update().get(pk=payment.pk)
    if payment.voided_at is not None:
        raise ValidationError({"payment": _("Khoản nộp này đã được hủy trước đó.")})
    reason = nfc(reason.strip())
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do hủy khoản nộp (ví dụ: ghi nhầm người).")})
    before = snapshot(payment, (*PAYMENT_FIELDS, "void_reason"))
    payment.voided_at = timezone.now()
    payment.voided_by = actor
    payment.void_reason = reason[:300]
    payment.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END,
        subject=payment,
        org_id=payment.org_id,
        person_id=payment.person_id,
        summary=_("Hủy khoản nộp đảng phí tháng %(month)s (%(amount)s): %(reason)s")
        % {"month": _month_text(payment.month), "amount": money(payment.amount), "reason": reason},
        before=before,
        after=snapshot(payment, (*PAYMENT_FIELDS, "void_reason")),
    )
    return payment


# --- good reasons ----------------------------------------------------------------------


@transaction.atomic
def fee_excuse_record(
    *, person: Person, org: Org, month: datetime.date, reason: str, actor: User | None = None,
    today: datetime.date | None = None,
) -> FeeExcuse:  # fmt: skip
    """Record the good reason (lý do chính đáng) a member did not pay for `month`."""
    today = today or timezone.localdate()
    month = month_start(month)
    reason = nfc(reason.strip())
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Cần ghi lý do chính đáng (ví dụ: ốm nặng điều trị dài ngày).")
    elif len(reason) > 300:
        errors["reason"] = _("Lý do dài quá 300 ký tự, hãy viết gọn lại.")
    if month > month_start(today):
        errors["month"] = _("Chỉ ghi lý do cho tháng đã qua hoặc tháng này.")
    elif problem := _check_month(month, today=today):
        errors["month"] = problem
    if (
        not Membership.objects.current()
        .filter(person=person, org=org, family=Family.PARTY)
        .exists()
    ):
        errors["person"] = _("%(name)s không có trong danh sách đảng viên của %(org)s.") % {
            "name": person.full_name,
            "org": org.name,
        }
    if not errors:
        if FeePayment.objects.valid().filter(person=person, month=month).exists():
            errors["month"] = _("%(name)s đã nộp đảng phí tháng %(month)s, không cần lý do.") % {
                "name": person.full_name,
                "month": _month_text(month),
            }
        elif FeeExcuse.objects.valid().filter(person=person, month=month).exists():
            errors["month"] = _("Tháng %(month)s đã có lý do được ghi nhận.") % {
                "month": _month_text(month)
            }
    if errors:
        raise ValidationError(errors)
    excuse = FeeExcuse.objects.create(
        person=person, org=org, month=month, reason=reason, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=excuse,
        org_id=org.pk,
        person_id=person.pk,
        summary=_("Lý do chưa nộp đảng phí tháng %(month)s của %(name)s: %(reason)s")
        % {"month": _month_text(month), "name": person.full_name, "reason": reason},
        after=snapshot(excuse, EXCUSE_FIELDS),
    )
    return excuse


@transaction.atomic
def fee_excuse_withdraw(*, excuse: FeeExcuse, actor: User | None = None) -> FeeExcuse:
    excuse = FeeExcuse.objects.select_for_update().get(pk=excuse.pk)
    if excuse.withdrawn_at is not None:
        raise ValidationError({"excuse": _("Lý do này đã được rút lại trước đó.")})
    before = snapshot(excuse, EXCUSE_FIELDS)
    excuse.withdrawn_at = timezone.now()
    excuse.withdrawn_by = actor
    excuse.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END,
        subject=excuse,
        org_id=excuse.org_id,
        person_id=excuse.person_id,
        summary=_("Rút lại lý do chưa nộp đảng phí tháng %(month)s")
        % {"month": _month_text(excuse.month)},
        before=before,
    )
    return excuse
