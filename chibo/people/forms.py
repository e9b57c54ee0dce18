"""Forms for people and memberships. They only shape input; the services decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import VnDateField
from chibo.core.roles import Role
from chibo.orgs.models import Family, Org
from chibo.orgs.restructuring import SplitPart
from chibo.people.models import (
    CLOSING_STATUSES,
    Gender,
    Membership,
    MembershipStatus,
    Person,
    Title,
)
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
    """The facts of a membership (dates, card number), never its status: a change of
    standing (exemption, suspension, removal, expulsion, death …) needs its date, reason
    and decision, which only chibo.people.statuses asks for and checks; being made
    official goes through the admission's own page."""

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "joined_on": membership.joined_on,
                "official_on": membership.official_on,
                "card_number": membership.card_number,
            },
        )
        super().__init__(*args, **kwargs)
        if membership.family == Family.PARTY:
            self.setup_membership_fields(membership.family, include_closing=False)
            del self.fields["status"]
            return
        # An association member's standing is only active, left or deceased: no committee
        # decision, just the day's record with its reason, kept on the membership.
        self.setup_membership_fields(membership.family, include_closing=True)
        self.fields["status"].initial = membership.status
        self.fields["reason"] = _text(
            _("Lý do thôi sinh hoạt"),
            max_length=300,
            help_text=_("Cần khi hội viên, đoàn viên thôi sinh hoạt hoặc từ trần."),
        )


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


# --- splitting an org ---------------------------------------------------------------------

SPLIT_ROWS_MAX = 20


class OrgSplitForm(forms.Form):
    """New orgs as rows (code and name), and for each current member the row they go to.

    Rows left blank are ignored, so a form started with two rows can split off just one.
    """

    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=SPLIT_ROWS_MAX)
    on = VnDateField(
        label=_("Ngày chia tách"),
        help_text=_("Ví dụ: 01/07/2025"),
        error_messages={"required": _("Cần nhập ngày chia tách.")},
    )
    close_source = forms.BooleanField(label="", required=False)
    confirm = forms.BooleanField(
        label=_(
            "Tôi xác nhận chia tách: người được chọn chuyển sang tổ chức mới cùng chức vụ của "
            "họ. Không hoàn tác được."
        ),
        error_messages={"required": _("Cần đánh dấu xác nhận trước khi thực hiện.")},
    )

    def __init__(
        self, *args: Any, source: Org, members: list[Membership], rows: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.members = members
        self.row_count = rows
        self.fields["close_source"].label = gettext(
            "Giải thể %(org)s sau khi chia tách (khi đó mọi người đều phải chuyển đi)"
        ) % {"org": source.name}
        for index in range(rows):
            self.fields[f"code-{index}"] = forms.CharField(
                label=gettext("Mã (dòng %(row)s)") % {"row": index + 1},
                max_length=40,
                required=False,
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "autocapitalize": "characters"}
                ),
            )
            self.fields[f"name-{index}"] = forms.CharField(
                label=gettext("Tên (dòng %(row)s)") % {"row": index + 1},
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
        stay = gettext("Ở lại %(org)s") % {"org": source.display_name}
        row_choices = [(str(index), self._row_label(index)) for index in range(rows)]
        for membership in members:
            field = forms.ChoiceField(
                label=membership.person.full_name, required=False, choices=[("", stay)]
            )
            field.choices = [("", stay), *row_choices]
            field.error_messages["invalid_choice"] = gettext(
                "Lựa chọn “%(value)s” không có trong danh sách các tổ chức mới."
            )
            self.fields[self.member_field(membership.person_id)] = field

    @staticmethod
    def member_field(person_id: int) -> str:
        return f"member-{person_id}"

    def _typed(self, name: str) -> str:
        raw = self.data.get(name) if self.is_bound else self.initial.get(name)
        return str(raw or "").strip()

    def _row_label(self, index: int) -> str:
        name, code = self._typed(f"name-{index}"), self._typed(f"code-{index}")
        if name:
            return gettext("Sang dòng %(row)s: %(name)s") % {"row": index + 1, "name": name}
        if code:
            return gettext("Sang dòng %(row)s: %(name)s") % {"row": index + 1, "name": code}
        return gettext("Sang tổ chức mới ở dòng %(row)s") % {"row": index + 1}

    def row_fields(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"code-{i}"], self[f"name-{i}"]) for i in range(self.row_count)]

    def member_rows(self) -> list[tuple[Membership, forms.BoundField]]:
        return [(m, self[self.member_field(m.person_id)]) for m in self.members]

    def _filled_rows(self) -> list[int]:
        data = self.cleaned_data
        return [
            i
            for i in range(self.row_count)
            if (data.get(f"code-{i}") or "").strip() or (data.get(f"name-{i}") or "").strip()
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        filled = set(self._filled_rows())
        for membership in self.members:
            name = self.member_field(membership.person_id)
            chosen = cleaned.get(name)
            if chosen and int(chosen) not in filled:
                self.add_error(
                    name,
                    gettext("Dòng %(row)s chưa có mã và tên tổ chức mới.")
                    % {"row": int(chosen) + 1},
                )
        return cleaned

    def parts_readable(self) -> bool:
        """Whether the rows and the members' choices came through, so that the new orgs
        can be checked even while another field (the date, the confirmation) is wrong."""
        names = [f"code-{i}" for i in range(self.row_count)]
        names += [f"name-{i}" for i in range(self.row_count)]
        names += [self.member_field(m.person_id) for m in self.members]
        return not any(name in self.errors for name in names)

    def parts(self) -> list[tuple[int, SplitPart]]:
        """(row index, part) for each filled row, in order."""
        chosen: dict[int, set[int]] = {}
        for membership in self.members:
            value = self.cleaned_data.get(self.member_field(membership.person_id))
            if value:
                chosen.setdefault(int(value), set()).add(membership.person_id)
        return [
            (
                index,
                SplitPart(
                    code=self.cleaned_data.get(f"code-{index}") or "",
                    name=self.cleaned_data.get(f"name-{index}") or "",
                    person_ids=frozenset(chosen.get(index, set())),
                ),
            )
            for index in self._filled_rows()
        ]


# --- positions ----------------------------------------------------------------------------


class PositionForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm người theo tên"),
        required=False,
        max_length=100,
        help_text=_("Gõ có dấu hay không dấu đều được, rồi bấm “Tìm”."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    person = forms.CharField(
        label=_("Người giữ chức"),
        error_messages={"required": _("Cần chọn người giữ chức.")},
        widget=forms.Select(),
    )
    title = forms.ChoiceField(label=_("Chức vụ"), choices=())
    started_on = VnDateField(
        label=_("Từ ngày"),
        help_text=_("Ngày bắt đầu giữ chức, ví dụ: 01/07/2025"),
        error_messages={"required": _("Cần nhập ngày bắt đầu giữ chức.")},
    )

    def __init__(
        self,
        *args: Any,
        org: Org,
        candidates: list[Membership],
        titles: list[str],
        lookup: Callable[[int], Person | None],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.lookup = lookup
        subtree = len({m.org_id for m in candidates}) > 1 or any(
            m.org_id != org.pk for m in candidates
        )
        options = [("", gettext("— Chọn người —"))] + [
            (str(m.person_id), _candidate_label(m, with_org=subtree)) for m in candidates
        ]
        widget = self.fields["person"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = options
        self.candidate_count = len(candidates)
        title_field = self.fields["title"]
        assert isinstance(title_field, forms.ChoiceField)
        title_field.choices = [(title, Title(title).label) for title in titles]
        title_field.error_messages["required"] = _("Cần chọn chức vụ.")
        title_field.error_messages["invalid_choice"] = _(
            "Chức vụ “%(value)s” không dùng cho tổ chức này; hãy chọn trong danh sách."
        )

    def clean_person(self) -> Person:
        raw = self.cleaned_data.get("person") or ""
        person = self.lookup(int(raw)) if raw.isdigit() else None
        if person is None:
            raise ValidationError(
                gettext("Người được chọn không sinh hoạt trong %(org)s; hãy chọn trong danh sách.")
                % {"org": self.org.name},
                code="invalid_choice",
            )
        widget = self.fields["person"].widget
        assert isinstance(widget, forms.Select)
        if raw not in {str(value) for value, _label in widget.choices}:
            # Chosen before a new search narrowed the list: keep it selected.
            widget.choices = [*widget.choices, (raw, person.full_name)]
        return person


def _candidate_label(membership: Membership, *, with_org: bool) -> str:
    person = membership.person
    label = person.full_name
    if person.birth_date:
        label += gettext(", sinh %(year)s") % {"year": person.birth_date.year}
    if with_org:
        label += f" — {membership.org.display_name}"
    return label


class PositionEndForm(forms.Form):
    ended_on = VnDateField(
        label=_("Thôi giữ chức từ ngày"),
        help_text=_("Ngày cuối cùng giữ chức, ví dụ: 30/06/2025"),
        error_messages={"required": _("Cần nhập ngày thôi giữ chức.")},
    )


# --- logins -------------------------------------------------------------------------------


class AccountCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=30,
        help_text=_("Chữ thường không dấu, chữ số, dấu chấm hoặc gạch ngang; ví dụ: nguyenvanan."),
        error_messages={"required": _("Cần nhập tên đăng nhập.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        strip=False,
        help_text=_("Ít nhất 8 ký tự; không dùng mật khẩu phổ biến hay giống tên người dùng."),
        error_messages={"required": _("Cần nhập mật khẩu ban đầu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        error_messages={"required": _("Cần nhập lại mật khẩu để kiểm tra.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", gettext("Hai lần nhập mật khẩu không khớp nhau."))
        return cleaned
