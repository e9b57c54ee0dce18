"""Forms for restructuring the org tree. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import VnDateField
from chibo.orgs import divisions
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.selectors import division_communes, division_provinces


def _org_choice_label(org: Org) -> str:
    return f"{org.name} ({org.code})"


class _TargetForm(forms.Form):
    target = forms.ChoiceField(label="", choices=())
    confirm = forms.BooleanField(
        label="",
        required=True,
        error_messages={"required": _("Cần đánh dấu xác nhận trước khi thực hiện.")},
    )

    def __init__(self, *args: Any, targets: list[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {org.code: org for org in targets}
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— Chọn —"))] + [
            (org.code, _org_choice_label(org)) for org in targets
        ]
        field.error_messages["required"] = _("Cần chọn tổ chức.")
        field.error_messages["invalid_choice"] = _(
            "Tổ chức “%(value)s” không có trong danh sách được chọn."
        )

    def target_org(self) -> Org:
        return self.targets[self.cleaned_data["target"]]


class OrgMoveForm(_TargetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].label = _("Chuyển về trực thuộc")
        self.fields["confirm"].label = _(
            "Tôi xác nhận chuyển tổ chức này cùng toàn bộ đơn vị trực thuộc."
        )


class OrgMergeForm(_TargetForm):
    on = VnDateField(
        label=_("Ngày hợp nhất"),
        error_messages={"required": _("Cần nhập ngày hợp nhất.")},
    )

    field_order = ["target", "on", "confirm"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["target"].label = _("Hợp nhất vào")
        self.fields["confirm"].label = _(
            "Tôi xác nhận hợp nhất: thành viên, cán bộ và đơn vị trực thuộc chuyển sang tổ "
            "chức nhận; tổ chức này thôi hoạt động. Không hoàn tác được."
        )


# --- creating and editing orgs ------------------------------------------------------------


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's Vietnamese messages on the fields they name, the rest above the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, found in error.message_dict.items():
        target = key if key in form.fields else None
        for message in found:
            form.add_error(target, message)


def _chosen_code(form: forms.Form, name: str) -> int | None:
    """The value of a code field as posted, or as given initially when re-shown unbound."""
    raw = form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name)
    try:
        return int(str(raw))
    except (TypeError, ValueError):
        return None


class PlaceFieldsMixin(forms.Form):
    """Province, then commune of that province, from the official list after 2025.

    The commune list depends on the province: it is built from the province posted (or
    given initially), so a phone without JavaScript gets it by reloading the form.
    """

    province_code = forms.TypedChoiceField(
        label=_("Tỉnh, thành phố"), coerce=int, empty_value=None, required=False, choices=()
    )
    ward_code = forms.TypedChoiceField(
        label=_("Xã, phường, đặc khu"), coerce=int, empty_value=None, required=False, choices=()
    )
    hamlet = forms.CharField(
        label=_("Thôn, xóm, tổ dân phố"),
        max_length=120,
        required=False,
        help_text=_("Ví dụ: Xóm Na Mao. Bỏ trống nếu tổ chức phụ trách cả xã, phường."),
    )

    def setup_place(self) -> None:
        province_field = self.fields["province_code"]
        ward_field = self.fields["ward_code"]
        assert isinstance(province_field, forms.ChoiceField)
        assert isinstance(ward_field, forms.ChoiceField)
        province_field.choices = [("", gettext("— Chọn tỉnh, thành phố —"))] + [
            (str(code), name) for code, name in division_provinces()
        ]
        province_field.error_messages["invalid_choice"] = gettext(
            "Tỉnh, thành phố “%(value)s” không có trong danh mục sau sắp xếp năm 2025."
        )
        province = _chosen_code(self, "province_code")
        communes = division_communes(province)
        self.province_name = divisions.province_name(province)
        if communes:
            ward_field.choices = [("", gettext("— Chọn xã, phường —"))] + [
                (str(code), name) for code, name in communes
            ]
            ward_field.error_messages["invalid_choice"] = gettext(
                "Xã, phường đã chọn không thuộc %(province)s; hãy chọn lại trong danh sách."
            ) % {"province": self.province_name}
        else:
            ward_field.choices = [("", gettext("— Chọn tỉnh, thành phố trước —"))]
            ward_field.error_messages["invalid_choice"] = gettext(
                "Hãy chọn tỉnh, thành phố trước, rồi chọn xã, phường."
            )

    def place_data(self) -> dict[str, Any]:
        return {
            "province_code": self.cleaned_data.get("province_code"),
            "ward_code": self.cleaned_data.get("ward_code"),
            "hamlet": self.cleaned_data.get("hamlet") or "",
        }


class _NameFields(forms.Form):
    name = forms.CharField(
        label=_("Tên tổ chức"),
        max_length=200,
        help_text=_("Tên đầy đủ, ví dụ: Chi bộ xóm Na Mao."),
        error_messages={"required": _("Cần nhập tên tổ chức.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    short_name = forms.CharField(
        label=_("Tên ngắn"),
        max_length=80,
        required=False,
        help_text=_("Tên gọi thường ngày, nếu có, ví dụ: Đảng ủy xã Phú Xuyên."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class OrgCreateForm(_NameFields, PlaceFieldsMixin):
    code = forms.CharField(
        label=_("Mã"),
        max_length=40,
        help_text=_(
            "Chữ in hoa không dấu, chữ số và dấu gạch ngang, ví dụ: DU-DT-CB19. "
            "Mã dùng mãi, không đổi về sau."
        ),
        error_messages={"required": _("Cần nhập mã tổ chức.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    family = forms.ChoiceField(
        label=_("Hệ thống"),
        choices=Family.choices,
        error_messages={
            "required": _("Cần chọn hệ thống tổ chức."),
            "invalid_choice": _("Hệ thống “%(value)s” không có trong danh sách."),
        },
    )
    level = forms.ChoiceField(label=_("Cấp"), choices=())

    field_order = [
        "code", "name", "short_name", "family", "level", "province_code", "ward_code", "hamlet",
    ]  # fmt: skip

    def __init__(self, *args: Any, levels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level_field = self.fields["level"]
        assert isinstance(level_field, forms.ChoiceField)
        level_field.choices = [(level, Level(level).label) for level in levels]
        level_field.error_messages["required"] = _("Cần chọn cấp tổ chức.")
        level_field.error_messages["invalid_choice"] = _(
            "Cấp “%(value)s” không dùng được cho tổ chức trực thuộc này; hãy chọn trong danh sách."
        )
        self.setup_place()


class OrgEditForm(_NameFields, PlaceFieldsMixin):
    def __init__(self, *args: Any, org: Org, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": org.name,
                "short_name": org.short_name,
                "province_code": org.province_code,
                "ward_code": org.ward_code,
                "hamlet": org.hamlet,
            },
        )
        super().__init__(*args, **kwargs)
        self.setup_place()
