"""Pages of party fees: a unit's monthly collection sheet, a member's fee account, and
the committee's export. Every object comes through the scoping layer (`org_get_for`,
`person_get_for`, `visible_to`), so anything outside the user's subtree answers 404; the
views only turn input into service calls and errors back into messages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.core.exporters import export_response
from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import get_for, require_role, scope_for
from chibo.fees.exports import FeeReportExporter
from chibo.fees.forms import (
    BasisForm,
    ExcuseForm,
    ExportForm,
    PayMonthsForm,
    SheetForm,
    VoidForm,
    WithdrawForm,
    parse_month,
)
from chibo.fees.models import FeeExcuse, FeePayment, PaymentMethod
from chibo.fees.rules import RULES, NoRuleError, rule_for
from chibo.fees.rules.base import add_months, month_start
from chibo.fees.selectors import SheetRow, fee_report, fee_sheet, person_fees
from chibo.fees.services import (
    SheetEntry,
    fee_basis_set,
    fee_excuse_record,
    fee_excuse_withdraw,
    fee_months_pay,
    fee_payment_void,
    fee_payments_record,
)
from chibo.orgs.models import Family
from chibo.orgs.selectors import org_ancestors_visible, org_get_for
from chibo.people.forms import apply_service_errors
from chibo.people.selectors import person_get_for


@dataclass
class SheetLine:
    """A row of the sheet with what the officer ticked and typed, kept after an error."""

    row: SheetRow
    picked: bool
    typed: str


def _sheet_lines(request: HttpRequest, rows: list[SheetRow]) -> list[SheetLine]:
    posted = request.method == "POST"
    picked = set(request.POST.getlist("person")) if posted else set()
    lines = []
    for row in rows:
        key = str(row.person.pk)
        if posted and f"amount-{key}" in request.POST:
            typed = request.POST[f"amount-{key}"]
        else:
            amount = row.rate_amount
            typed = f"{amount:,}".replace(",", ".") if amount else ""
        lines.append(SheetLine(row=row, picked=key in picked, typed=typed))
    return lines


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _chosen_month(value: str, today: datetime.date) -> datetime.date:
    month = parse_month(value or "") or month_start(today)
    # Only months a regulation covers, and not beyond next year: the sheet stays sane.
    try:
        rule_for(month)
    except NoRuleError:
        return month_start(today)
    return min(month, add_months(month_start(today), 12))


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    today = timezone.localdate()
    month = _chosen_month(request.POST.get("month") or request.GET.get("month", ""), today)
    role = scope_for(user).role_at(org.path)
    is_party = org.family == Family.PARTY
    can_record = role is not None and role >= Role.OFFICER and org.is_active and is_party
    result = fee_sheet(user=user, org=org, month=month, today=today)
    names = {row.person.pk: row.person.full_name for row in result.rows}
    form = SheetForm(
        request.POST if request.method == "POST" else None,
        names=names,
        initial={"paid_on": today, "method": PaymentMethod.CASH},
    )
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                created = fee_payments_record(
                    org=org,
                    month=month,
                    entries=[SheetEntry(pid, amount) for pid, amount in form.entries],
                    paid_on=form.cleaned_data["paid_on"],
                    method=form.cleaned_data["method"],
                    actor=_actor(request),
                    today=today,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Đã ghi %(count)s đảng viên nộp đảng phí tháng %(month)s.")
                    % {"count": len(created), "month": month.strftime("%m/%Y")},
                )
                return redirect(f"{reverse('fee_sheet', args=[org.code])}?month={month:%Y-%m}")
    try:
        citation = rule_for(month).citation
    except NoRuleError:  # pragma: no cover - _chosen_month keeps to covered months
        citation = ""
    context = {
        "org": org,
        "sheet": result,
        "lines": _sheet_lines(request, result.rows),
        "month": month,
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1),
        "is_party": is_party,
        "can_record": can_record,
        "can_export": role is not None and role >= Role.COMMITTEE,
        "form": form,
        "citation": citation,
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "fees/sheet.html", context)


def _person_fee_forms(request: HttpRequest, today: datetime.date) -> dict[str, Any]:
    """The officer's forms, bound only for the one that was posted."""
    action = request.POST.get("action", "") if request.method == "POST" else ""

    def data(name: str) -> Any:
        return request.POST if action == name else None

    return {
        "action": action,
        "basis": BasisForm(
            data("basis"), prefix="basis", initial={"valid_from": month_start(today)}
        ),
        "pay": PayMonthsForm(
            data("pay"),
            prefix="pay",
            initial={"first_month": month_start(today), "count": 1, "paid_on": today},
        ),
        "excuse": ExcuseForm(data("excuse"), prefix="excuse"),
        "void": VoidForm(data("void"), prefix="void"),
        "withdraw": WithdrawForm(data("withdraw"), prefix="withdraw"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def person_account(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = person_get_for(user=user, person_id=person_id)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = max(rule_for_first_year(), min(year, today.year + 1))
    record = person_fees(user=user, person=person, year=year, today=today)
    scope = scope_for(user)
    is_me = scope.person_id == person.pk
    membership = record.membership
    can_read = is_me or (membership is not None and scope.can(membership.org.path, Role.VIEWER))
    if not can_read:
        # A women's union head may open a member's profile, not her party fees.
        raise PermissionDenied
    can_edit = (
        membership is not None
        and membership.org.is_active
        and scope.can(membership.org.path, Role.OFFICER)
    )
    forms = _person_fee_forms(request, today)
    if request.method == "POST":
        if not can_edit or membership is None:
            raise PermissionDenied
        done = _person_fee_post(request, forms, person, membership.org, today)
        if done:
            messages.success(request, done)
            return redirect(f"{reverse('fee_person', args=[person.pk])}?year={year}")
    context = {
        "person": person,
        "record": record,
        "year": year,
        "years": [y for y in range(today.year - 4, today.year + 2) if y >= rule_for_first_year()],
        "is_me": is_me,
        "can_edit": can_edit,
        "forms": forms,
        "today_month": month_start(today),
    }
    return render(request, "fees/person.html", context)


def rule_for_first_year() -> int:
    return RULES[0].starts.year


def _person_fee_post(
    request: HttpRequest, forms: dict[str, Any], person: Any, org: Any, today: datetime.date
) -> str:
    """Run the posted action; the success message, or "" with errors left on its form."""
    action = forms["action"]
    actor = _actor(request)
    form = forms.get(action)
    if form is None or action not in ("basis", "pay", "excuse", "void", "withdraw"):
        messages.error(request, _("Không rõ thao tác cần làm; hãy thử lại từ trang này."))
        return ""
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    try:
        if action == "basis":
            basis = fee_basis_set(
                person=person, org=org, data=form.data_for_service(), actor=actor, today=today
            )
            return _("Đã lưu căn cứ tính đảng phí từ tháng %(month)s.") % {
                "month": basis.valid_from.strftime("%m/%Y")
            }
        if action == "pay":
            created = fee_months_pay(
                person=person,
                org=org,
                first_month=data["first_month"],
                count=data["count"],
                paid_on=data["paid_on"],
                amount=data.get("amount") or None,
                method=data["method"],
                actor=actor,
                today=today,
            )
            return _("Đã ghi nộp đảng phí %(count)s tháng, từ tháng %(month)s.") % {
                "count": len(created),
                "month": created[0].month.strftime("%m/%Y"),
            }
        if action == "excuse":
            excuse = fee_excuse_record(
                person=person,
                org=org,
                month=data["month"],
                reason=data["reason"],
                actor=actor,
                today=today,
            )
            return _("Đã ghi lý do chính đáng cho tháng %(month)s.") % {
                "month": excuse.month.strftime("%m/%Y")
            }
        if action == "void":
            payment = get_for(
                FeePayment.objects.visible_to(request.user, Role.OFFICER)
                .valid()
                .filter(person=person),
                pk=data["payment"],
            )
            fee_payment_void(payment=payment, reason=data["reason"], actor=actor)
            return _("Đã hủy khoản nộp tháng %(month)s.") % {
                "month": payment.month.strftime("%m/%Y")
            }
        excuse = get_for(
            FeeExcuse.objects.visible_to(request.user, Role.OFFICER).valid().filter(person=person),
            pk=data["excuse"],
        )
        fee_excuse_withdraw(excuse=excuse, actor=actor)
        return _("Đã rút lại lý do của tháng %(month)s.") % {
            "month": excuse.month.strftime("%m/%Y")
        }
    except ValidationError as error:
        # "person": the member left the roll meanwhile; said above the form.
        apply_service_errors(form, error, aliases={"person": "__all__"})
        return ""


@login_required
def export(request: HttpRequest, code: str) -> HttpResponseBase:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.COMMITTEE)
    today = timezone.localdate()
    form = ExportForm(request.GET if "period" in request.GET else None)
    if form.is_valid():
        first, last, label = form.cleaned_data["period"]
        report = fee_report(user=user, org=org, first=first, last=last, today=today)
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        return export_response(FeeReportExporter(report, label=label, user=user), fmt)
    quarter = (today.month - 1) // 3 + 1
    context = {
        "org": org,
        "form": form,
        "examples": [
            today.strftime("%m/%Y"),
            f"Q{quarter}/{today.year}",
            str(today.year),
        ],
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "fees/export.html", context)
