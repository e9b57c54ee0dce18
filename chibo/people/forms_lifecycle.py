"""Forms of a member's party life. They shape input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import VnDateField
from chibo.orgs.models import Org
from chibo.people.admissions import AUTOMATIC_PAPERS
from chibo.people.forms import PersonFieldsMixin
from chibo.people.models import PaperForm, TemporaryPurpose, TransferKind


def _text(label: Any, *, max_length: int, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _date(label: Any, *, help_text: Any = "") -> VnDateField:
    return VnDateField(label=label, required=False, help_text=help_text or _("Ví dụ: 25/03/2025"))


def _mark_required(form: forms.Form, *names: str) -> None:
    """Shown as required; the service says what is missing, so one round lists it all."""
    for name in names:
        form.fields[name].show_required = True  # type: ignore[attr-defined]


class CandidateForm(PersonFieldsMixin):
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: Lò Thị Mai. Họ, tên đệm và tên được tự tách."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    listed_on = _date(_("Ngày chi bộ đưa vào danh sách quần chúng ưu tú"))
    note = _text(_("Ghi chú"), max_length=300, help_text=_("Ví dụ: Bí thư Chi đoàn xóm"))

    field_order = [
        "full_name", "gender", "birth_date", "citizen_id", "phone", "ethnicity", "religion",
        "hometown", "address", "occupation", "job_position", "listed_on", "note",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("family_name", "middle_name", "given_name", "email"):
            del self.fields[name]
        _mark_required(self, "full_name", "gender", "birth_date", "listed_on")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("full_name"):
            self.add_error("full_name", gettext("Cần nhập họ và tên của quần chúng."))
        return cleaned


class CourseForm(forms.Form):
    course_completed_on = _date(_("Ngày học xong lớp bồi dưỡng nhận thức về Đảng"))
    course_certificate = _text(_("Số giấy chứng nhận"), max_length=40)
    course_provider = _text(
        _("Nơi cấp"), max_length=160, help_text=_("Ví dụ: Trung tâm Chính trị huyện Đại Từ")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _mark_required(self, "course_completed_on", "course_certificate")


class PapersForm(forms.Form):
    """One date per form of the dossier the cell gathers; empty means not received yet."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for form, label in PaperForm.choices:
            if form in AUTOMATIC_PAPERS:
                continue
            self.fields[self.field_name(form)] = _date(
                f"{form}: {label}", help_text=_("Ngày nhận; để trống nếu chưa có.")
            )

    @staticmethod
    def field_name(form: str) -> str:
        return "paper_" + form.split("-")[0]

    def received(self) -> dict[str, Any]:
        return {
            form: self.cleaned_data.get(self.field_name(form))
            for form in PaperForm.values
            if form not in AUTOMATIC_PAPERS
        }


class ResolutionForm(forms.Form):
    on = _date(_("Ngày nghị quyết"))
    number = _text(_("Số nghị quyết"), max_length=40, help_text=_("Ví dụ: 12-NQ/CB"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _mark_required(self, "on", "number")


class DecisionForm(forms.Form):
    on = _date(_("Ngày quyết định kết nạp"))
    number = _text(_("Số quyết định"), max_length=40, help_text=_("Ví dụ: 125-QĐ/ĐU"))
    org = forms.ChoiceField(label=_("Cấp ủy ra quyết định"), choices=())

    def __init__(self, *args: Any, makers: list[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(org.code, org.short_name or org.name) for org in makers]
        field.error_messages["invalid_choice"] = _(
            "“%(value)s” không phải cấp ủy mà đồng chí có quyền quyết định kết nạp."
        )
        _mark_required(self, "on", "number")


class DayForm(forms.Form):
    on = _date(_("Ngày"))

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["on"].label = label
        _mark_required(self, "on")


class StopForm(DayForm):
    reason = _text(_("Lý do"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _mark_required(self, "reason")


class OfficialForm(forms.Form):
    official_on = _date(
        _("Ngày chính thức"), help_text=_("Để trống: đúng ngày hết 12 tháng dự bị.")
    )
    decision_number = _text(
        _("Số quyết định công nhận đảng viên chính thức"),
        max_length=40,
        help_text=_("Ví dụ: 210-QĐ/ĐU"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _mark_required(self, "decision_number")


class StandingForm(forms.Form):
    action = forms.ChoiceField(label=_("Thay đổi"), choices=(), widget=forms.RadioSelect)
    on = _date(_("Ngày"))
    reason = _text(_("Lý do"), max_length=300)
    decision_number = _text(
        _("Số quyết định hoặc nghị quyết"),
        max_length=40,
        help_text=_("Bắt buộc khi cấp ủy cấp trên quyết định (đình chỉ, xóa tên, khai trừ)."),
    )

    def __init__(self, *args: Any, actions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = actions
        field.error_messages["required"] = _("Cần chọn một thay đổi tư cách.")
        field.error_messages["invalid_choice"] = _(
            "“%(value)s” không phải thay đổi mà đồng chí được làm với đảng viên này."
        )
        _mark_required(self, "on")


class TransferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại"), choices=TransferKind.choices, widget=forms.RadioSelect
    )
    target = forms.ChoiceField(
        label=_("Nơi đến trong hệ thống"),
        required=False,
        choices=(),
        help_text=_("Chi bộ hoặc đảng bộ cơ sở đồng chí được xem."),
    )
    target_text = _text(
        _("Hoặc nơi đến ngoài hệ thống"),
        max_length=200,
        help_text=_("Tên tổ chức đảng nơi đến, ví dụ: Chi bộ Trường Đại học Sư phạm Hà Nội"),
    )
    cause_on = _date(
        _("Ngày có quyết định (chuyển công tác, nghỉ hưu, đi học…) hoặc thay đổi nơi ở")
    )
    reason = _text(_("Lý do"), max_length=300, help_text=_("Ví dụ: Chuyển công tác"))
    purpose = forms.ChoiceField(
        label=_("Sinh hoạt tạm thời để"),
        required=False,
        choices=[("", _("— Chọn —")), *TemporaryPurpose.choices],
    )
    starts_on = _date(_("Sinh hoạt tạm thời từ ngày"))
    ends_on = _date(_("Đến ngày"))

    def __init__(self, *args: Any, targets: list[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— Ngoài hệ thống —"))] + [
            (org.code, f"{org.name} ({org.code})") for org in targets
        ]
        field.error_messages["invalid_choice"] = _(
            "“%(value)s” không có trong danh sách nơi đến đồng chí được chọn."
        )
        kind = self.fields["kind"]
        kind.error_messages["required"] = _("Cần chọn chuyển chính thức hay tạm thời.")
        _mark_required(self, "cause_on", "reason")


class LetterForm(DayForm):
    letter_number = _text(_("Số giấy giới thiệu"), max_length=40, help_text=_("Ví dụ: 56-GGT/ĐU"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _mark_required(self, "letter_number")
