"""Forms of the models, funds, emulation and honours pages. They only shape input; the
services decide."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import VnDateField
from chibo.initiatives.models import (
    AwardForm,
    AwardLevel,
    Criterion,
    Dimension,
    ExemplarKind,
    IndicatorKind,
    InitiativeKind,
    InitiativeStatus,
    MeasureUnit,
    Score,
)
from chibo.initiatives.services import (
    AwardData,
    ExemplarData,
    FundData,
    IndicatorData,
    InitiativeData,
    MovementData,
)

INDICATOR_ROWS = 3
_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def _required(label: Any) -> dict[str, str]:
    return {"required": gettext("Cần nhập %(label)s.") % {"label": str(label).lower()}}


def parse_quantity(text: str) -> Decimal:
    """A number as people type it: '1.200' and '1.200,5' (Vietnamese), '1,5', '0.5'."""
    value = text.strip().replace(" ", "")
    if _GROUPED.match(value):
        value = value.replace(".", "").replace(",", ".")
    else:
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


class QuantityField(forms.CharField):
    """A quantity typed with Vietnamese separators; the error repeats what was typed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_quantity(text)
        except ValueError:
            raise ValidationError(
                gettext("%(label)s “%(value)s” không phải là một số (ví dụ: 1.200 hoặc 1,5).")
                % {"label": self.label, "value": text},
                code="invalid",
            ) from None


def unit_choices(units: Iterable[MeasureUnit]) -> list[tuple[str, str]]:
    labels = dict(Dimension.choices)
    return [
        (unit.code, f"{unit.symbol} — {unit.name} ({str(labels[unit.dimension]).lower()})")
        for unit in units
    ]


class InitiativeForm(forms.Form):
    """Registration of a model with its four "rõ" and up to three result indicators."""

    kind = forms.ChoiceField(label=_("Loại"), choices=InitiativeKind.choices)
    title = forms.CharField(
        label=_("Tên mô hình, phần việc, sáng kiến"),
        max_length=200,
        error_messages=_required(_("Tên mô hình")),
        help_text=_("Ví dụ: Hũ gạo tình thương giúp hội viên nghèo"),
    )
    owner_person = forms.TypedChoiceField(
        label=_("Người phụ trách (rõ người)"), coerce=int, required=False, empty_value=None
    )
    participants = forms.CharField(
        label=_("Người tham gia"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: toàn thể hội viên chi hội"),
    )
    participant_count = forms.IntegerField(
        label=_("Số người tham gia"), required=False, min_value=1, max_value=1_000_000
    )
    tasks = forms.CharField(
        label=_("Nội dung công việc (rõ việc)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một việc."),
        error_messages=_required(_("Nội dung công việc")),
    )
    ward_code = forms.TypedChoiceField(
        label=_("Xã, phường (rõ địa chỉ)"), coerce=int, required=False, empty_value=None
    )
    hamlet = forms.CharField(label=_("Thôn, xóm, tổ dân phố"), max_length=120, required=False)
    beneficiaries = forms.CharField(
        label=_("Đối tượng, hộ được hưởng lợi"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: 7 hộ hội viên có hoàn cảnh đặc biệt khó khăn"),
    )
    starts_on = VnDateField(label=_("Bắt đầu"), help_text=_("Ví dụ: 05/01/2026"))
    ends_on = VnDateField(label=_("Kết thúc (nếu có)"), required=False)
    fund_unit = forms.ChoiceField(label=_("Quỹ tính bằng"), required=False)
    in_kind_unit = forms.ChoiceField(label=_("Nhận đóng góp bằng hiện vật"), required=False)
    in_kind_rate = QuantityField(
        label=_("Giá quy đổi một đơn vị hiện vật (đồng)"),
        required=False,
        help_text=_("Ví dụ: 1 kg gạo = 15.000 đồng"),
    )
    confirm_overlap = forms.BooleanField(
        label=_("Tôi đã xem các mô hình tương tự ở trên, vẫn đăng ký mô hình này"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        kinds: Sequence[IndicatorKind],
        units: Sequence[MeasureUnit],
        people: Iterable[tuple[int, str]],
        wards: Iterable[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_person"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = [("", gettext("— Cả đơn vị —")), *people]
        owner.error_messages["invalid_choice"] = gettext(
            "Người được chọn không có trong danh sách của đơn vị."
        )
        ward = self.fields["ward_code"]
        assert isinstance(ward, forms.TypedChoiceField)
        ward.choices = [("", gettext("— Chọn xã, phường —")), *wards]
        money = [unit for unit in units if unit.dimension == Dimension.MONEY]
        fund_unit = self.fields["fund_unit"]
        assert isinstance(fund_unit, forms.ChoiceField)
        fund_unit.choices = unit_choices(money)
        in_kind = self.fields["in_kind_unit"]
        assert isinstance(in_kind, forms.ChoiceField)
        in_kind.choices = [("", gettext("— Chỉ nhận tiền —")), *unit_choices(
            u for u in units if u.dimension != Dimension.MONEY
        )]  # fmt: skip
        kind_choices = [("", gettext("— Chọn chỉ tiêu —"))] + [(k.code, k.name) for k in kinds]
        for index in range(INDICATOR_ROWS):
            number = index + 1
            self.fields[f"ind{index}_kind"] = forms.ChoiceField(
                label=gettext("Chỉ tiêu %(n)s (rõ kết quả)") % {"n": number},
                choices=kind_choices,
                required=False,
            )
            self.fields[f"ind{index}_target"] = QuantityField(
                label=gettext("Mức đăng ký của chỉ tiêu %(n)s") % {"n": number}, required=False
            )
            self.fields[f"ind{index}_unit"] = forms.ChoiceField(
                label=gettext("Đơn vị của chỉ tiêu %(n)s") % {"n": number},
                choices=[("", "—"), *unit_choices(units)],
                required=False,
            )
            self.fields[f"ind{index}_label"] = forms.CharField(
                label=gettext("Tên riêng của chỉ tiêu %(n)s (nếu cần)") % {"n": number},
                max_length=120,
                required=False,
            )

    def indicator_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"ind{i}_kind"], self[f"ind{i}_target"], self[f"ind{i}_unit"],
             self[f"ind{i}_label"]]
            for i in range(INDICATOR_ROWS)
        ]  # fmt: skip

    def initiative_data(self, *, owner: int | None = None) -> InitiativeData:
        data = self.cleaned_data
        indicators = [
            IndicatorData(
                kind=data[f"ind{i}_kind"],
                unit=data[f"ind{i}_unit"],
                target=data.get(f"ind{i}_target"),
                label=data.get(f"ind{i}_label", ""),
            )
            for i in range(INDICATOR_ROWS)
            if data.get(f"ind{i}_kind") or data.get(f"ind{i}_unit") or data.get(f"ind{i}_target")
        ]
        fund = None
        if data["kind"] == InitiativeKind.SAVINGS:
            fund = FundData(
                unit=data.get("fund_unit") or "dong",
                in_kind_unit=data.get("in_kind_unit") or "",
                in_kind_rate=data.get("in_kind_rate"),
            )
        return InitiativeData(
            kind=data["kind"],
            title=data["title"],
            tasks=data["tasks"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            owner_person_id=owner if owner is not None else data.get("owner_person"),
            participants=data.get("participants", ""),
            participant_count=data.get("participant_count"),
            ward_code=data.get("ward_code"),
            hamlet=data.get("hamlet", ""),
            beneficiaries=data.get("beneficiaries", ""),
            indicators=indicators,
            fund=fund,
        )


class ResultForm(forms.Form):
    indicator = forms.TypedChoiceField(label=_("Chỉ tiêu"), coerce=int)
    on = VnDateField(label=_("Ngày ghi nhận"), help_text=_("Ví dụ: 30/06/2026"))
    quantity = QuantityField(
        label=_("Kết quả đạt được"),
        error_messages=_required(_("Kết quả đạt được")),
        help_text=_("Ví dụ: 450 (kg) hoặc 1,5 (tấn)"),
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        indicators: Iterable[tuple[int, str]],
        units: Iterable[MeasureUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        indicator = self.fields["indicator"]
        assert isinstance(indicator, forms.TypedChoiceField)
        indicator.choices = list(indicators)
        indicator.error_messages["invalid_choice"] = gettext(
            "Chỉ tiêu đã chọn không thuộc mô hình này."
        )
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [("", gettext("— Đơn vị của chỉ tiêu —")), *unit_choices(units)]


class ContributionForm(forms.Form):
    person = forms.TypedChoiceField(
        label=_("Người đóng góp"), coerce=int, required=False, empty_value=None
    )
    everyone = forms.BooleanField(
        label=_("Ghi cùng một mức cho tất cả thành viên của đơn vị"), required=False
    )
    on = VnDateField(label=_("Ngày đóng góp"), help_text=_("Ví dụ: 15/03/2026"))
    quantity = QuantityField(
        label=_("Số lượng"),
        error_messages=_required(_("Số lượng")),
        help_text=_("Ví dụ: 1 (kg gạo) hoặc 20.000 (đồng)"),
    )
    unit = forms.ChoiceField(label=_("Đơn vị"))
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        people: Iterable[tuple[int, str]],
        units: Iterable[MeasureUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = list(people)
        person = self.fields["person"]
        assert isinstance(person, forms.TypedChoiceField)
        person.choices = [("", gettext("— Chọn người —")), *self.people]
        person.error_messages["invalid_choice"] = gettext(
            "Người được chọn không có trong danh sách của đơn vị."
        )
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = unit_choices(units)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("everyone") and not data.get("person") and "person" not in self.errors:
            self.add_error(
                "person", gettext("Cần chọn người đóng góp, hoặc chọn ghi cho tất cả thành viên.")
            )
        return data

    def person_ids(self) -> list[int]:
        if self.cleaned_data.get("everyone"):
            return [pk for pk, _name in self.people]
        return [self.cleaned_data["person"]]


class PayoutForm(forms.Form):
    beneficiary = forms.CharField(
        label=_("Người, hộ được hỗ trợ"),
        max_length=160,
        error_messages=_required(_("Người, hộ được hỗ trợ")),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=200, required=False)
    on = VnDateField(label=_("Ngày hỗ trợ"), help_text=_("Ví dụ: 20/10/2026"))
    amount = QuantityField(label=_("Số hỗ trợ"), error_messages=_required(_("Số hỗ trợ")))
    reason = forms.CharField(
        label=_("Lý do hỗ trợ"), max_length=300, error_messages=_required(_("Lý do hỗ trợ"))
    )


class MovementForm(forms.Form):
    title = forms.CharField(
        label=_("Tên phong trào thi đua"),
        max_length=300,
        error_messages=_required(_("Tên phong trào")),
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    starts_on = VnDateField(label=_("Bắt đầu"))
    ends_on = VnDateField(label=_("Kết thúc"))
    description = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria = forms.CharField(
        label=_("Tiêu chí chấm điểm"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Mỗi dòng một tiêu chí: tên tiêu chí | điểm tối đa. Ví dụ: Có mô hình làm theo Bác | 30"
        ),
        error_messages=_required(_("Tiêu chí chấm điểm")),
    )

    def clean_criteria(self) -> list[tuple[str, int]]:
        rows: list[tuple[str, int]] = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _bar, points = line.rpartition("|")
            try:
                value = int(points.strip())
            except ValueError:
                raise ValidationError(
                    gettext(
                        "Dòng %(n)s “%(line)s”: cần ghi tên tiêu chí, dấu | rồi số điểm tối đa."
                    )
                    % {"n": number, "line": line.strip()}
                ) from None
            rows.append((name.strip(), value))
        return rows

    def movement_data(self) -> MovementData:
        data = self.cleaned_data
        return MovementData(
            title=data["title"],
            year=data["year"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            description=data.get("description", ""),
            criteria=data["criteria"],
        )


class SheetForm(forms.Form):
    """Points per criterion: the unit's own (`c<id>`, with evidence `e<id>`) or the
    committee's (`k<id>`)."""

    comment = forms.CharField(label=_("Nhận xét của cấp ủy"), max_length=500, required=False)

    def __init__(
        self,
        *args: Any,
        criteria: Sequence[Criterion],
        scores: Sequence[Score],
        confirming: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.confirming = confirming
        by_criterion = {score.criterion_id: score for score in scores}
        for criterion in self.criteria:
            score = by_criterion.get(criterion.pk)
            label = f"{criterion.name} ({gettext('tối đa %(n)s') % {'n': criterion.max_points}})"
            if confirming:
                self.fields[f"k{criterion.pk}"] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=criterion.max_points,
                    initial=score.self_points if score else None,
                    error_messages=_required(criterion.name),
                )
            else:
                self.fields[f"c{criterion.pk}"] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=criterion.max_points,
                    initial=score.self_points if score else None,
                    error_messages=_required(criterion.name),
                )
                self.fields[f"e{criterion.pk}"] = forms.CharField(
                    label=gettext("Minh chứng: %(name)s") % {"name": criterion.name},
                    max_length=300,
                    required=False,
                    initial=score.evidence if score else "",
                )
        if not confirming:
            del self.fields["comment"]

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        prefix = "k" if self.confirming else "c"
        return [
            (self[f"{prefix}{c.pk}"], None if self.confirming else self[f"e{c.pk}"])
            for c in self.criteria
        ]

    def points(self) -> dict[int, int]:
        prefix = "k" if self.confirming else "c"
        return {c.pk: self.cleaned_data[f"{prefix}{c.pk}"] for c in self.criteria}

    def evidence(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"e{c.pk}", "") for c in self.criteria}


class ExemplarForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=ExemplarKind.choices)
    title = forms.CharField(
        label=_("Tiêu đề"), max_length=200, error_messages=_required(_("Tiêu đề"))
    )
    person = forms.TypedChoiceField(
        label=_("Gương của"), coerce=int, required=False, empty_value=None
    )
    initiative = forms.TypedChoiceField(
        label=_("Gắn với mô hình"), coerce=int, required=False, empty_value=None
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    story = forms.CharField(
        label=_("Câu chuyện, việc làm"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required(_("Câu chuyện, việc làm")),
    )
    evidence = forms.CharField(
        label=_("Minh chứng"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: biên bản, ảnh, xác nhận của xóm, bài báo"),
    )

    def __init__(
        self,
        *args: Any,
        people: Iterable[tuple[int, str]],
        initiatives: Iterable[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.TypedChoiceField)
        person.choices = [("", gettext("— Tập thể đơn vị —")), *people]
        person.error_messages["invalid_choice"] = gettext(
            "Người được chọn không có trong danh sách của đơn vị."
        )
        initiative = self.fields["initiative"]
        assert isinstance(initiative, forms.TypedChoiceField)
        initiative.choices = [("", "—"), *initiatives]
        self.fields["year"].initial = timezone.localdate().year

    def exemplar_data(self) -> ExemplarData:
        data = self.cleaned_data
        return ExemplarData(
            kind=data["kind"],
            title=data["title"],
            story=data["story"],
            evidence=data.get("evidence", ""),
            year=data["year"],
            person_id=data.get("person"),
            initiative_id=data.get("initiative"),
        )


class AwardRecordForm(forms.Form):
    person = forms.TypedChoiceField(
        label=_("Khen thưởng cho"), coerce=int, required=False, empty_value=None
    )
    form = forms.ChoiceField(label=_("Hình thức"), choices=AwardForm.choices)
    level = forms.ChoiceField(label=_("Cấp khen"), choices=AwardLevel.choices)
    issuer = forms.CharField(
        label=_("Cơ quan khen thưởng"),
        max_length=200,
        error_messages=_required(_("Cơ quan khen thưởng")),
        help_text=_("Ví dụ: Ban Thường vụ Đảng ủy xã"),
    )
    decision_number = forms.CharField(
        label=_("Số quyết định"),
        max_length=40,
        error_messages=_required(_("Số quyết định")),
        help_text=_("Ví dụ: 125-QĐ/ĐU"),
    )
    decided_on = VnDateField(label=_("Ngày quyết định"))
    reason = forms.CharField(
        label=_("Thành tích"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required(_("Thành tích")),
    )

    def __init__(self, *args: Any, people: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.TypedChoiceField)
        person.choices = [("", gettext("— Tập thể đơn vị —")), *people]
        person.error_messages["invalid_choice"] = gettext(
            "Người được chọn không có trong danh sách của đơn vị."
        )

    def award_data(self) -> AwardData:
        data = self.cleaned_data
        return AwardData(
            form=data["form"],
            level=data["level"],
            issuer=data["issuer"],
            decision_number=data["decision_number"],
            decided_on=data["decided_on"],
            reason=data["reason"],
            person_id=data.get("person"),
        )


class UnitForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=24, help_text=_("Ví dụ: bao-50kg"))
    name = forms.CharField(label=_("Tên đơn vị"), max_length=40)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=16)
    dimension = forms.ChoiceField(label=_("Loại đại lượng"), choices=Dimension.choices)
    factor = QuantityField(
        label=_("Bằng bao nhiêu đơn vị gốc"),
        help_text=_(
            "Đơn vị gốc: đồng, kg, m³, kWh, hộ, người, buổi, m, m², cái. Ví dụ: bao 50 kg = 50"
        ),
    )


# --- corrections --------------------------------------------------------------------------


class VoidForm(forms.Form):
    """Why a row entered by mistake is voided: the row stays, struck through, with it."""

    reason = forms.CharField(
        label=_("Lý do hủy"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required(_("Lý do hủy")),
        help_text=_("Ví dụ: ghi nhầm số, ghi trùng hai lần."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng mới"))
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required(_("Lý do")),
        help_text=_("Ví dụ: đã đạt mục tiêu; hộ được giúp đã thoát nghèo; thiếu kinh phí."),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in InitiativeStatus.choices if v != current]
        field.error_messages["invalid_choice"] = gettext("Cần chọn một tình trạng khác hiện nay.")
