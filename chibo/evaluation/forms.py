"""Forms of the round pages. They only read input; the rules and checks are the services'.

Every form that writes an evaluation carries the `revision` it was rendered with, so that
the service can refuse a save made over someone else's newer one.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import VnDateField
from chibo.evaluation.rules import all_rule_sets
from chibo.evaluation.rules.base import Criterion
from chibo.evaluation.services import Deadlines, Proposal, SelfAssessment

TEXT_ROWS = 3


def _area(rows: int = TEXT_ROWS) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _revision() -> forms.IntegerField:
    """The revision the form was rendered with; a page kept open too long, or edited by
    hand, is told to reload rather than to fix a box it cannot see."""
    stale = _(
        "Trang này đã cũ hoặc thiếu thông tin lần sửa của phiếu; hãy tải lại trang rồi lưu lại."
    )
    return forms.IntegerField(
        label=_("Lần sửa của phiếu"),
        widget=forms.HiddenInput,
        error_messages={"required": stale, "invalid": stale},
    )


def _named_messages(field: forms.Field) -> dict[str, str]:
    """Django's own messages ("Trường này là bắt buộc.") do not say which box is wrong,
    and the decision page lists a form per member: each message names its field."""
    label = str(field.label or "")
    named: dict[str, str] = {
        "required": (
            gettext("Chưa chọn “%(label)s”.")
            if isinstance(field, forms.ChoiceField)
            else gettext("Cần nhập “%(label)s”.")
        )
        % {"label": label},
        "invalid_choice": gettext("“%(label)s”: lựa chọn này không có trong danh sách.")
        % {"label": label},
    }
    if isinstance(field, forms.IntegerField):
        low, high = field.min_value, field.max_value
        named["invalid"] = gettext("“%(label)s” phải là một số nguyên.") % {"label": label}
        if low is not None and high is not None:
            named["min_value"] = named["max_value"] = gettext(
                "“%(label)s” phải từ %(min)s đến %(max)s."
            ) % {"label": label, "min": low, "max": high}
    if isinstance(field, forms.CharField) and field.max_length is not None:
        named["max_length"] = gettext("“%(label)s” dài quá %(max)s ký tự.") % {
            "label": label,
            "max": field.max_length,
        }
    return named


class _NamedErrorsForm(forms.Form):
    """A form whose fields' Django messages name the field (see `_named_messages`); the
    messages a field declares itself (the revision's, a date's) are kept."""

    def full_clean(self) -> None:
        # Here and not in __init__: the subclasses add their fields in their own __init__.
        for field in self.fields.values():
            defaults: dict[str, Any] = {}
            for cls in reversed(type(field).__mro__):
                defaults.update(getattr(cls, "default_error_messages", {}))
            for code, message in _named_messages(field).items():
                if field.error_messages.get(code) is defaults.get(code):
                    field.error_messages[code] = message
        super().full_clean()


class RoundOpenForm(_NamedErrorsForm):
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2000, max_value=2100)
    rule_set = forms.ChoiceField(
        label=_("Quy định áp dụng"),
        required=False,
        help_text=_("Để trống: quy định áp dụng cho năm đã chọn."),
    )
    reference_date = VnDateField(
        label=_("Ngày tính"),
        help_text=_("Đảng viên vào Đảng chưa đủ 6 tháng tính đến ngày này thì không xếp loại."),
    )
    units_self_due = VnDateField(label=_("Hạn tập thể tự đánh giá"), required=False)
    members_self_due = VnDateField(label=_("Hạn đảng viên tự đánh giá"), required=False)
    proposals_due = VnDateField(label=_("Hạn chi bộ nhận xét, đề xuất"), required=False)
    decisions_due = VnDateField(label=_("Hạn cấp ủy quyết định"), required=False)
    units_decision_due = VnDateField(label=_("Hạn xếp loại tập thể"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("Theo năm đánh giá"))]
        choices += [(rules.code, rules.title) for rules in all_rule_sets()]
        self.fields["rule_set"].choices = choices  # type: ignore[attr-defined]

    def deadlines(self) -> Deadlines:
        data = self.cleaned_data
        return Deadlines(
            units_self_due=data.get("units_self_due"),
            units_decision_due=data.get("units_decision_due"),
            members_self_due=data.get("members_self_due"),
            proposals_due=data.get("proposals_due"),
            decisions_due=data.get("decisions_due"),
        )

    @staticmethod
    def defaults(today: datetime.date) -> dict[str, Any]:
        # Rounds are held at the turn of the year: December's round counts from 1 December.
        year = today.year if today.month >= 10 else today.year - 1
        return {"year": year, "reference_date": datetime.date(year, 12, 1)}


class SelfForm(_NamedErrorsForm):
    """Text per criterion, strengths, shortcomings, the self grade and, when the rule set
    scores, the points per criterion (checked and added up by the service)."""

    revision = _revision()
    strengths = forms.CharField(label=_("Ưu điểm"), required=False, widget=_area())
    shortcomings = forms.CharField(
        label=_("Hạn chế, khuyết điểm và nguyên nhân"), required=False, widget=_area()
    )
    self_grade = forms.ChoiceField(label=_("Tự xếp loại"), required=False)

    def __init__(
        self,
        *args: Any,
        criteria: Sequence[Criterion],
        grades: Sequence[tuple[str, Any]],
        scored: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.scored = scored
        for criterion in self.criteria:
            self.fields[f"text_{criterion.code}"] = forms.CharField(
                label=str(criterion.title),
                required=False,
                widget=_area(),
                help_text=str(criterion.guidance),
            )
            if scored and criterion.max_points is not None:
                self.fields[f"score_{criterion.code}"] = forms.CharField(
                    label=_("Điểm (tối đa %(max)s)") % {"max": criterion.max_points},
                    required=False,
                    widget=forms.TextInput(
                        attrs={
                            "inputmode": "decimal",
                            "data-max": str(criterion.max_points),
                            "class": "ev-score",
                        }
                    ),
                )
        if scored:
            self.fields["self_grade"].help_text = _(
                "Để trống: theo tổng điểm. Không tự xếp cao hơn mức của tổng điểm."
            )
        self.fields["self_grade"].choices = [("", "—"), *grades]  # type: ignore[attr-defined]
        self.order_fields(["revision", *self._criterion_fields(), "strengths", "shortcomings"])

    def _criterion_fields(self) -> list[str]:
        names = []
        for criterion in self.criteria:
            names.append(f"text_{criterion.code}")
            if f"score_{criterion.code}" in self.fields:
                names.append(f"score_{criterion.code}")
        return names

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField | None]]:
        return [
            (
                c,
                self[f"text_{c.code}"],
                self[f"score_{c.code}"] if f"score_{c.code}" in self.fields else None,
            )
            for c in self.criteria
        ]

    def assessment(self) -> SelfAssessment:
        data = self.cleaned_data
        return SelfAssessment(
            texts={c.code: data.get(f"text_{c.code}", "") for c in self.criteria},
            strengths=data.get("strengths", ""),
            shortcomings=data.get("shortcomings", ""),
            self_grade=data.get("self_grade", ""),
            score_sheet=(
                {c.code: data.get(f"score_{c.code}", "") for c in self.criteria}
                if self.scored
                else None
            ),
        )

    @staticmethod
    def initial_for(evaluation: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "revision": evaluation.revision,
            "strengths": evaluation.strengths,
            "shortcomings": evaluation.shortcomings,
            "self_grade": evaluation.self_grade,
        }
        for code, text in (evaluation.self_text or {}).items():
            initial[f"text_{code}"] = text
        for code, points in (evaluation.score_sheet or {}).items():
            initial[f"score_{code}"] = str(points).replace(".", ",")
        return initial


class ProposalForm(_NamedErrorsForm):
    revision = _revision()
    review_comment = forms.CharField(
        label=_("Nhận xét của chi bộ"), required=False, widget=_area(2)
    )
    proposed_grade = forms.ChoiceField(label=_("Chi bộ đề xuất xếp loại"), required=False)
    proposed_score = forms.CharField(
        label=_("Điểm chi bộ chấm"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    sick_leave_months = forms.IntegerField(
        label=_("Số tháng nghỉ ốm trong năm"), min_value=0, max_value=12, initial=0
    )
    discipline = forms.CharField(
        label=_("Kỷ luật trong năm (hình thức, số quyết định)"),
        required=False,
        max_length=500,
        help_text=_("Để trống nếu không bị kỷ luật."),
    )

    def __init__(
        self, *args: Any, grades: Sequence[tuple[str, Any]], scored: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposed_grade"].choices = [("", "—"), *grades]  # type: ignore[attr-defined]
        if not scored:
            del self.fields["proposed_score"]

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        return Proposal(
            review_comment=data.get("review_comment", ""),
            proposed_grade=data.get("proposed_grade", ""),
            proposed_score=data.get("proposed_score", "") or "",
            sick_leave_months=data.get("sick_leave_months") or 0,
            discipline=data.get("discipline", ""),
        )

    @staticmethod
    def initial_for(evaluation: Any) -> dict[str, Any]:
        return {
            "revision": evaluation.revision,
            "review_comment": evaluation.review_comment,
            "proposed_grade": evaluation.proposed_grade or evaluation.self_grade,
            "proposed_score": (
                str(evaluation.proposed_score or evaluation.self_score or "").replace(".", ",")
            ),
            "sick_leave_months": evaluation.sick_leave_months,
            "discipline": evaluation.discipline,
        }


class DecideForm(_NamedErrorsForm):
    revision = _revision()
    grade = forms.ChoiceField(label=_("Cấp ủy quyết định"))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)

    def __init__(self, *args: Any, grades: Sequence[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", "—"), *grades]  # type: ignore[attr-defined]


class UnitProposalForm(_NamedErrorsForm):
    revision = _revision()
    review_comment = forms.CharField(
        label=_("Nhận xét của cấp trên"), required=False, widget=_area(2)
    )
    proposed_grade = forms.ChoiceField(label=_("Đề xuất xếp loại"))

    def __init__(self, *args: Any, grades: Sequence[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposed_grade"].choices = [("", "—"), *grades]  # type: ignore[attr-defined]


class ReopenForm(_NamedErrorsForm):
    revision = _revision()
    reason = forms.CharField(
        label=_("Lý do mở lại"), max_length=500, widget=_area(2), required=False
    )
