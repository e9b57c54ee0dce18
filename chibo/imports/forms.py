"""Forms of the import pages. They only shape input; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.imports.headers import FIELDS, IGNORE


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách"),
        help_text=_("Tệp Excel (.xlsx, .xls), OpenDocument (.ods) hoặc CSV (.csv)."),
        error_messages={
            "required": _("Hãy chọn tệp danh sách để tải lên."),
            "empty": _("Tệp rỗng, không có dữ liệu."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )


FIELD_CHOICES: list[tuple[str, Any]] = [(IGNORE, _("— Bỏ qua cột này —"))] + [
    (field.key, field.label) for field in FIELDS
]


class MappingForm(forms.Form):
    """A select per column of the sheet: which field it holds (or none)."""

    header_row = forms.IntegerField(
        label=_("Dòng tiêu đề"),
        min_value=1,
        max_value=100,
        help_text=_("Số thứ tự của dòng chứa tên cột, như bảng tính hiển thị."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        headers: Sequence[str],
        mapping: Sequence[str],
        header_row: int | None,
    ) -> None:
        super().__init__(data, initial={"header_row": header_row})
        self.headers = list(headers)
        for index, header in enumerate(self.headers):
            name = f"col_{index}"
            label = header or _("(cột %(number)s không có tên)") % {"number": index + 1}
            self.fields[name] = forms.ChoiceField(
                label=label, choices=FIELD_CHOICES, required=False
            )
            self.initial[name] = mapping[index] if index < len(mapping) else IGNORE

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{index}"] for index in range(len(self.headers))]

    def mapping(self) -> list[str]:
        return [
            self.cleaned_data.get(f"col_{index}") or IGNORE for index in range(len(self.headers))
        ]
