"""Forms of the calendar, topic and agenda pages. They only shape input; the services in
schedule.py, topics.py, agenda.py and documents.py decide."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import VnDateField
from chibo.meetings.agenda import ItemText
from chibo.meetings.models import MeetingKind
from chibo.meetings.schedule import DEADLINE_DAY_MAX, ThematicMode

_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:hg.](?P<m>\d{2})?)?$")


def parse_time(value: str) -> datetime.time | None:
    """'19:30', '19h30', '7h', '7' -> a time; None for anything else."""
    found = _TIME.match(value.strip().lower().replace(" ", ""))
    if not found:
        return None
    hour, minute = int(found["h"]), int(found["m"] or 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


class TimeField(forms.CharField):
    widget = forms.TextInput(
        attrs={"placeholder": "19:30", "inputmode": "numeric", "autocomplete": "off"}
    )

    def to_python(self, value: Any) -> datetime.time | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        parsed = parse_time(text)
        if parsed is None:
            raise ValidationError(
                gettext("%(label)s “%(value)s” không đúng dạng giờ:phút (ví dụ: 19:30).")
                % {"label": self.label, "value": text},
                code="invalid",
            )
        return parsed

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        return value


def _day_field(label: Any, initial: int, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=31,
        initial=initial,
        help_text=help_text,
        error_messages={
            "invalid": _("Ngày phải là số, từ 1 đến 31."),
            "min_value": _("Ngày phải từ 1 đến 31."),
            "max_value": _("Ngày phải từ 1 đến 31."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class GenerateYearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Năm phải là số, ví dụ 2026.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    day = _day_field(
        _("Họp định kỳ vào ngày"), 5, _("Ngày trong tháng; tháng ngắn hơn thì họp ngày cuối tháng")
    )
    at = TimeField(label=_("Giờ họp"), initial=datetime.time(19, 30))
    location = forms.CharField(label=_("Địa điểm"), required=False, max_length=200)
    thematic = forms.ChoiceField(
        label=_("Sinh hoạt chuyên đề"),
        choices=[
            (ThematicMode.SEPARATE, _("Buổi riêng, tháng cuối mỗi quý")),
            (ThematicMode.COMBINED, _("Kết hợp với buổi định kỳ tháng cuối mỗi quý (≥ 120 phút)")),
            (ThematicMode.NONE, _("Lên lịch sau, từng buổi")),
        ],
        initial=ThematicMode.SEPARATE,
        widget=forms.RadioSelect,
    )
    thematic_day = _day_field(_("Ngày sinh hoạt chuyên đề (buổi riêng)"), 20)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại buổi sinh hoạt"), choices=())
    day = VnDateField(label=_("Ngày họp"), help_text=_("Ví dụ: 05/03/2026"))
    at = TimeField(label=_("Giờ họp"), initial=datetime.time(19, 30))
    location = forms.CharField(label=_("Địa điểm"), required=False, max_length=200)
    title = forms.CharField(label=_("Tiêu đề"), required=False, max_length=300)
    topic = forms.TypedChoiceField(
        label=_("Chuyên đề đã được duyệt"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=(),
        help_text=_("Chỉ chuyên đề cấp trên đã duyệt mới xếp lịch được"),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        kinds: list[str],
        topics: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(k, MeetingKind(k).label) for k in kinds]
        topic_field = self.fields["topic"]
        assert isinstance(topic_field, forms.ChoiceField)
        topic_field.choices = [("", _("— Không —")), *topics]
        if not topics:
            del self.fields["topic"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("day") and cleaned.get("at") is None and "at" not in self.errors:
            self.add_error("at", gettext("Cần nhập giờ họp."))
        return cleaned


class MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    day = VnDateField(label=_("Ngày họp mới"))
    at = TimeField(label=_("Giờ họp"))
    location = forms.CharField(label=_("Địa điểm"), required=False, max_length=200)
    reason = forms.CharField(label=_("Lý do dời"), required=False, max_length=300)


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Lý do hủy"),
        max_length=300,
        error_messages={"required": _("Cần nhập lý do hủy buổi sinh hoạt.")},
    )


class DetailsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Tiêu đề"), required=False, max_length=300)
    purpose = forms.CharField(
        label=_("Mục đích, yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    guests_note = forms.CharField(
        label=_("Thành phần mời dự"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: đồng chí đảng ủy viên phụ trách chi bộ"),
    )


class ItemsForm(forms.Form):
    """An agenda as text, one item a line; "nội dung | hướng dẫn" keeps a guidance note."""

    items = forms.CharField(
        label=_("Các nội dung, mỗi dòng một nội dung"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Có thể ghi hướng dẫn sau dấu “|”, ví dụ: Thu đảng phí | thủ quỹ ghi sổ"),
        error_messages={"required": _("Chương trình cần ít nhất một nội dung.")},
    )

    def item_texts(self) -> list[ItemText]:
        rows = []
        for line in str(self.cleaned_data["items"]).splitlines():
            title, _bar, guidance = line.partition("|")
            if title.strip() or guidance.strip():
                rows.append(ItemText(title.strip(), guidance.strip()))
        return rows


def items_text(items: list[ItemText]) -> str:
    return "\n".join(
        f"{item.title} | {item.guidance}" if item.guidance else str(item.title) for item in items
    )


class TemplateForm(ItemsForm):
    kind = forms.ChoiceField(
        label=_("Loại buổi sinh hoạt"), choices=MeetingKind.choices, widget=forms.HiddenInput
    )
    name = forms.CharField(label=_("Tên mẫu"), required=False, max_length=200)


class DeadlineForm(forms.Form):
    deadline_day = forms.IntegerField(
        label=_("Hạn đăng ký lịch và chuyên đề tháng sau: ngày"),
        min_value=1,
        max_value=DEADLINE_DAY_MAX,
        help_text=_("Ngày của tháng trước, từ 1 đến 28; ví dụ 20"),
        error_messages={
            "invalid": _("Hạn đăng ký phải là số, từ 1 đến 28."),
            "min_value": _("Hạn đăng ký phải từ ngày 1 đến ngày 28."),
            "max_value": _("Hạn đăng ký phải từ ngày 1 đến ngày 28."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
