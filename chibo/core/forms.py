"""Forms shared by every app: the login form and Vietnamese-aware field types."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Secretaries type dates the way they write them on paper: day first.
DATE_INPUT_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu chưa đúng. Hãy kiểm tra lại (mật khẩu phân biệt chữ hoa, "
            "chữ thường)."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ cán bộ quản trị."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["username"].error_messages["required"] = _("Cần nhập tên đăng nhập.")
        self.fields["password"].label = _("Mật khẩu")
        self.fields["password"].error_messages["required"] = _("Cần nhập mật khẩu.")


class VnDateField(forms.DateField):
    """A date typed as dd/mm/yyyy; the error repeats what was typed and shows an example."""

    input_formats = DATE_INPUT_FORMATS
    widget = forms.TextInput(
        attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("localize", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                gettext("%(label)s “%(value)s” không đúng dạng ngày/tháng/năm (ví dụ: 25/03/1980).")
                % {"label": self.label, "value": str(value).strip()},
                code="invalid",
            ) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return value


def required_message(label: str) -> str:
    return gettext("Cần nhập %(label)s.") % {"label": label.lower()}
