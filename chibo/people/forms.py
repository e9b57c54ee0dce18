"""Forms for people and memberships. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import VnDateField
from chibo.core.roles import Role
from chibo.orgs.models import Family, Org
from chibo.people.models import CLOSING_STATUSES, Gender, Membership, MembershipStatus, Person
from chibo.people.services import PersonData, allowed_statuses

PERSON_DATA_FIELDS = (
    "family_name", "middle_name", "given_name", "gender", "birth_date", "citizen_id", "phone",
    "email", "ethnicity", "religion", "hometown", "address", "occupation", "job_position",
)  # fmt: skip


def _text(label: Any, *, max_length: int, help_text: Any = "", **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def _long_text(label: Any, *, max_length: int) -> forms.CharField:
    # Addresses are long: two visible lines beat a box that hides half of them on a phone.
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PersonFieldsMixin(forms.Form):
    """The personal data of PersonData, labelled the way a party file (lý lịch) says it."""

    family_name = _text(_("Họ"), max_length=60, autocomplete="off")
    middle_name = _text(_("Tên đệm"), max_length=80, autocomplete="off")
    given_name = _text(_("Tên"), max_length=60, autocomplete="off")
    gender = forms.ChoiceField(
        label=_("Giới tính"),
        required=False,
        choices=[("", _("— Chọn —")), *Gender.choices],
    )
    birth_date = VnDateField(label=_("Ngày sinh"), required=False, help_text=_("Ví dụ: 25/03/1980"))
    citizen_id = _text(
        _("Số CCCD"),
        max_length=20,
        help_text=_("Căn cước công dân: 12 chữ số"),
        inputmode="numeric",
        autocomplete="off",
    )
    phone = _text(_("Số điện thoại"), max_length=20, inputmode="tel", autocomplete="off")
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Thư điện tử không đúng dạng (ví dụ: ten@gmail.com).")},
    )
    ethnicity = _text(_("Dân tộc"), max_length=40)
    religion = _text(_("Tôn giáo"), max_length=40)
    hometown = _long_text(_("Quê quán"), max_length=200)
    address = _long_text(_("Nơi ở hiện nay"), max_length=200)
    occupation = _text(_("Nghề nghiệp"), max_length=120)
    job_position = _text(_("Vị trí việc làm"), max_length=160)

    def person_data(self) -> PersonData:
        values = {name: self.cleaned_data.get(name) for name in PERSON_DATA_FIELDS}
        text = {k: (v or "") for k, v in values.items() if k != "birth_date"}
        return PersonData(
            full_name=self.cleaned_data.get("full_name") or "",
            birth_date=values["birth_date"],
            **text,
        )


class MembershipFieldsMixin(forms.Form):
    status = forms.ChoiceField(label=_("Tư cách"), choices=())
    joined_on = VnDateField(label=_("Ngày vào Đảng"), required=False)
    official_on = VnDateField(label=_("Ngày chính thức"), required=False)
    card_number = _text(_("Số thẻ đảng viên"), max_length=20, autocomplete="off")

    def setup_membership_fields(self, family: str, *, include_closing: bool) -> None:
        statuses = [
            s for s in allowed_statuses(family) if include_closing or s not in CLOSING_STATUSES
        ]
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [(s, MembershipStatus(s).label) for s in statuses]
        status_field.error_messages["invalid_choice"] = _(
            "Tư cách “%(value)s” không dùng được ở đơn vị này; hãy chọn trong danh sách."
        )
        status_field.error_messages["required"] = _("Cần chọn tư cách.")
        if family != Family.PARTY:
            self.fields["joined_on"].label = _("Ngày vào hội, đoàn")
            self.fields["card_number"].label = _("Số thẻ hội viên, đoàn viên")
            del self.fields["official_on"]


class MemberCreateForm(PersonFieldsMixin, MembershipFieldsMixin):
    """A new person put straight on a unit's roll."""

    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: Nguyễn Văn An. Họ, tên đệm và tên được tự tách."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    field_order = [
        "full_name", "family_name", "middle_name", "given_name", "gender", "birth_date",
        "citizen_id", "phone", "email", "ethnicity", "religion", "hometown", "address",
        "occupation", "job_position", "status", "joined_on", "official_on", "card_number",
    ]  # fmt: skip

    def __init__(self, *args: Any, org: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_membership_fields(org.family, include_closing=False)
        default = (
            MembershipStatus.OFFICIAL if org.family == Family.PARTY else MembershipStatus.ACTIVE
        )
        self.fields["status"].initial = default
        # Required in practice (see clean), but the separate name parts may stand in for it,
        # so only the mark is shown, not Django's own required check.
        self.fields["full_name"].show_required = True  # type: ignore[attr-defined]
        # Full name is the usual way; the parts are for names the automatic split gets wrong.
        self.fields["family_name"].help_text = _(
            "Chỉ điền họ, tên đệm, tên riêng từng ô khi cách tự tách chưa đúng."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("full_name") and not cleaned.get("given_name"):
            self.add_error("full_name", gettext("Cần nhập họ và tên của người được thêm."))
        return cleaned


class PersonEditForm(PersonFieldsMixin):
    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        initial = {name: getattr(person, name) for name in PERSON_DATA_FIELDS}
        initial["citizen_id"] = person.citizen_id or ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["given_name"].required = True
        self.fields["given_name"].error_messages["required"] = _("Cần nhập tên.")


class MembershipEditForm(MembershipFieldsMixin):
    reason = _text(
        _("Lý do thay đổi tư cách"),
        max_length=300,
        help_text=_("Chỉ cần khi đổi tư cách, ví dụ: chuyển chính thức, miễn sinh hoạt."),
    )
    decision_number = _text(_("Số quyết định"), max_length=40, autocomplete="off")

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": membership.status,
                "joined_on": membership.joined_on,
                "official_on": membership.official_on,
                "card_number": membership.card_number,
            },
        )
        super().__init__(*args, **kwargs)
        self.setup_membership_fields(membership.family, include_closing=True)


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo tên"),
        required=False,
        max_length=100,
        help_text=_("Gõ có dấu hay không dấu đều được, ví dụ: nguyen van an"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=_("Tư cách"), required=False, choices=())
    descendants = forms.BooleanField(label=_("Gồm cả các đơn vị trực thuộc"), required=False)

    def __init__(self, *args: Any, family: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [
            ("", _("Đang sinh hoạt (mặc định)")),
            *((s, MembershipStatus(s).label) for s in allowed_statuses(family)),
        ]
        self.fields["status"].error_messages["invalid_choice"] = _(
            "Tư cách “%(value)s” không có trong danh sách để lọc."
        )


class GrantForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập của người được cấp quyền"),
        max_length=150,
        error_messages={"required": _("Cần nhập tên đăng nhập của người được cấp quyền.")},
        widget=forms.TextInput(attrs={"list": "grant-candidates", "autocomplete": "off"}),
    )
    org = forms.ChoiceField(label=_("Tại tổ chức"), choices=())
    role = forms.TypedChoiceField(
        label=_("Quyền"),
        coerce=int,
        choices=[(role.value, role.label) for role in Role if role != Role.MEMBER],
        initial=Role.VIEWER,
    )

    def __init__(self, *args: Any, orgs: list[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        assert isinstance(org_field, forms.ChoiceField)
        org_field.choices = [
            (org.code, f"{'— ' * (org.depth - orgs[0].depth)}{org.name} ({org.code})")
            for org in orgs
        ]
        if orgs:
            self.fields["org"].initial = orgs[0].code


def apply_service_errors(
    form: forms.Form, error: ValidationError, *, aliases: dict[str, str] | None = None
) -> None:
    """Put the Vietnamese messages of a service's ValidationError on the fields they name."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, messages in error.message_dict.items():
        field = aliases.get(key, key)
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
