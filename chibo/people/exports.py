"""Member lists as spreadsheets: the page's list (same selector, same filters, same
Vietnamese order) under the headers the member import recognises, so that what is
exported imports back unchanged.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.exporters import (
    BaseExporter,
    CellValue,
    Column,
    ExportAudit,
    ExportError,
    Kind,
    date_text,
    register_cli_export,
    register_job_export,
)
from chibo.core.models import User
from chibo.core.vntext import nfc
from chibo.orgs.models import Family, Org
from chibo.people.models import Gender, MembershipStatus
from chibo.people.selectors import member_list
from chibo.people.services import allowed_statuses

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

# Rows fetched from the database at a time: memory stays flat on a province's list.
CHUNK_SIZE = 2000

# What the lists, the units and the dates are called in each organisation.
LIST_TITLES: dict[str, str | Promise] = {
    Family.PARTY: gettext_lazy("DANH SÁCH ĐẢNG VIÊN"),
    Family.WOMEN: gettext_lazy("DANH SÁCH HỘI VIÊN"),
    Family.FARMERS: gettext_lazy("DANH SÁCH HỘI VIÊN"),
    Family.VETERANS: gettext_lazy("DANH SÁCH HỘI VIÊN"),
    Family.YOUTH: gettext_lazy("DANH SÁCH ĐOÀN VIÊN"),
    Family.TRADE_UNION: gettext_lazy("DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN"),
    Family.FRONT: gettext_lazy("DANH SÁCH THÀNH VIÊN"),
}
UNIT_HEADERS: dict[str, str | Promise] = {
    Family.PARTY: gettext_lazy("Chi bộ"),
    Family.WOMEN: gettext_lazy("Chi hội"),
    Family.FARMERS: gettext_lazy("Chi hội"),
    Family.VETERANS: gettext_lazy("Chi hội"),
    Family.YOUTH: gettext_lazy("Chi đoàn"),
}
JOINED_HEADERS: dict[str, str | Promise] = {
    Family.PARTY: gettext_lazy("Ngày vào Đảng"),
    Family.WOMEN: gettext_lazy("Ngày vào Hội"),
    Family.FARMERS: gettext_lazy("Ngày vào Hội"),
    Family.VETERANS: gettext_lazy("Ngày vào Hội"),
    Family.YOUTH: gettext_lazy("Ngày vào Đoàn"),
}
CARD_HEADERS: dict[str, str | Promise] = {
    Family.PARTY: gettext_lazy("Số thẻ đảng viên"),
    Family.WOMEN: gettext_lazy("Số thẻ hội viên"),
    Family.FARMERS: gettext_lazy("Số thẻ hội viên"),
    Family.VETERANS: gettext_lazy("Số thẻ hội viên"),
    Family.YOUTH: gettext_lazy("Số thẻ đoàn viên"),
}
FILE_STEMS: dict[str, str] = {
    Family.PARTY: "danh-sach-dang-vien",
    Family.YOUTH: "danh-sach-doan-vien",
    Family.TRADE_UNION: "danh-sach-doan-vien-cong-doan",
    Family.FRONT: "danh-sach-thanh-vien",
}


# The row after its number, in the order of the columns; official_on only for the party.
ROW_FIELDS = [
    "person__full_name", "person__birth_date", "person__gender", "person__citizen_id",
    "person__ethnicity", "person__religion", "person__hometown", "person__address",
    "person__occupation", "person__job_position", "person__phone", "person__email",
    "org__code", "joined_on", "official_on", "card_number", "status", "note",
]  # fmt: skip
GENDER = 3
CITIZEN_ID = 4
STATUS = -2


@dataclass(frozen=True)
class MemberFilters:
    """The member list page's filters: name search, status, and the whole subtree."""

    query: str = ""
    status: str = ""
    descendants: bool = False


class MemberListExporter(BaseExporter):
    """The member list of an org as its page shows it to `user`, every page at once."""

    # The file is the registry's exchange format, read back by the import: its words
    # stay Vietnamese whatever language the page is shown in.
    language = "vi"
    sheet_name = gettext_lazy("Danh sách")

    def __init__(
        self,
        *,
        user: AnyUser,
        org: Org,
        filters: MemberFilters | None = None,
        on: datetime.date | None = None,
    ) -> None:
        self.user = user
        self.org = org
        self.filters = filters or MemberFilters()
        self.on = on or timezone.localdate()
        self.row_count = 0
        self._total: int | None = None

    def memberships(self) -> Any:
        return member_list(
            user=self.user,
            org=self.org,
            query=self.filters.query,
            status=self.filters.status,
            descendants=self.filters.descendants,
        )

    @property
    def is_party(self) -> bool:
        return self.org.family == Family.PARTY

    def columns(self) -> Sequence[Column]:
        family = self.org.family
        columns = [
            Column(_("STT"), 6, Kind.NUMBER),
            Column(_("Họ và tên"), 26),
            Column(_("Ngày sinh"), 12, Kind.DATE),
            Column(_("Giới tính"), 9),
            Column(_("Số CCCD"), 15, Kind.CODE),
            Column(_("Dân tộc"), 10),
            Column(_("Tôn giáo"), 12),
            Column(_("Quê quán"), 28),
            Column(_("Nơi ở hiện nay"), 30),
            Column(_("Nghề nghiệp"), 18),
            Column(_("Vị trí việc làm"), 20),
            Column(_("Số điện thoại"), 13, Kind.CODE),
            Column(_("Thư điện tử"), 24),
            Column(UNIT_HEADERS.get(family, _("Đơn vị")), 16, Kind.CODE),
            Column(JOINED_HEADERS.get(family, _("Ngày gia nhập")), 13, Kind.DATE),
        ]
        if self.is_party:
            columns.append(Column(_("Ngày chính thức"), 13, Kind.DATE))
        columns += [
            Column(CARD_HEADERS.get(family, _("Số thẻ")), 14, Kind.CODE),
            Column(_("Tư cách"), 14),
            Column(_("Ghi chú"), 24),
        ]
        return columns

    def rows(self) -> Iterator[Sequence[CellValue]]:
        # Labels looked up once, not per row: a lazy label costs a translation each time.
        genders = {value: str(label) for value, label in Gender.choices}
        statuses = {value: str(label) for value, label in MembershipStatus.choices}
        fields = ROW_FIELDS if self.is_party else [f for f in ROW_FIELDS if f != "official_on"]
        self.row_count = 0
        # Plain tuples from the page's own query: building three model instances per
        # member would cost most of the time of a province-sized export.
        values = self.memberships().values_list(*fields).iterator(chunk_size=CHUNK_SIZE)
        for number, record in enumerate(values, start=1):
            row: list[CellValue] = [number, *record]
            row[GENDER] = genders.get(str(row[GENDER]), "")
            row[CITIZEN_ID] = row[CITIZEN_ID] or ""
            row[STATUS] = statuses.get(str(row[STATUS]), "")
            self.row_count = number
            yield row

    def total(self) -> int:
        """People in the list, counted once for the title block and the audit entry."""
        if self._total is None:
            self._total = self.memberships().count()
        return self._total

    def title_lines(self) -> Sequence[str]:
        total = self.total()
        lines = [str(LIST_TITLES.get(self.org.family, _("DANH SÁCH THÀNH VIÊN"))), self.org.name]
        notes = [
            _("Tính đến ngày %(date)s: %(count)s người")
            % {"date": date_text(self.on), "count": f"{total:,}".replace(",", ".")},
            *self.filter_notes(),
        ]
        lines.append("; ".join(notes))
        return lines

    def filter_notes(self) -> list[str]:
        notes = []
        if self.filters.descendants:
            notes.append(_("gồm cả các đơn vị trực thuộc"))
        if self.filters.status:
            notes.append(
                _("tư cách: %(status)s") % {"status": MembershipStatus(self.filters.status).label}
            )
        if self.filters.query:
            notes.append(_("tên khớp với “%(query)s”") % {"query": self.filters.query})
        return notes

    def audit(self) -> ExportAudit:
        return ExportAudit(
            actor=self.user if isinstance(self.user, User) else None,
            org=self.org,
            what=str(LIST_TITLES.get(self.org.family, _("DANH SÁCH THÀNH VIÊN"))).lower(),
            records=self.total(),
            filters={
                "query": self.filters.query,
                "status": self.filters.status,
                "descendants": self.filters.descendants,
            },
            notes=self.filter_notes(),
        )

    @property
    def filename_stem(self) -> str:
        stem = FILE_STEMS.get(self.org.family, "danh-sach-hoi-vien")
        return f"{stem}-{self.org.code}-{self.on:%Y%m%d}"


def member_export_filters(
    *, org: Org, status: str = "", query: str = "", descendants: bool = False
) -> MemberFilters:
    """Filters given outside a form (the command line), checked like the page's form."""
    status = status.strip()
    if status and status not in allowed_statuses(org.family):
        known = ", ".join(
            f"{value} ({MembershipStatus(value).label})" for value in allowed_statuses(org.family)
        )
        raise ExportError(
            _("--status: tư cách “%(status)s” không dùng cho %(org)s; chọn một trong: %(known)s.")
            % {"status": status, "org": org.name, "known": known}
        )
    return MemberFilters(query=nfc(query)[:100], status=status, descendants=descendants)


def operator() -> User:
    """Whoever runs `chibo` on the server already reads the whole database: the command
    line exports as an unsaved superuser, through the same selectors as the pages."""
    return User(username="chibo-operator", is_superuser=True, is_active=True)


def _cli_arguments(parser: CommandParser) -> None:
    parser.add_argument("--org", required=True, help=_("Mã tổ chức, ví dụ DU-DT-CB01."))
    parser.add_argument(
        "--descendants",
        action="store_true",
        help=_("Gồm cả thành viên của các đơn vị trực thuộc."),
    )
    parser.add_argument(
        "--status",
        default="",
        help=_("Chỉ những người có tư cách này (official, probationary …)."),
    )
    parser.add_argument("--q", default="", help=_("Chỉ những người có tên khớp (không cần dấu)."))


def _cli_exporter(options: dict[str, Any]) -> MemberListExporter:
    code = str(options["org"]).strip()
    org = Org.objects.filter(code=code).first()
    if org is None:
        raise ExportError(_("--org: không có tổ chức mã “%(code)s”.") % {"code": code})
    filters = member_export_filters(
        org=org,
        status=options.get("status") or "",
        query=options.get("q") or "",
        descendants=bool(options.get("descendants")),
    )
    return MemberListExporter(user=operator(), org=org, filters=filters)


def _cli_summary(exporter: BaseExporter) -> str:
    assert isinstance(exporter, MemberListExporter)
    return _("%(count)s người của %(org)s") % {
        "count": exporter.row_count,
        "org": exporter.org.name,
    }


register_cli_export(
    "members",
    help=gettext_lazy("Danh sách thành viên của một tổ chức (như trang danh sách)."),
    add_arguments=_cli_arguments,
    build=_cli_exporter,
    summary=_cli_summary,
)


def _job_exporter(user: AnyUser, org: Org, params: dict[str, Any]) -> MemberListExporter:
    """The list as the page showed it, rebuilt by a background task with the scope of the
    user who asked (the task re-reads that scope; it never trusts the request's)."""
    filters = MemberFilters(
        query=str(params.get("query") or ""),
        status=str(params.get("status") or ""),
        descendants=bool(params.get("descendants")),
    )
    return MemberListExporter(user=user, org=org, filters=filters)


register_job_export("members", _job_exporter)
