"""Writes of models and initiatives, savings funds, emulation, exemplars and awards.

Each is atomic, checks everything before writing anything, raises
ValidationError({field: Vietnamese message}) and leaves an audit entry per row it writes.
The caller (view, command) has checked the user's role with `require_role`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.vntext import fold, nfc
from chibo.initiatives.catalogue import write_catalogue
from chibo.initiatives.measure import THOUSANDTH, convert, number_text, quantity_text
from chibo.initiatives.models import (
    Award,
    AwardForm,
    AwardLevel,
    Criterion,
    Dimension,
    Exemplar,
    ExemplarKind,
    FundContribution,
    FundPayout,
    Indicator,
    IndicatorKind,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    MeasureUnit,
    Movement,
    ResultEntry,
    SavingsFund,
    Score,
    ScoreSheet,
    SheetStatus,
)
from chibo.initiatives.selectors import overlapping_initiatives
from chibo.orgs import divisions
from chibo.orgs.models import Level, Org
from chibo.people.models import Membership, Person

if TYPE_CHECKING:
    from chibo.core.models import User

INITIATIVE_FIELDS = (
    "org", "kind", "title", "owner_person", "participants", "participant_count", "tasks",
    "ward_code", "hamlet", "beneficiaries", "starts_on", "ends_on", "status",
)  # fmt: skip
AWARD_FIELDS = (
    "org", "person", "form", "level", "issuer", "decision_number", "decided_on", "reason",
)  # fmt: skip
# A quantity above this is a typing slip (a thousand billion đồng, a billion tonnes).
MAX_QUANTITY = Decimal("999999999999999")
MAX_INDICATORS = 8
MAX_CRITERIA = 20
EARLIEST = datetime.date(2000, 1, 1)


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def catalogue_ensure() -> int:
    """The built-in units and kinds of indicator, written if missing (idempotent)."""
    return write_catalogue(MeasureUnit, IndicatorKind)


def _members_of(org: Org, person_ids: Sequence[int]) -> set[int]:
    """Which of `person_ids` are on a roll of the org's subtree today."""
    return set(
        Membership.objects.current()
        .filter(org__path__startswith=org.path, person_id__in=list(person_ids))
        .values_list("person_id", flat=True)
    )


def _check_quantity(value: Decimal | None, label: str, *, allow_zero: bool = False) -> str:
    if value is None:
        return _("Cần nhập %(label)s.") % {"label": label}
    if value < 0 or (value == 0 and not allow_zero):
        return _("%(label)s phải lớn hơn 0.") % {"label": label.capitalize()}
    if value > MAX_QUANTITY:
        return _("%(label)s %(value)s quá lớn, hãy kiểm tra lại số chữ số 0.") % {
            "label": label.capitalize(),
            "value": number_text(value),
        }
    if value != value.quantize(THOUSANDTH):
        return _("%(label)s chỉ ghi tối đa 3 chữ số sau dấu phẩy.") % {"label": label.capitalize()}
    return ""


# --- the catalogue ---------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    symbol: str,
    dimension: str,
    factor: Decimal,
    actor: User | None = None,
) -> MeasureUnit:
    """Add a unit of measure: `factor` base units of its dimension make one of it."""
    code = fold(code).replace(" ", "-")
    errors: dict[str, str] = {}
    if not code or not code.replace("-", "").isalnum():
        errors["code"] = _("Mã đơn vị chỉ gồm chữ không dấu, chữ số và dấu gạch ngang.")
    elif MeasureUnit.objects.filter(code=code).exists():
        errors["code"] = _("Đã có đơn vị mã “%(code)s”.") % {"code": code}
    if not nfc(name):
        errors["name"] = _("Cần nhập tên đơn vị.")
    if not nfc(symbol):
        errors["symbol"] = _("Cần nhập ký hiệu đơn vị.")
    if dimension not in Dimension.values:
        errors["dimension"] = _("Loại đại lượng không có trong danh sách.")
    if factor is None or factor <= 0:
        errors["factor"] = _("Hệ số quy đổi phải lớn hơn 0.")
    elif factor != factor.quantize(Decimal("0.000001")) or factor >= Decimal("1e14"):
        errors["factor"] = _("Hệ số quy đổi có tối đa 6 chữ số sau dấu phẩy.")
    if errors:
        raise ValidationError(errors)
    unit = MeasureUnit.objects.create(
        code=code, name=nfc(name), symbol=nfc(symbol), dimension=dimension, factor=factor
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=unit,
        org_id=None,
        summary=_("Thêm đơn vị đo %(name)s") % {"name": unit.name},
        after=snapshot(unit, ("code", "name", "symbol", "dimension", "factor")),
    )
    return unit


# --- registering a model -----------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorData:
    kind: str  # IndicatorKind.code
    unit: str  # MeasureUnit.code
    target: Decimal | None = None
    label: str = ""


@dataclass(frozen=True)
class FundData:
    unit: str = "dong"
    in_kind_unit: str = ""
    in_kind_rate: Decimal | None = None


@dataclass(frozen=True)
class InitiativeData:
    kind: str
    title: str
    tasks: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    owner_person_id: int | None = None
    participants: str = ""
    participant_count: int | None = None
    ward_code: int | None = None
    hamlet: str = ""
    beneficiaries: str = ""
    indicators: Sequence[IndicatorData] = field(default_factory=tuple)
    fund: FundData | None = None


def _indicator_errors(
    rows: Sequence[IndicatorData],
    kinds: Mapping[str, IndicatorKind],
    units: Mapping[str, MeasureUnit],
) -> dict[str, str]:
    if not rows:
        return {
            "indicators": _(
                "Cần ít nhất một chỉ tiêu kết quả (rõ kết quả), ví dụ: gạo tiết kiệm 1.200 kg."
            )
        }
    if len(rows) > MAX_INDICATORS:
        return {"indicators": _("Tối đa %(n)s chỉ tiêu cho một mô hình.") % {"n": MAX_INDICATORS}}
    for number, row in enumerate(rows, start=1):
        kind = kinds.get(row.kind)
        unit = units.get(row.unit)
        where = _("Chỉ tiêu thứ %(n)s") % {"n": number}
        if kind is None:
            return {"indicators": _("%(where)s: cần chọn loại chỉ tiêu.") % {"where": where}}
        if unit is None:
            return {"indicators": _("%(where)s: cần chọn đơn vị.") % {"where": where}}
        if unit.dimension != kind.dimension:
            return {
                "indicators": _(
                    "%(where)s: “%(kind)s” không đo bằng %(unit)s; hãy chọn đơn vị %(dimension)s."
                )
                % {
                    "where": where,
                    "kind": kind.name,
                    "unit": unit.name,
                    "dimension": Dimension(kind.dimension).label.lower(),
                }
            }
        if row.target is not None:
            problem = _check_quantity(row.target, _("chỉ tiêu đăng ký"))
            if problem:
                return {"indicators": f"{where}: {problem}"}
    return {}


@dataclass
class _Checked:
    title: str
    tasks: str
    kinds: dict[str, IndicatorKind]
    units: dict[str, MeasureUnit]
    fund_unit: MeasureUnit | None
    in_kind_unit: MeasureUnit | None


def _checked(org: Org, data: InitiativeData, today: datetime.date | None) -> _Checked:
    """Everything wrong with `data`, raised at once; what the write needs otherwise."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    title = nfc(data.title)
    tasks = "\n".join(nfc(line) for line in data.tasks.splitlines() if nfc(line))
    if not org.is_active:
        errors["org"] = _("%(org)s đã kết thúc hoạt động.") % {"org": org.name}
    if data.kind not in InitiativeKind.values:
        errors["kind"] = _("Cần chọn loại: mô hình, phần việc, sáng kiến hay mô hình tiết kiệm.")
    if not title:
        errors["title"] = _("Cần nhập tên mô hình, phần việc (rõ việc).")
    elif len(title) > 200:
        errors["title"] = _("Tên mô hình dài quá 200 ký tự.")
    if not tasks:
        errors["tasks"] = _("Cần ghi nội dung công việc cụ thể, mỗi dòng một việc (rõ việc).")
    if data.starts_on < EARLIEST or data.starts_on > today.replace(year=today.year + 1):
        errors["starts_on"] = _("Ngày bắt đầu %(day)s không hợp lý.") % {
            "day": _date(data.starts_on)
        }
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = _("Ngày kết thúc %(end)s trước ngày bắt đầu %(start)s.") % {
            "end": _date(data.ends_on),
            "start": _date(data.starts_on),
        }
    if data.ward_code is not None and not divisions.ward_name(data.ward_code):
        errors["ward_code"] = _(
            "Mã xã, phường %(code)s không có trong danh mục sau sắp xếp 2025."
        ) % {"code": data.ward_code}
    if data.participant_count is not None and not 0 < data.participant_count <= 1_000_000:
        errors["participant_count"] = _("Số người tham gia phải từ 1 trở lên.")
    if data.owner_person_id is not None and not _members_of(org, [data.owner_person_id]):
        errors["owner_person"] = _("Người phụ trách phải là thành viên của %(org)s.") % {
            "org": org.name
        }
    kinds = {kind.code: kind for kind in IndicatorKind.objects.all()}
    units = {unit.code: unit for unit in MeasureUnit.objects.all()}
    errors.update(_indicator_errors(data.indicators, kinds, units))
    fund_unit = in_kind_unit = None
    if data.kind == InitiativeKind.SAVINGS:
        fund = data.fund or FundData()
        fund_unit = units.get(fund.unit)
        if fund_unit is None:
            errors["fund_unit"] = _("Cần chọn đơn vị tính của quỹ.")
        if fund.in_kind_unit:
            in_kind_unit = units.get(fund.in_kind_unit)
            if in_kind_unit is None:
                errors["in_kind_unit"] = _("Đơn vị hiện vật không có trong danh mục.")
            elif fund_unit is not None and in_kind_unit.dimension == fund_unit.dimension:
                in_kind_unit = None  # same dimension: converted by the units themselves
            else:
                problem = _check_quantity(fund.in_kind_rate, _("giá quy đổi hiện vật"))
                if problem:
                    errors["in_kind_rate"] = problem
    if errors:
        raise ValidationError(errors)
    return _Checked(
        title=title,
        tasks=tasks,
        kinds=kinds,
        units=units,
        fund_unit=fund_unit,
        in_kind_unit=in_kind_unit,
    )


def initiative_validate(
    *, org: Org, data: InitiativeData, today: datetime.date | None = None
) -> None:
    """Raise the ValidationError `initiative_register` would, writing nothing (the page
    checks the input before it looks for similar models)."""
    _checked(org, data, today)


# How many alike models the refusal names; the page lists them all.
OVERLAPS_NAMED = 3


def _overlap_error(overlaps: Sequence[tuple[Initiative, float]]) -> ValidationError:
    titles = ", ".join(f"“{other.title}”" for other, _score in overlaps[:OVERLAPS_NAMED])
    if len(overlaps) > OVERLAPS_NAMED:
        titles += " …"
    return ValidationError(
        {
            "confirm_overlap": _(
                "Đã có %(n)s mô hình tương tự ở cùng địa bàn, cùng thời gian (%(titles)s). "
                "Hãy xem, phối hợp hoặc đổi nội dung; nếu vẫn đăng ký, cần xác nhận đã xem "
                "các mô hình này."
            )
            % {"n": len(overlaps), "titles": titles}
        }
    )


@transaction.atomic
def initiative_register(
    *, org: Org, data: InitiativeData, actor: User | None = None,
    today: datetime.date | None = None, confirm_overlap: bool = False,
) -> Initiative:  # fmt: skip
    """Register a model, work item or initiative of `org` with its indicators (and the
    fund of a savings model).

    Overlapping registrations between organisations are caught here, so the page, the API
    and any other caller behave alike: a model alike in name, place and period to another
    unit's (see `overlapping_initiatives`) is refused until the registrant confirms having
    seen them (`confirm_overlap`, the page's check box); the confirmed overlaps are kept in
    the audit entry."""
    checked = _checked(org, data, today)
    overlaps = overlapping_initiatives(
        org=org,
        title=checked.title,
        ward_code=data.ward_code,
        hamlet=nfc(data.hamlet),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
    )
    if overlaps and not confirm_overlap:
        raise _overlap_error(overlaps)
    title, tasks, kinds, units = checked.title, checked.tasks, checked.kinds, checked.units
    fund_unit, in_kind_unit = checked.fund_unit, checked.in_kind_unit
    initiative = Initiative.objects.create(
        org=org,
        kind=data.kind,
        title=title,
        title_folded=fold(title)[:200],
        owner_person_id=data.owner_person_id,
        participants=nfc(data.participants),
        participant_count=data.participant_count,
        tasks=tasks,
        ward_code=data.ward_code,
        hamlet=nfc(data.hamlet),
        hamlet_folded=fold(data.hamlet),
        beneficiaries=nfc(data.beneficiaries),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by=actor,
    )
    for position, row in enumerate(data.indicators):
        Indicator.objects.create(
            initiative=initiative,
            kind=kinds[row.kind],
            unit=units[row.unit],
            target=row.target,
            label=nfc(row.label),
            position=position,
        )
    if fund_unit is not None:
        SavingsFund.objects.create(
            initiative=initiative,
            unit=fund_unit,
            in_kind_unit=in_kind_unit,
            in_kind_rate=(data.fund.in_kind_rate if data.fund and in_kind_unit else None),
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=initiative,
        org_id=org.pk,
        person_id=data.owner_person_id,
        summary=_("Đăng ký %(kind)s “%(title)s”")
        % {"kind": InitiativeKind(data.kind).label.lower(), "title": title},
        after=snapshot(initiative, INITIATIVE_FIELDS)
        | {"indicators": [f"{r.kind} {r.target or ''} {r.unit}" for r in data.indicators]}
        | ({"overlaps_confirmed": [other.pk for other, _score in overlaps]} if overlaps else {}),
    )
    return initiative


# --- results -----------------------------------------------------------------------------------


@transaction.atomic
def result_record(
    *, indicator: Indicator, on: datetime.date, quantity: Decimal | None, unit: str = "",
    note: str = "", actor: User | None = None, today: datetime.date | None = None,
) -> ResultEntry:  # fmt: skip
    """A result for the indicator on `on`, in its unit or any unit of the same dimension
    (a result in kg on an indicator in tonnes is converted when totals are made)."""
    today = today or timezone.localdate()
    initiative = indicator.initiative
    chosen = MeasureUnit.objects.filter(code=unit).first() if unit else indicator.unit
    errors: dict[str, str] = {}
    problem = _check_quantity(quantity, _("kết quả"))
    if problem:
        errors["quantity"] = problem
    if chosen is None:
        errors["unit"] = _("Đơn vị “%(code)s” không có trong danh mục.") % {"code": unit}
    elif chosen.dimension != indicator.unit.dimension:
        errors["unit"] = _(
            "Chỉ tiêu “%(label)s” tính bằng %(unit)s: không ghi kết quả bằng %(chosen)s."
        ) % {"label": str(indicator), "unit": indicator.unit.name, "chosen": chosen.name}
    if on > today:
        errors["on"] = _("Ngày ghi nhận %(day)s ở tương lai.") % {"day": _date(on)}
    elif on < initiative.starts_on:
        errors["on"] = _("Ngày ghi nhận %(day)s trước khi mô hình bắt đầu (%(start)s).") % {
            "day": _date(on),
            "start": _date(initiative.starts_on),
        }
    if initiative.status == InitiativeStatus.STOPPED:
        errors["__all__"] = _("Mô hình đã dừng thực hiện: không ghi thêm kết quả.")
    if errors:
        raise ValidationError(errors)
    assert chosen is not None and quantity is not None
    entry = ResultEntry.objects.create(
        indicator=indicator,
        on=on,
        quantity=quantity,
        unit=chosen,
        note=nfc(note),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=entry,
        org_id=initiative.org_id,
        summary=_("Kết quả “%(title)s”: %(label)s %(amount)s")
        % {
            "title": initiative.title,
            "label": str(indicator),
            "amount": quantity_text(quantity, chosen),
        },
        after=snapshot(entry, ("indicator", "on", "quantity", "unit", "note")),
    )
    return entry


# --- savings funds -----------------------------------------------------------------------------


def fund_balance(fund: SavingsFund) -> tuple[Decimal, Decimal]:
    """(contributed, paid out) in the fund's unit, voided rows left out: two sums."""
    given = FundContribution.objects.valid().filter(fund=fund).aggregate(s=Sum("value"))["s"]
    paid = FundPayout.objects.valid().filter(fund=fund).aggregate(s=Sum("amount"))["s"]
    return Decimal(given or 0), Decimal(paid or 0)


def contribution_value(*, fund: SavingsFund, quantity: Decimal, unit: MeasureUnit) -> Decimal:
    """What `quantity` of `unit` counts for in the fund's unit; ValueError if it cannot."""
    if unit.dimension == fund.unit.dimension:
        return convert(quantity, source=unit, target=fund.unit)
    kind_unit = fund.in_kind_unit
    if kind_unit is None or fund.in_kind_rate is None or unit.dimension != kind_unit.dimension:
        raise ValueError(unit.code)
    in_kind = quantity * unit.factor / kind_unit.factor
    return (in_kind * fund.in_kind_rate).quantize(THOUSANDTH, ROUND_HALF_UP)


@transaction.atomic
def fund_contribute(
    *, fund: SavingsFund, person_ids: Sequence[int], on: datetime.date,
    quantity: Decimal | None, unit: str, note: str = "", actor: User | None = None,
    today: datetime.date | None = None,
) -> list[FundContribution]:  # fmt: skip
    """The same contribution from each of `person_ids` (one member, or the whole branch
    giving its kilogram of rice), converted into the fund's unit."""
    today = today or timezone.localdate()
    initiative = fund.initiative
    org = initiative.org
    chosen = MeasureUnit.objects.filter(code=unit).first()
    errors: dict[str, str] = {}
    people = sorted(set(person_ids))
    if not people:
        errors["person"] = _("Cần chọn người đóng góp.")
    else:
        strangers = set(people) - _members_of(org, people)
        if strangers:
            errors["person"] = _("Có %(n)s người không phải thành viên của %(org)s.") % {
                "n": len(strangers),
                "org": org.name,
            }
    problem = _check_quantity(quantity, _("số lượng đóng góp"))
    if problem:
        errors["quantity"] = problem
    value = Decimal(0)
    if chosen is None:
        errors["unit"] = _("Cần chọn đơn vị đóng góp.")
    elif quantity is not None and not problem:
        try:
            value = contribution_value(fund=fund, quantity=quantity, unit=chosen)
        except ValueError:
            errors["unit"] = _("Quỹ tính bằng %(unit)s: không nhận đóng góp bằng %(chosen)s.") % {
                "unit": fund.unit.name,
                "chosen": chosen.name,
            }
    if on > today:
        errors["on"] = _("Ngày đóng góp %(day)s ở tương lai.") % {"day": _date(on)}
    elif on < initiative.starts_on:
        errors["on"] = _("Ngày đóng góp %(day)s trước khi mô hình bắt đầu (%(start)s).") % {
            "day": _date(on),
            "start": _date(initiative.starts_on),
        }
    if errors:
        raise ValidationError(errors)
    assert chosen is not None and quantity is not None
    rows = []
    for person_id in people:
        row = FundContribution.objects.create(
            fund=fund,
            person_id=person_id,
            on=on,
            quantity=quantity,
            unit=chosen,
            value=value,
            note=nfc(note),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            subject=row,
            org_id=org.pk,
            person_id=person_id,
            summary=_("Đóng góp vào “%(title)s”: %(amount)s")
            % {"title": initiative.title, "amount": quantity_text(quantity, chosen)},
            after=snapshot(row, ("fund", "person", "on", "quantity", "unit", "value")),
        )
        rows.append(row)
    return rows


@transaction.atomic
def fund_payout(
    *, fund: SavingsFund, beneficiary: str, on: datetime.date, amount: Decimal | None,
    reason: str, address: str = "", actor: User | None = None,
    today: datetime.date | None = None,
) -> FundPayout:  # fmt: skip
    """Support paid to a named beneficiary; refused when the fund does not hold it."""
    today = today or timezone.localdate()
    # One payout at a time per fund: the balance read below is the one the row is
    # written against (PostgreSQL locks the row; SQLite serialises writers anyway).
    SavingsFund.objects.select_for_update().filter(pk=fund.pk).first()
    errors: dict[str, str] = {}
    if not nfc(beneficiary):
        errors["beneficiary"] = _("Cần ghi tên người, hộ được hỗ trợ (rõ địa chỉ).")
    if not nfc(reason):
        errors["reason"] = _("Cần ghi lý do hỗ trợ.")
    problem = _check_quantity(amount, _("số hỗ trợ"))
    if problem:
        errors["amount"] = problem
    if on > today:
        errors["on"] = _("Ngày hỗ trợ %(day)s ở tương lai.") % {"day": _date(on)}
    elif on < fund.initiative.starts_on:
        errors["on"] = _("Ngày hỗ trợ %(day)s trước khi mô hình bắt đầu (%(start)s).") % {
            "day": _date(on),
            "start": _date(fund.initiative.starts_on),
        }
    if amount is not None and not problem:
        given, paid = fund_balance(fund)
        balance = given - paid
        if amount > balance:
            errors["amount"] = _(
                "Số hỗ trợ %(amount)s lớn hơn số dư của quỹ (%(balance)s): quỹ không chi quá "
                "số đang có."
            ) % {
                "amount": quantity_text(amount, fund.unit),
                "balance": quantity_text(balance, fund.unit),
            }
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    payout = FundPayout.objects.create(
        fund=fund,
        beneficiary=nfc(beneficiary),
        address=nfc(address),
        on=on,
        amount=amount,
        reason=nfc(reason),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=payout,
        org_id=fund.initiative.org_id,
        summary=_("Hỗ trợ %(who)s %(amount)s từ “%(title)s”")
        % {
            "who": payout.beneficiary,
            "amount": quantity_text(amount, fund.unit),
            "title": fund.initiative.title,
        },
        after=snapshot(payout, ("fund", "beneficiary", "address", "on", "amount", "reason")),
    )
    return payout


# --- emulation movements ---------------------------------------------------------------------


@dataclass(frozen=True)
class MovementData:
    title: str
    year: int
    starts_on: datetime.date
    ends_on: datetime.date
    criteria: Sequence[tuple[str, int]]
    description: str = ""


@transaction.atomic
def movement_launch(*, org: Org, data: MovementData, actor: User | None = None) -> Movement:
    """A committee launches an emulation movement for the units of its subtree."""
    errors: dict[str, str] = {}
    title = nfc(data.title)
    if not org.is_active:
        errors["org"] = _("%(org)s đã kết thúc hoạt động.") % {"org": org.name}
    elif org.level in (Level.BRANCH, Level.GROUP):
        errors["org"] = _("Phong trào thi đua do cấp ủy, ban chấp hành cấp trên phát động.")
    if not title:
        errors["title"] = _("Cần nhập tên phong trào thi đua.")
    if not 2000 <= data.year <= 2100:
        errors["year"] = _("Năm %(year)s không hợp lý.") % {"year": data.year}
    if data.ends_on < data.starts_on:
        errors["ends_on"] = _("Ngày kết thúc %(end)s trước ngày bắt đầu %(start)s.") % {
            "end": _date(data.ends_on),
            "start": _date(data.starts_on),
        }
    criteria = [(nfc(name), points) for name, points in data.criteria if nfc(name)]
    if not criteria:
        errors["criteria"] = _("Cần ít nhất một tiêu chí chấm điểm, mỗi dòng: tên tiêu chí | điểm.")
    elif len(criteria) > MAX_CRITERIA:
        errors["criteria"] = _("Tối đa %(n)s tiêu chí.") % {"n": MAX_CRITERIA}
    else:
        for number, (name, points) in enumerate(criteria, start=1):
            if not 1 <= points <= 100:
                errors["criteria"] = _(
                    "Tiêu chí thứ %(n)s (“%(name)s”): điểm tối đa phải từ 1 đến 100."
                ) % {"n": number, "name": name}
                break
    if errors:
        raise ValidationError(errors)
    movement = Movement.objects.create(
        org=org,
        title=title,
        year=data.year,
        description=nfc(data.description),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by=actor,
    )
    Criterion.objects.bulk_create(
        Criterion(movement=movement, name=name, max_points=points, position=index)
        for index, (name, points) in enumerate(criteria)
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=movement,
        org_id=org.pk,
        summary=_("Phát động phong trào “%(title)s”") % {"title": title},
        after=snapshot(movement, ("org", "title", "year", "starts_on", "ends_on"))
        | {"criteria": [f"{name} ({points})" for name, points in criteria]},
    )
    return movement


def _points_errors(
    movement: Movement, points: Mapping[int, int], label: str
) -> tuple[dict[str, str], list[Criterion]]:
    criteria = list(movement.criteria.all())
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is None:
            return {f"c{criterion.pk}": _("Cần chấm điểm tiêu chí “%(name)s”.") % {
                "name": criterion.name
            }}, criteria  # fmt: skip
        if not 0 <= value <= criterion.max_points:
            return {
                f"c{criterion.pk}": _(
                    "%(label)s tiêu chí “%(name)s” phải từ 0 đến %(max)s (đã nhập %(value)s)."
                )
                % {"label": label, "name": criterion.name, "max": criterion.max_points,
                   "value": value}
            }, criteria  # fmt: skip
    return {}, criteria


@transaction.atomic
def sheet_self_score(
    *, movement: Movement, org: Org, points: Mapping[int, int],
    evidence: Mapping[int, str] | None = None, submit: bool = False,
    actor: User | None = None,
) -> ScoreSheet:  # fmt: skip
    """A unit scores itself on every criterion; `submit` sends it to the committee."""
    evidence = evidence or {}
    if not org.path.startswith(movement.org.path) or org.pk == movement.org_id:
        raise ValidationError(
            {"org": _("%(org)s không thuộc phạm vi phong trào này.") % {"org": org.name}}
        )
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
        movement=movement, org=org
    )
    if sheet.status != SheetStatus.DRAFT:
        raise ValidationError({"__all__": _("Bảng điểm đã gửi cấp ủy: không sửa được nữa.")})
    errors, criteria = _points_errors(movement, points, _("Điểm tự chấm"))
    if errors:
        raise ValidationError(errors)
    before = snapshot(sheet, ("status", "self_total"))
    for criterion in criteria:
        Score.objects.update_or_create(
            sheet=sheet,
            criterion=criterion,
            defaults={
                "self_points": points[criterion.pk],
                "evidence": nfc(evidence.get(criterion.pk, ""))[:300],
            },
        )
    sheet.self_total = sum(points[c.pk] for c in criteria)
    if submit:
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.submitted_by = actor
    sheet.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=sheet,
        org_id=org.pk,
        summary=_("%(org)s tự chấm %(total)s điểm “%(title)s”")
        % {"org": org.name, "total": sheet.self_total, "title": movement.title},
        before=before,
        after=snapshot(sheet, ("status", "self_total")),
    )
    return sheet


@transaction.atomic
def sheet_confirm(
    *, sheet: ScoreSheet, points: Mapping[int, int], comment: str = "",
    actor: User | None = None,
) -> ScoreSheet:  # fmt: skip
    """The committee that launched the movement confirms (or corrects) a unit's scores."""
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.status != SheetStatus.SUBMITTED:
        raise ValidationError({"__all__": _("Chỉ xác nhận được bảng điểm đơn vị đã gửi.")})
    errors, criteria = _points_errors(sheet.movement, points, _("Điểm xác nhận"))
    if errors:
        raise ValidationError(errors)
    before = snapshot(sheet, ("status", "confirmed_total"))
    for criterion in criteria:
        Score.objects.filter(sheet=sheet, criterion=criterion).update(
            confirmed_points=points[criterion.pk]
        )
    sheet.confirmed_total = sum(points[c.pk] for c in criteria)
    sheet.status = SheetStatus.CONFIRMED
    sheet.confirmed_at = timezone.now()
    sheet.confirmed_by = actor
    sheet.comment = nfc(comment)[:500]
    sheet.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=sheet,
        org_id=sheet.org_id,
        summary=_("Cấp ủy xác nhận %(total)s điểm thi đua") % {"total": sheet.confirmed_total},
        before=before,
        after=snapshot(sheet, ("status", "confirmed_total", "comment")),
    )
    return sheet


# --- exemplars and awards -----------------------------------------------------------------------


@dataclass(frozen=True)
class ExemplarData:
    kind: str
    title: str
    story: str
    year: int
    evidence: str = ""
    person_id: int | None = None
    initiative_id: int | None = None


@transaction.atomic
def exemplar_record(*, org: Org, data: ExemplarData, actor: User | None = None) -> Exemplar:
    """A good example of the unit: one of its members, or the unit itself."""
    errors: dict[str, str] = {}
    if data.kind not in ExemplarKind.values:
        errors["kind"] = _("Cần chọn: người tốt việc tốt hay điển hình tiên tiến.")
    if not nfc(data.title):
        errors["title"] = _("Cần nhập tiêu đề gương điển hình.")
    if not nfc(data.story):
        errors["story"] = _("Cần kể lại việc làm, câu chuyện của gương điển hình.")
    if not 2000 <= data.year <= 2100:
        errors["year"] = _("Năm %(year)s không hợp lý.") % {"year": data.year}
    if data.person_id is not None and not _members_of(org, [data.person_id]):
        errors["person"] = _("Người được nêu gương phải là thành viên của %(org)s.") % {
            "org": org.name
        }
    if (
        data.initiative_id is not None
        and not Initiative.objects.filter(
            pk=data.initiative_id, org__path__startswith=org.path
        ).exists()
    ):
        errors["initiative"] = _("Mô hình này không thuộc %(org)s.") % {"org": org.name}
    if errors:
        raise ValidationError(errors)
    exemplar = Exemplar.objects.create(
        org=org,
        person_id=data.person_id,
        initiative_id=data.initiative_id,
        kind=data.kind,
        title=nfc(data.title),
        story=data.story.strip(),
        evidence=data.evidence.strip(),
        year=data.year,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=exemplar,
        org_id=org.pk,
        person_id=data.person_id,
        summary=_("Gương %(kind)s: %(title)s")
        % {"kind": ExemplarKind(data.kind).label.lower(), "title": exemplar.title},
        after=snapshot(exemplar, ("org", "person", "kind", "title", "year")),
    )
    return exemplar


@dataclass(frozen=True)
class AwardData:
    form: str
    level: str
    issuer: str
    decision_number: str
    decided_on: datetime.date
    reason: str
    person_id: int | None = None
    exemplar_id: int | None = None
    movement_id: int | None = None


@transaction.atomic
def award_record(
    *, org: Org, data: AwardData, actor: User | None = None, today: datetime.date | None = None
) -> Award:
    """Khen thưởng to a member of the unit (`person_id`) or to the unit itself."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    number = nfc(data.decision_number)
    if data.form not in AwardForm.values:
        errors["form"] = _("Cần chọn hình thức khen thưởng (giấy khen, bằng khen…).")
    if data.level not in AwardLevel.values:
        errors["level"] = _("Cần chọn cấp khen thưởng.")
    if not nfc(data.issuer):
        errors["issuer"] = _("Cần ghi cơ quan, cấp ủy ra quyết định khen thưởng.")
    if not number:
        errors["decision_number"] = _("Cần ghi số quyết định khen thưởng, ví dụ 125-QĐ/ĐU.")
    if not nfc(data.reason):
        errors["reason"] = _("Cần ghi thành tích được khen thưởng.")
    if data.decided_on > today:
        errors["decided_on"] = _("Ngày quyết định %(day)s ở tương lai.") % {
            "day": _date(data.decided_on)
        }
    elif data.decided_on < EARLIEST:
        errors["decided_on"] = _("Ngày quyết định %(day)s không hợp lý.") % {
            "day": _date(data.decided_on)
        }
    if data.person_id is not None and not _members_of(org, [data.person_id]):
        errors["person"] = _("Người được khen thưởng phải là thành viên của %(org)s.") % {
            "org": org.name
        }
    if (
        data.exemplar_id is not None
        and not Exemplar.objects.filter(pk=data.exemplar_id)
        .filter(org__path__startswith=org.path)
        .exists()
    ):
        errors["exemplar"] = _("Gương điển hình này không thuộc %(org)s.") % {"org": org.name}
    if data.movement_id is not None and not Movement.objects.filter(
        pk=data.movement_id
    ).reaching(org).exists():  # fmt: skip
        errors["movement"] = _("Phong trào này không được phát động tới %(org)s.") % {
            "org": org.name
        }
    if (
        not errors
        and Award.objects.filter(org=org, decision_number=number)
        .filter(Q(person__isnull=True) if data.person_id is None else Q(person=data.person_id))
        .exists()
    ):
        errors["decision_number"] = _(
            "Quyết định %(number)s đã được ghi cho người, đơn vị này."
        ) % {"number": number}
    if errors:
        raise ValidationError(errors)
    award = Award.objects.create(
        org=org,
        person_id=data.person_id,
        exemplar_id=data.exemplar_id,
        movement_id=data.movement_id,
        form=data.form,
        level=data.level,
        issuer=nfc(data.issuer),
        decision_number=number,
        decided_on=data.decided_on,
        reason=nfc(data.reason),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=award,
        org_id=org.pk,
        person_id=data.person_id,
        summary=_("%(form)s số %(number)s") % {"form": award.get_form_display(), "number": number},
        after=snapshot(award, AWARD_FIELDS),
    )
    return award


def person_for_org(org: Org, person_id: int) -> Person | None:
    """The person if they are on a roll of the org's subtree (for a form's choices)."""
    if not _members_of(org, [person_id]):
        return None
    return Person.objects.filter(pk=person_id).first()


# --- corrections: a status changed, a row entered by mistake voided (with the reason) --------

REASON_MAX = 300


def _reason_errors(reason: str, label: str) -> dict[str, str]:
    text = nfc(reason)
    if not text:
        return {"reason": _("Cần ghi lý do %(what)s.") % {"what": label}}
    if len(text) > REASON_MAX:
        return {"reason": _("Lý do dài quá %(n)s ký tự.") % {"n": REASON_MAX}}
    return {}


@transaction.atomic
def initiative_status_change(
    *, initiative: Initiative, status: str, reason: str, actor: User | None = None
) -> Initiative:
    """Mark a model finished or stopped (or running again when it was marked so by
    mistake), with the reason, which the model's page shows. Its results stay as they
    are: what a stopped model achieved still counts in the totals of its year."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    errors: dict[str, str] = {}
    if status not in InitiativeStatus.values:
        errors["status"] = _("Tình trạng không có trong danh sách.")
    elif status == initiative.status:
        errors["status"] = _("Mô hình đã ở tình trạng “%(status)s”.") % {
            "status": InitiativeStatus(status).label
        }
    errors |= _reason_errors(reason, _("đổi tình trạng"))
    if errors:
        raise ValidationError(errors)
    before = snapshot(initiative, ("status", "status_reason"))
    initiative.status = status
    initiative.status_reason = nfc(reason)
    initiative.save(update_fields=["status", "status_reason"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=initiative,
        org_id=initiative.org_id,
        summary=_("“%(title)s”: %(status)s — %(reason)s")
        % {
            "title": initiative.title,
            "status": InitiativeStatus(status).label.lower(),
            "reason": initiative.status_reason,
        },
        before=before,
        after={"status": status, "status_reason": initiative.status_reason},
    )
    return initiative


@transaction.atomic
def result_entry_void(*, entry: ResultEntry, reason: str, actor: User | None = None) -> ResultEntry:
    """Void a result entered by mistake: it stays on the page struck through with the
    reason, and every total leaves it out (they sum `ResultEntry.objects.valid()`)."""
    entry = ResultEntry.objects.select_for_update().select_related("indicator").get(pk=entry.pk)
    errors: dict[str, str] = {}
    if entry.voided_at is not None:
        errors["__all__"] = _("Kết quả này đã được hủy.")
    errors |= _reason_errors(reason, _("hủy kết quả"))
    if errors:
        raise ValidationError(errors)
    entry.voided_at = timezone.now()
    entry.voided_by = actor
    entry.void_reason = nfc(reason)
    entry.save(update_fields=["voided_at", "voided_by", "void_reason"])
    initiative = Initiative.objects.get(pk=entry.indicator.initiative_id)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END,
        subject=entry,
        org_id=initiative.org_id,
        summary=_("Hủy kết quả %(amount)s ngày %(day)s của “%(title)s”: %(reason)s")
        % {
            "amount": quantity_text(entry.quantity, entry.unit),
            "day": _date(entry.on),
            "title": initiative.title,
            "reason": entry.void_reason,
        },
        before={"voided_at": None},
        after={"voided_at": entry.voided_at.isoformat(), "void_reason": entry.void_reason},
    )
    return entry


@transaction.atomic
def contribution_void(
    *, contribution: FundContribution, reason: str, actor: User | None = None
) -> FundContribution:
    """Void a contribution entered by mistake, unless the fund has already paid out more
    than it would then hold: the balance (contributions − payouts) never goes below zero."""
    fund = (
        SavingsFund.objects.select_for_update()
        .select_related("unit", "initiative")
        .get(pk=contribution.fund_id)
    )
    contribution = FundContribution.objects.select_related("unit", "person").get(pk=contribution.pk)
    errors: dict[str, str] = {}
    if contribution.voided_at is not None:
        errors["__all__"] = _("Khoản đóng góp này đã được hủy.")
    else:
        given, paid = fund_balance(fund)
        if given - contribution.value < paid:
            errors["__all__"] = _(
                "Không hủy được: quỹ đã chi %(paid)s, bỏ khoản này thì số đã chi lớn hơn số đã góp."
            ) % {"paid": quantity_text(paid, fund.unit)}
    errors |= _reason_errors(reason, _("hủy khoản đóng góp"))
    if errors:
        raise ValidationError(errors)
    contribution.voided_at = timezone.now()
    contribution.void_reason = nfc(reason)
    contribution.save(update_fields=["voided_at", "void_reason"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END,
        subject=contribution,
        org_id=fund.initiative.org_id,
        person_id=contribution.person_id,
        summary=_("Hủy khoản đóng góp %(amount)s của %(name)s vào “%(title)s”: %(reason)s")
        % {
            "amount": quantity_text(contribution.quantity, contribution.unit),
            "name": contribution.person.full_name,
            "title": fund.initiative.title,
            "reason": contribution.void_reason,
        },
        before={"voided_at": None},
        after={
            "voided_at": contribution.voided_at.isoformat(),
            "void_reason": contribution.void_reason,
        },
    )
    return contribution


@transaction.atomic
def payout_void(*, payout: FundPayout, reason: str, actor: User | None = None) -> FundPayout:
    """Void a payout entered by mistake: the money is back in the balance."""
    fund = (
        SavingsFund.objects.select_for_update()
        .select_related("unit", "initiative")
        .get(pk=payout.fund_id)
    )
    payout = FundPayout.objects.get(pk=payout.pk)
    errors: dict[str, str] = {}
    if payout.voided_at is not None:
        errors["__all__"] = _("Khoản hỗ trợ này đã được hủy.")
    errors |= _reason_errors(reason, _("hủy khoản hỗ trợ"))
    if errors:
        raise ValidationError(errors)
    payout.voided_at = timezone.now()
    payout.void_reason = nfc(reason)
    payout.save(update_fields=["voided_at", "void_reason"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END,
        subject=payout,
        org_id=fund.initiative.org_id,
        summary=_("Hủy khoản hỗ trợ %(amount)s cho %(who)s từ “%(title)s”: %(reason)s")
        % {
            "amount": quantity_text(payout.amount, fund.unit),
            "who": payout.beneficiary,
            "title": fund.initiative.title,
            "reason": payout.void_reason,
        },
        before={"voided_at": None},
        after={"voided_at": payout.voided_at.isoformat(), "void_reason": payout.void_reason},
    )
    return payout
