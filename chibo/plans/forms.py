"""Forms of the study-and-follow pages. They only shape input; the services decide."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DATE_INPUT_FORMATS, VnDateField
from chibo.plans.files import ACCEPT, max_bytes
from chibo.plans.models import DocumentKind, ItemKind, ItemResult, Theme, ThemeKind
from chibo.plans.services import DocumentData, ItemData, PlanItemData, ThemeData

_LINES = _("Mỗi dòng một nội dung.")
_FILE_HELP = _(
    "PDF, Word (DOC, DOCX), Excel (XLSX), OpenDocument (ODT) hoặc ảnh chụp (JPG, PNG); "
    "tối đa %(mb)s MB."
)


def _file_help() -> str:
    return str(_FILE_HELP) % {"mb": max_bytes() // 1024 // 1024}


_FILE_ERRORS = {
    "invalid": _("Tệp tải lên không đọc được; đồng chí chọn lại tệp."),
    "missing": _("Không nhận được tệp; đồng chí chọn lại tệp."),
    "empty": _("Tệp đã chọn trống, không có nội dung."),
    "max_length": _("Tên tệp dài quá."),
}


def _required(label: Any) -> dict[str, str]:
    return {"required": gettext("Cần nhập %(label)s.") % {"label": str(label).lower()}}


class ThemeForm(forms.Form):
    """A theme, and the document that carries it (kế hoạch, hướng dẫn, tài liệu)."""

    kind = forms.ChoiceField(label=_("Loại chuyên đề"), choices=ThemeKind.choices)
    title = forms.CharField(
        label=_("Tên chuyên đề"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("Tên chuyên đề")),
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(
        label=_("Đến năm (chuyên đề toàn khóa)"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Chỉ ghi với chuyên đề toàn khóa, ví dụ 2030."),
    )
    summary = forms.CharField(
        label=_("Nội dung chính"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document_number = forms.CharField(
        label=_("Số văn bản ban hành"),
        max_length=40,
        required=False,
        help_text=_("Ví dụ: 125-KH/ĐU"),
    )
    issued_on = VnDateField(label=_("Ngày ban hành"), help_text=_("Ví dụ: 15/01/2026"))
    document_kind = forms.ChoiceField(
        label=_("Loại tài liệu kèm theo"), choices=DocumentKind.choices, initial="material"
    )
    document_title = forms.CharField(
        label=_("Tên tài liệu kèm theo"), max_length=300, required=False
    )
    document_body = forms.CharField(
        label=_("Nội dung tài liệu"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    document_link = forms.CharField(
        label=_("Đường dẫn toàn văn"),
        max_length=200,
        required=False,
        help_text=_("Nếu tài liệu đăng ở nơi khác, ví dụ https://…"),
    )
    document_file = forms.FileField(
        label=_("Tệp toàn văn"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT, "class": "plans-file-input"}),
        error_messages=_FILE_ERRORS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document_file"].help_text = _file_help()

    def theme_data(self) -> ThemeData:
        data = self.cleaned_data
        return ThemeData(
            kind=data["kind"],
            title=data["title"],
            year=data["year"],
            end_year=data.get("end_year"),
            summary=data.get("summary", ""),
            issued_on=data["issued_on"],
            document_number=data.get("document_number", ""),
        )

    def document_data(self) -> DocumentData | None:
        data = self.cleaned_data
        if not (
            data.get("document_title")
            or data.get("document_body")
            or data.get("document_link")
            or data.get("document_file")
        ):
            return None
        return DocumentData(
            kind=data["document_kind"],
            title=data.get("document_title", ""),
            number=data.get("document_number", ""),
            issued_on=data["issued_on"],
            body=data.get("document_body", ""),
            link=data.get("document_link", ""),
            file=data.get("document_file") or None,
        )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentKind.choices)
    number = forms.CharField(
        label=_("Số, ký hiệu"), max_length=40, required=False, help_text=_("Ví dụ: 238-NQ/ĐU")
    )
    title = forms.CharField(
        label=_("Trích yếu, tên tài liệu"),
        max_length=300,
        error_messages=_required(_("Trích yếu, tên tài liệu")),
    )
    issued_on = VnDateField(label=_("Ngày ban hành"), help_text=_("Ví dụ: 12/11/2026"))
    theme = forms.ModelChoiceField(
        label=_("Thuộc chuyên đề"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("— Không thuộc chuyên đề nào —"),
    )
    body = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    link = forms.CharField(label=_("Đường dẫn toàn văn"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Tệp toàn văn"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT, "class": "plans-file-input"}),
        error_messages=_FILE_ERRORS,
    )

    def __init__(self, *args: Any, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["theme"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = themes
        self.fields["file"].help_text = _file_help()
        field.error_messages["invalid_choice"] = gettext(
            "Chuyên đề đã chọn không gửi đến đơn vị này."
        )

    def document_data(self) -> DocumentData:
        data = self.cleaned_data
        return DocumentData(
            kind=data["kind"],
            title=data["title"],
            number=data.get("number", ""),
            issued_on=data["issued_on"],
            body=data.get("body", ""),
            link=data.get("link", ""),
            file=data.get("file") or None,
        )


class SessionForm(forms.Form):
    held_on = VnDateField(label=_("Ngày học tập"), help_text=_("Ví dụ: 05/11/2026"))
    theme = forms.ModelChoiceField(
        label=_("Chuyên đề"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("— Không theo chuyên đề nào —"),
    )
    title = forms.CharField(
        label=_("Nội dung buổi học"),
        max_length=300,
        error_messages=_required(_("Nội dung buổi học")),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attendee = forms.TypedMultipleChoiceField(
        label=_("Người dự"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cần chọn ít nhất một người dự buổi học.")},
    )

    def __init__(
        self, *args: Any, themes: QuerySet[Theme], people: Iterable[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ModelChoiceField)
        theme.queryset = themes
        theme.error_messages["invalid_choice"] = gettext(
            "Chuyên đề đã chọn không gửi đến đơn vị này."
        )
        attendee = self.fields["attendee"]
        assert isinstance(attendee, forms.TypedMultipleChoiceField)
        attendee.choices = list(people)
        attendee.error_messages["invalid_choice"] = gettext(
            "Người được chọn không có trong danh sách của đơn vị."
        )


def plan_rows(
    data: Mapping[str, Any] | None, initial: list[PlanItemData], blank: int = 3
) -> list[dict[str, Any]]:
    """Rows of the plan form: what was posted, or the saved items and a few blank lines."""
    if data is not None:
        try:
            count = min(int(data.get("rows", 0)), 60)
        except (TypeError, ValueError):
            count = 0
        return [
            {
                "what": str(data.get(f"what-{i}", "")),
                "due": str(data.get(f"due-{i}", "")),
                "who": str(data.get(f"who-{i}", "")),
            }
            for i in range(count)
        ]
    rows = [
        {"what": item.what, "due": item.due_on.strftime("%d/%m/%Y") if item.due_on else "",
         "who": item.who}
        for item in initial
    ]  # fmt: skip
    return rows + [{"what": "", "due": "", "who": ""} for _ in range(blank)]


def parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def plan_items(rows: list[dict[str, Any]]) -> tuple[list[PlanItemData], list[str]]:
    """The rows as service input, and the rows whose date could not be read."""
    items: list[PlanItemData] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        if not (row["what"].strip() or row["due"].strip() or row["who"].strip()):
            continue
        due = parse_date(row["due"]) if row["due"].strip() else None
        if row["due"].strip() and due is None:
            problems.append(
                gettext("Dòng %(n)s: thời gian “%(value)s” không đúng dạng ngày/tháng/năm.")
                % {"n": number, "value": row["due"].strip()}
            )
        items.append(PlanItemData(what=row["what"], due_on=due, who=row["who"]))
    return items, problems


class CommitmentForm(forms.Form):
    job_position = forms.CharField(
        label=_("Vị trí việc làm, nhiệm vụ được giao"),
        max_length=200,
        help_text=_("Ví dụ: Trưởng xóm; Giáo viên Trường THCS; Nông dân, đảng viên ở xóm"),
        error_messages=_required(_("Vị trí việc làm")),
    )
    commitment_items = forms.CharField(
        label=_("Nội dung cam kết tu dưỡng, rèn luyện, phấn đấu"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_LINES,
        error_messages={"required": _("Cần ít nhất một nội dung cam kết.")},
    )
    plan_items = forms.CharField(
        label=_("Kế hoạch cá nhân học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_LINES,
        error_messages={"required": _("Cần ít nhất một nội dung kế hoạch cá nhân.")},
    )
    pledge = forms.CharField(
        label=_("Lời cam kết chung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def items(self) -> list[ItemData]:
        data = self.cleaned_data
        result = []
        for kind, field in (
            (ItemKind.COMMITMENT, "commitment_items"),
            (ItemKind.PLAN, "plan_items"),
        ):
            for line in str(data.get(field, "")).splitlines():
                text = line.strip().lstrip("-•+*").strip()
                if text:
                    result.append(ItemData(kind=kind, text=text))
        return result


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến của bí thư"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    period = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Nhận xét"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần nhập nhận xét.")},
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Câu hỏi"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required(_("Câu hỏi")),
    )
    answer = forms.CharField(
        label=_("Trả lời (phần “đáp”)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Cần nhập câu trả lời (phần “đáp”).")},
    )
    choices = forms.CharField(
        label=_("Các phương án để chọn"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một phương án; từ 2 đến 6 phương án."),
        error_messages={"required": _("Cần ít nhất 2 phương án để chọn.")},
    )
    correct = forms.TypedChoiceField(
        label=_("Phương án đúng là dòng thứ"),
        coerce=int,
        choices=[(i, str(i + 1)) for i in range(6)],
    )

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


RESULT_CHOICES = ItemResult.choices
