"""Forms for restructuring the org tree. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import VnDateField
from chibo.orgs.models import Org


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
