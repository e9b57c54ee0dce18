"""Forms of the fee pages. They only shape input; the services decide."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import VnDateField
from chibo.fees.models import PaymentMethod
from chibo.fees.rules.base import RELIEF_PERCENTS, Area, FeeCategory, WageRegion
from chibo.fees.services import BasisData

_MONTH_FORMATS = (
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$"),
    re.compile(r"^(?P<month>\d{1,2})[/.-](?P<year>\d{4})$"),
)


def parse_month(value: str) -> datetime.date | None:
    """'2026-11' (what a month picker sends) or '11/2026' (what people type)."""
    text = value.strip()
    for pattern in _MONTH_FORMATS:
        found = pattern.match(text)
        if found:
            month, year = int(found["month"]), int(found["year"])
            if 1 <= month <= 12 and 1900 <= year <= 2200:
                return datetime.date(year, month, 1)
    return None


def parse_money(value: str) -> int | None:
    """'12.000', '12,000 đ', '12000' -> 12000; None for anything that is not an amount."""
    text = re.sub(r"[\s.,]|đ$|đồng$|vnđ$", "", value.strip().lower())
    return int(text) if text.isdigit() else None


class MonthField(forms.CharField):
    widget = forms.TextInput(
        attrs={"placeholder": "mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
    )

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise ValidationError(
                gettext("%(label)s “%(value)s” không đúng dạng tháng/năm (ví dụ: 03/2026).")
                % {"label": self.label, "value": text},
                code="invalid",
            )
        return month

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value.strftime("%m/%Y")
        return value


class MoneyField(forms.CharField):
    """An amount in đồng, typed with or without thousands separators."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return 0
        amount = parse_money(text)
        if amount is None:
            raise ValidationError(
                gettext("%(label)s “%(value)s” không phải số tiền (ví dụ: 5.310.000).")
                % {"label": self.label, "value": text},
                code="invalid",
            )
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".") if value else ""
        return value


def _choices(choices: list[tuple[Any, Any]], empty: Any = None) -> list[tuple[Any, Any]]:
    return [("", empty or _("— Chọn —")), *choices]


class BasisForm(forms.Form):
    valid_from = MonthField(label=_("Áp dụng từ tháng"), help_text=_("Ví dụ: 01/2026"))
    category = forms.ChoiceField(label=_("Đối tượng"), choices=_choices(FeeCategory.choices))
    salary = MoneyField(
        label=_("Tiền lương (đồng/tháng)"),
        required=False,
        help_text=_("Lương ngạch bậc, chức vụ làm căn cứ đóng bảo hiểm xã hội"),
    )
    allowances = MoneyField(
        label=_("Phụ cấp (đồng/tháng)"),
        required=False,
        help_text=_("Các khoản phụ cấp tính đóng bảo hiểm xã hội"),
    )
    pension = MoneyField(label=_("Lương hưu, trợ cấp (đồng/tháng)"), required=False)
    benefit = MoneyField(label=_("Trợ cấp ốm đau, thai sản (đồng/tháng)"), required=False)
    area = forms.ChoiceField(
        label=_("Khu vực nơi ở"),
        required=False,
        choices=_choices(Area.choices),
        help_text=_("Cho đảng viên khác, theo Quyết định 342-QĐ/TW (trước 02/2026)"),
    )
    wage_region = forms.TypedChoiceField(
        label=_("Vùng lương tối thiểu nơi sinh hoạt đảng"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_choices(WageRegion.choices),
        help_text=_("Cho đảng viên khác, theo Quy định 01-QĐ/TW (từ 02/2026)"),
    )
    voluntary_amount = MoneyField(
        label=_("Tự nguyện đóng (đồng/tháng)"),
        required=False,
        help_text=_("Để trống nếu đóng theo mức quy định"),
    )
    relief_percent = forms.TypedChoiceField(
        label=_("Miễn, giảm"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(p, _("Không") if p == 0 else f"{p}%") for p in RELIEF_PERCENTS],
    )
    relief_until = MonthField(label=_("Miễn, giảm đến hết tháng"), required=False)
    relief_reason = forms.CharField(label=_("Lý do miễn, giảm"), required=False, max_length=300)
    decision_number = forms.CharField(label=_("Số quyết định"), required=False, max_length=40)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    def data_for_service(self) -> BasisData:
        data = self.cleaned_data
        return BasisData(
            valid_from=data["valid_from"],
            category=data["category"],
            salary=data.get("salary") or 0,
            allowances=data.get("allowances") or 0,
            pension=data.get("pension") or 0,
            benefit=data.get("benefit") or 0,
            area=data.get("area") or "",
            wage_region=data.get("wage_region"),
            voluntary_amount=data.get("voluntary_amount") or 0,
            relief_percent=data.get("relief_percent") or 0,
            relief_until=data.get("relief_until"),
            relief_reason=data.get("relief_reason") or "",
            decision_number=data.get("decision_number") or "",
            note=data.get("note") or "",
        )


class PayMonthsForm(forms.Form):
    first_month = MonthField(label=_("Từ tháng"))
    count = forms.IntegerField(
        label=_("Số tháng"),
        min_value=1,
        max_value=24,
        initial=1,
        error_messages={
            "invalid": _("Số tháng phải là số nguyên, từ 1 đến 24."),
            "min_value": _("Số tháng phải từ 1 đến 24."),
            "max_value": _("Số tháng phải từ 1 đến 24."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    paid_on = VnDateField(label=_("Ngày nộp"))
    amount = MoneyField(
        label=_("Số tiền mỗi tháng (đồng)"),
        required=False,
        help_text=_("Để trống để tính theo mức phải đóng của từng tháng"),
    )
    method = forms.ChoiceField(
        label=_("Hình thức"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )


class ExcuseForm(forms.Form):
    month = MonthField(label=_("Tháng chưa nộp"))
    reason = forms.CharField(
        label=_("Lý do chính đáng"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: ốm nặng, điều trị dài ngày tại bệnh viện tỉnh"),
    )


class VoidForm(forms.Form):
    payment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do hủy"), max_length=300)


class WithdrawForm(forms.Form):
    excuse = forms.IntegerField(widget=forms.HiddenInput)


class SheetForm(forms.Form):
    """'Đã nộp' for the members ticked on the sheet, each with the amount shown beside
    them (the rate, unless the officer typed another)."""

    paid_on = VnDateField(label=_("Ngày nộp"))
    method = forms.ChoiceField(
        label=_("Hình thức"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )

    def __init__(
        self, data: QueryDict | None = None, *, names: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.posted = data
        self.names = names
        self.entries: list[tuple[int, int | None]] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.posted is None:
            return cleaned
        entries: list[tuple[int, int | None]] = []
        problems: list[str] = []
        for raw in self.posted.getlist("person"):
            try:
                person_id = int(raw)
            except (TypeError, ValueError):
                problems.append(gettext("Lựa chọn “%(value)s” không hợp lệ.") % {"value": raw})
                continue
            typed = str(self.posted.get(f"amount-{person_id}", "")).strip()
            amount = parse_money(typed) if typed else None
            if typed and amount is None:
                problems.append(
                    gettext("%(name)s: “%(value)s” không phải số tiền.")
                    % {"name": self.names.get(person_id, person_id), "value": typed}
                )
                continue
            entries.append((person_id, amount))
        if problems:
            raise ValidationError(problems)
        self.entries = entries
        return cleaned


class ExportForm(forms.Form):
    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        help_text=_("Tháng (11/2026), quý (Q3/2026) hoặc năm (2026)"),
        max_length=20,
    )

    def clean_period(self) -> tuple[datetime.date, datetime.date, str]:
        text = self.cleaned_data["period"].strip().upper().replace(" ", "")
        quarter = re.match(r"^(?:Q|QUÝ)([1-4])[/-](\d{4})$", text) or re.match(
            r"^(\d{4})-Q([1-4])$", text
        )
        if quarter:
            groups = quarter.groups()
            number, year = (
                (int(groups[0]), int(groups[1]))
                if len(groups[0]) == 1
                else (int(groups[1]), int(groups[0]))
            )
            first = datetime.date(year, 3 * number - 2, 1)
            return first, datetime.date(year, 3 * number, 1), f"Q{number}-{year}"
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return datetime.date(year, 1, 1), datetime.date(year, 12, 1), str(year)
        month = parse_month(text)
        if month is not None:
            return month, month, month.strftime("%Y-%m")
        raise ValidationError(
            gettext(
                "Kỳ báo cáo “%(value)s” không đúng: hãy ghi tháng (11/2026), quý (Q3/2026) "
                "hoặc năm (2026)."
            )
            % {"value": self.cleaned_data["period"]}
        )
