"""Agendas of meetings, from templates that follow Hướng dẫn 12-HD/BTCTW (06/7/2018) of the
Central Organisation Commission on raising the quality of cell meetings.

The guidance orders a regular cell meeting in three parts:
- Opening: the chair states the purpose and introduces the guests; a minute-taker is
  appointed; the number of members present and absent (with reasons) is reported; the
  members adopt the agenda.
- Content: the results of last month's tasks, the tasks of this month, discussion; a
  thematic meeting puts its topic here (prepared by the member in charge); the party fee
  is collected.
- Closing: the chair concludes; the members vote on the resolution; the minutes are read
  and adopted.
Hướng dẫn 42-HD/BTCTW (28/10/2025) keeps that order and adds that documents reach the
members at least one day ahead (chibo.meetings.documents).

Checked (docs/meetings.md, "Sources checked"): the wording of these three parts could not
be read in 12-HD/BTCTW itself; what was checked is its part II, point 3.3 (90 minutes, 120
when combined) and, in Hướng dẫn 42-HD/BTCTW, the preparation (the committee agrees last
month's results and this month's tasks; documents one day ahead). Communes' published
programmes of a monthly meeting follow the same order.

The built-in templates (`DEFAULT_ITEMS`) apply where no committee wrote its own; a
committee's template applies to its whole subtree, the nearest one up the tree winning.
A meeting's agenda is copied from the nearest template when it is created, so a later
change to a template never rewrites an agenda already sent out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from chibo.core.audit import audit_record
from chibo.core.models import AuditEntry, User
from chibo.core.vntext import nfc
from chibo.meetings.guards import check_meeting_org_active, check_org_active
from chibo.meetings.models import (
    AgendaItem,
    AgendaTemplate,
    AgendaTemplateItem,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from chibo.orgs.models import Org
from chibo.orgs.tree import ancestor_paths

ITEM_TITLE_MAX = 300
ITEMS_MAX = 30


@dataclass(frozen=True)
class ItemText:
    # Built-in items are lazy translations, shown in the reader's language until copied.
    title: StrOrPromise
    guidance: StrOrPromise = ""


_OPENING = (
    ItemText(
        gettext_lazy("Ổn định tổ chức; nêu mục đích, yêu cầu; giới thiệu đại biểu dự"),
        gettext_lazy("Chủ trì nêu mục đích, yêu cầu buổi sinh hoạt và giới thiệu khách mời."),
    ),
    ItemText(
        gettext_lazy("Cử thư ký ghi biên bản"),
        gettext_lazy("Chủ trì đề nghị một đồng chí làm thư ký."),
    ),
    ItemText(
        gettext_lazy("Báo cáo số đảng viên có mặt, vắng mặt (có lý do, không lý do)"),
        gettext_lazy("Theo kết quả điểm danh; nêu rõ lý do vắng của từng đồng chí."),
    ),
    ItemText(
        gettext_lazy("Thông qua chương trình buổi sinh hoạt"),
        "",
    ),
)
_CLOSING = (
    ItemText(
        gettext_lazy("Thu đảng phí"),
        gettext_lazy("Đảng viên nộp đảng phí tháng; thủ quỹ ghi sổ."),
    ),
    ItemText(
        gettext_lazy("Chủ trì kết luận; biểu quyết nghị quyết"),
        gettext_lazy("Kết luận những việc chi bộ thống nhất; biểu quyết thông qua."),
    ),
    ItemText(
        gettext_lazy("Thông qua biên bản, bế mạc"),
        "",
    ),
)
_REGULAR = (
    ItemText(
        gettext_lazy("Thông tin thời sự, phổ biến văn bản mới của cấp trên"),
        "",
    ),
    ItemText(
        gettext_lazy("Đánh giá kết quả thực hiện nhiệm vụ tháng trước"),
        gettext_lazy("Việc đã làm, chưa làm, nguyên nhân; kết quả nghị quyết tháng trước."),
    ),
    ItemText(
        gettext_lazy("Nhiệm vụ, giải pháp tháng này; phân công đảng viên"),
        gettext_lazy("Rõ người, rõ việc, rõ thời gian, rõ kết quả."),
    ),
    ItemText(
        gettext_lazy("Đảng viên thảo luận"),
        "",
    ),
)
_THEMATIC = (
    ItemText(
        gettext_lazy("Trình bày chuyên đề"),
        gettext_lazy("Đồng chí được phân công chuẩn bị trình bày nội dung chuyên đề."),
    ),
    ItemText(
        gettext_lazy("Đảng viên thảo luận, liên hệ bản thân, đơn vị"),
        "",
    ),
    ItemText(
        gettext_lazy("Kết luận chuyên đề; việc cần làm theo"),
        "",
    ),
)
_FLAG_SALUTE = (
    ItemText(gettext_lazy("Nghi thức chào cờ, hát Quốc ca"), ""),
    ItemText(
        gettext_lazy("Sinh hoạt chính trị dưới cờ"),
        gettext_lazy("Thông tin thời sự, kể chuyện về Bác, chủ trương mới của cấp trên."),
    ),
    ItemText(gettext_lazy("Triển khai công việc trọng tâm trong tháng"), ""),
)
_BRANCH = (
    ItemText(gettext_lazy("Ổn định tổ chức; nêu mục đích, yêu cầu; giới thiệu đại biểu dự"), ""),
    ItemText(gettext_lazy("Báo cáo số hội viên có mặt, vắng mặt"), ""),
    ItemText(gettext_lazy("Thông tin thời sự, văn bản mới của cấp trên"), ""),
    ItemText(gettext_lazy("Đánh giá kết quả tháng trước"), ""),
    ItemText(gettext_lazy("Nhiệm vụ tháng này; phân công hội viên"), ""),
    ItemText(gettext_lazy("Thảo luận"), ""),
    ItemText(gettext_lazy("Thu hội phí; kết luận"), ""),
)

DEFAULT_ITEMS: dict[str, tuple[ItemText, ...]] = {
    MeetingKind.REGULAR: _OPENING + _REGULAR + _CLOSING,
    MeetingKind.THEMATIC: _OPENING + _THEMATIC + _CLOSING,
    MeetingKind.COMBINED: _OPENING + _REGULAR + _THEMATIC + _CLOSING,
    MeetingKind.EXTRAORDINARY: (
        *_OPENING,
        ItemText(gettext_lazy("Nội dung cần giải quyết"), ""),
        ItemText(gettext_lazy("Đảng viên thảo luận"), ""),
        *_CLOSING[1:],
    ),
    MeetingKind.FLAG_SALUTE: _FLAG_SALUTE,
    MeetingKind.BRANCH: _BRANCH,
}


def agenda_template_for(*, org: Org, kind: str) -> AgendaTemplate | None:
    """The nearest committee's template for this kind up the tree, or a default row
    (org empty) an administrator wrote; None when the built-in items apply."""
    rows = list(
        AgendaTemplate.objects.filter(kind=kind)
        .filter(Q(org__path__in=ancestor_paths(org.path, include_self=True)) | Q(org__isnull=True))
        .select_related("org")
    )
    if not rows:
        return None
    return max(rows, key=lambda t: len(t.org.path) if t.org else 0)


def agenda_items_for(*, org: Org, kind: str) -> list[ItemText]:
    """The items a new meeting of this kind at this org gets."""
    template = agenda_template_for(org=org, kind=kind)
    if template is None:
        return [ItemText(str(i.title), str(i.guidance)) for i in DEFAULT_ITEMS[kind]]
    return [ItemText(i.title, i.guidance) for i in template.items.all()]


def agenda_copy_for(*, meeting: Meeting) -> list[AgendaItem]:
    """Copy the nearest template into a new meeting's agenda (called by meeting_create,
    inside its transaction)."""
    items = agenda_items_for(org=meeting.org, kind=meeting.kind)
    return AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=index, title=str(item.title), guidance=str(item.guidance))
        for index, item in enumerate(items, start=1)
    )


def _clean_items(items: Sequence[ItemText]) -> list[ItemText]:
    cleaned: list[ItemText] = []
    for number, item in enumerate(items, start=1):
        title = nfc(str(item.title or "")).strip()
        guidance = nfc(str(item.guidance or "")).strip()
        if not title and not guidance:
            continue
        if not title:
            raise ValidationError(
                {"items": _("Dòng %(row)s: cần nhập nội dung.") % {"row": number}}
            )
        if len(title) > ITEM_TITLE_MAX:
            raise ValidationError(
                {
                    "items": _("Dòng %(row)s: nội dung dài quá %(max)s ký tự.")
                    % {"row": number, "max": ITEM_TITLE_MAX}
                }
            )
        cleaned.append(ItemText(title, guidance))
    if not cleaned:
        raise ValidationError({"items": _("Chương trình cần ít nhất một nội dung.")})
    if len(cleaned) > ITEMS_MAX:
        raise ValidationError(
            {"items": _("Chương trình có tối đa %(max)s nội dung.") % {"max": ITEMS_MAX}}
        )
    return cleaned


@transaction.atomic
def agenda_template_save(
    *, org: Org, kind: str, name: str, items: Sequence[ItemText], actor: User | None = None
) -> AgendaTemplate:
    """A committee's own template for a kind of meeting, for its whole subtree. Meetings
    already planned keep the agenda they were given."""
    check_org_active(org)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Loại buổi sinh hoạt không hợp lệ.")})
    cleaned = _clean_items(items)
    label = nfc(name or "").strip() or str(MeetingKind(kind).label)
    if len(label) > 200:
        raise ValidationError({"name": _("Tên mẫu dài quá 200 ký tự.")})
    template = AgendaTemplate.objects.select_for_update().filter(org=org, kind=kind).first()
    before = (
        {"items": [i.title for i in template.items.all()], "name": template.name}
        if template
        else {}
    )
    if template is None:
        template = AgendaTemplate(org=org, kind=kind)
    template.name = label
    template.updated_by = actor
    template.updated_at = timezone.now()
    template.save()
    template.items.all().delete()
    AgendaTemplateItem.objects.bulk_create(
        AgendaTemplateItem(
            template=template, order=index, title=str(i.title), guidance=str(i.guidance)
        )
        for index, i in enumerate(cleaned, start=1)
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        subject=template,
        org_id=org.pk,
        summary=_("Mẫu chương trình “%(name)s”") % {"name": label},
        before=before,
        after={"items": [i.title for i in cleaned], "name": label},
    )
    return template


@transaction.atomic
def meeting_agenda_save(
    *, meeting: Meeting, items: Sequence[ItemText], actor: User | None = None
) -> list[AgendaItem]:
    """Adjust one planned meeting's agenda. Minutes keep their notes by item order, so
    the agenda is fixed once the meeting is held."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)
    )
    check_meeting_org_active(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(
            {"items": _("Buổi sinh hoạt đã họp hoặc đã hủy: không sửa chương trình được nữa.")}
        )
    cleaned = _clean_items(items)
    before = {"items": list(meeting.agenda_items.values_list("title", flat=True))}
    meeting.agenda_items.all().delete()
    rows = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=index, title=str(i.title), guidance=str(i.guidance))
        for index, i in enumerate(cleaned, start=1)
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=meeting,
        org_id=meeting.org_id,
        summary=_("Sửa chương trình buổi sinh hoạt"),
        before=before,
        after={"items": [i.title for i in cleaned]},
    )
    return rows


def agenda_templates_of(*, org: Org) -> dict[str, AgendaTemplate | None]:
    """For the committee's template page: per kind, the template that applies at the org
    (its own, one from above, or None for the built-in one)."""
    return {kind: agenda_template_for(org=org, kind=kind) for kind in MeetingKind.values}
