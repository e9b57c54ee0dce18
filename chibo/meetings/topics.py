"""Thematic topics (đăng ký chuyên đề): a cell registers its topics for the year, the
committee above approves them or returns them with a comment, and only approved topics
become thematic meetings.

Hướng dẫn 12-HD/BTCTW (06/7/2018), on thematic meetings: at least once a quarter, on a
topic the cell chooses for its situation or one the upper level guides, registered with
and approved by the committee above (as the seed articles describe: "Hằng năm, các chi bộ
đăng ký nội dung sinh hoạt chuyên đề trình Đảng ủy phê duyệt"). Themes issued from above
(chuyên đề năm, chuyên đề toàn khóa: chibo.plans.Theme) can be picked as topics.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry, User
from chibo.core.roles import Role
from chibo.core.scoping import get_for, scope_for
from chibo.core.vntext import nfc
from chibo.meetings.guards import check_org_active
from chibo.meetings.models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    TopicRegistration,
    TopicStatus,
)
from chibo.meetings.schedule import (
    THEMATIC_KINDS,
    UNIT_LEVELS,
    MeetingData,
    clamped_day,
    local_datetime,
    meeting_create,
    meeting_move,
    meeting_set_topic,
)
from chibo.orgs.models import Org, OrgStatus
from chibo.people.models import Person
from chibo.plans.models import Theme

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

TOPIC_AUDIT_FIELDS = (
    "org",
    "year",
    "month",
    "title",
    "content",
    "theme",
    "preparer",
    "status",
    "review_comment",
)
EDITABLE = (TopicStatus.DRAFT, TopicStatus.RETURNED)


@dataclass(frozen=True)
class TopicData:
    year: int
    month: int
    title: str
    content: str = ""
    theme_id: int | None = None
    preparer_id: int | None = None


def themes_for(*, org: Org, year: int) -> QuerySet[Theme]:
    """Themes issued at or above the unit that cover the year: what it may pick."""
    return Theme.objects.reaching(org).filter(year__lte=year, end_year__gte=year)


def preparers_for(*, org: Org) -> QuerySet[Person]:
    """Who may prepare a topic: the unit's current members."""
    return Person.objects.filter(memberships__org=org, memberships__ended_on__isnull=True).order_by(
        "sort_key", "pk"
    )


def _clean(org: Org, data: TopicData) -> dict[str, object]:
    errors: dict[str, str] = {}
    if org.status != OrgStatus.ACTIVE:
        errors["org"] = _("Tổ chức “%(name)s” không còn hoạt động.") % {"name": org.name}
    elif org.level not in UNIT_LEVELS:
        errors["org"] = _("Chỉ chi bộ, chi hội, chi đoàn đăng ký chuyên đề sinh hoạt.")
    if not 2000 <= data.year <= 2100:
        errors["year"] = _("Năm %(year)s không hợp lệ.") % {"year": data.year}
    if not 1 <= data.month <= 12:
        errors["month"] = _("Tháng phải từ 1 đến 12.")
    title = nfc(data.title or "").strip()
    if not title:
        errors["title"] = _("Cần nhập tên chuyên đề.")
    elif len(title) > 300:
        errors["title"] = _("Tên chuyên đề dài quá 300 ký tự.")
    theme = None
    if data.theme_id is not None:
        theme = themes_for(org=org, year=data.year).filter(pk=data.theme_id).first()
        if theme is None:
            errors["theme"] = _(
                "Chuyên đề cấp trên đã chọn không áp dụng cho đơn vị trong năm %(year)s."
            ) % {"year": data.year}
    preparer = None
    if data.preparer_id is not None:
        preparer = preparers_for(org=org).filter(pk=data.preparer_id).first()
        if preparer is None:
            errors["preparer"] = _("Người chuẩn bị phải là thành viên đang sinh hoạt ở đơn vị.")
    if errors:
        raise ValidationError(errors)
    return {
        "year": data.year,
        "month": data.month,
        "title": title,
        "content": nfc(data.content or "").strip(),
        "theme": theme,
        "preparer": preparer,
    }


@transaction.atomic
def topic_register(*, org: Org, data: TopicData, actor: User | None = None) -> TopicRegistration:
    """A draft topic of the unit; it goes to the committee with topic_submit."""
    values = _clean(org, data)
    topic = TopicRegistration.objects.create(org=org, created_by=actor, **values)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=topic,
        org_id=org.pk,
        summary=_("Đăng ký chuyên đề “%(title)s” tháng %(month)s/%(year)s")
        % {"title": topic.title, "month": topic.month, "year": topic.year},
        after=snapshot(topic, TOPIC_AUDIT_FIELDS),
    )
    return topic


def _locked(topic: TopicRegistration) -> TopicRegistration:
    return TopicRegistration.objects.select_for_update().select_related("org").get(pk=topic.pk)


def _status_error(topic: TopicRegistration, wanted: str) -> ValidationError:
    return ValidationError(
        {
            "__all__": _("Chuyên đề “%(title)s” đang “%(status)s”: không thể %(wanted)s.")
            % {"title": topic.title, "status": topic.get_status_display(), "wanted": wanted}
        }
    )


@transaction.atomic
def topic_update(
    *, topic: TopicRegistration, data: TopicData, actor: User | None = None
) -> TopicRegistration:
    """Edit a draft, or a topic the committee returned (it goes back as a draft)."""
    topic = _locked(topic)
    if topic.status not in EDITABLE:
        raise _status_error(topic, _("sửa"))
    values = _clean(topic.org, data)
    before = snapshot(topic, TOPIC_AUDIT_FIELDS)
    for name, value in values.items():
        setattr(topic, name, value)
    topic.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=topic,
        org_id=topic.org_id,
        summary=_("Sửa chuyên đề “%(title)s”") % {"title": topic.title},
        before=before,
        after=snapshot(topic, TOPIC_AUDIT_FIELDS),
    )
    return topic


@transaction.atomic
def topic_submit(*, topic: TopicRegistration, actor: User | None = None) -> TopicRegistration:
    """Send a draft (or a returned topic, corrected) to the committee above."""
    topic = _locked(topic)
    check_org_active(topic.org)
    if topic.status not in EDITABLE:
        raise _status_error(topic, _("gửi duyệt"))
    before = snapshot(topic, TOPIC_AUDIT_FIELDS)
    topic.status = TopicStatus.SUBMITTED
    topic.submitted_at = timezone.now()
    topic.save(update_fields=["status", "submitted_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=topic,
        org_id=topic.org_id,
        summary=_("Gửi cấp trên duyệt chuyên đề “%(title)s”") % {"title": topic.title},
        before=before,
        after=snapshot(topic, TOPIC_AUDIT_FIELDS),
    )
    return topic


def topic_can_review(*, user: AnyUser, topic: TopicRegistration) -> bool:
    """The committee above the unit reviews: a committee role over the unit's parent, so
    a cell's own secretary never approves the cell's topics."""
    parent = topic.org.parent_path
    return bool(parent) and scope_for(user).can(parent, Role.COMMITTEE)


def _review(
    topic: TopicRegistration, status: str, comment: str, actor: User | None
) -> TopicRegistration:
    topic = _locked(topic)
    check_org_active(topic.org)
    if topic.status != TopicStatus.SUBMITTED:
        raise _status_error(topic, _("duyệt"))
    text = nfc(comment or "").strip()
    if status == TopicStatus.RETURNED and not text:
        raise ValidationError(
            {"comment": _("Khi trả lại, cần ghi ý kiến để chi bộ biết cần sửa gì.")}
        )
    before = snapshot(topic, TOPIC_AUDIT_FIELDS)
    topic.status = status
    topic.review_comment = text
    topic.reviewed_by = actor
    topic.reviewed_at = timezone.now()
    topic.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    summary = (
        _("Duyệt chuyên đề “%(title)s”")
        if status == TopicStatus.APPROVED
        else _("Trả lại chuyên đề “%(title)s”: %(comment)s")
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=topic,
        org_id=topic.org_id,
        summary=summary % {"title": topic.title, "comment": text},
        before=before,
        after=snapshot(topic, TOPIC_AUDIT_FIELDS),
    )
    return topic


@transaction.atomic
def topic_approve(
    *, topic: TopicRegistration, comment: str = "", actor: User | None = None
) -> TopicRegistration:
    return _review(topic, TopicStatus.APPROVED, comment, actor)


@transaction.atomic
def topic_return(
    *, topic: TopicRegistration, comment: str, actor: User | None = None
) -> TopicRegistration:
    return _review(topic, TopicStatus.RETURNED, comment, actor)


@transaction.atomic
def topic_schedule(
    *,
    topic: TopicRegistration,
    starts_at: datetime.datetime | None = None,
    location: str = "",
    actor: User | None = None,
) -> Meeting:
    """Put an approved topic on the calendar: on the planned thematic (or combined)
    meeting of its month that has no topic yet, moved to `starts_at` if given; otherwise
    as a new thematic meeting (on `starts_at`, or the 20th of the month at 19:30)."""
    topic = _locked(topic)
    if topic.status != TopicStatus.APPROVED:
        raise ValidationError(
            {
                "topic": _(
                    "Chuyên đề “%(title)s” chưa được cấp ủy cấp trên duyệt: chỉ chuyên đề đã "
                    "duyệt mới được xếp lịch."
                )
                % {"title": topic.title}
            }
        )
    if topic.meetings.exclude(status=MeetingStatus.CANCELLED).exists():
        raise ValidationError({"topic": _("Chuyên đề này đã có buổi sinh hoạt.")})
    period = datetime.date(topic.year, topic.month, 1)
    slot = (
        Meeting.objects.filter(
            org=topic.org,
            period=period,
            kind__in=THEMATIC_KINDS,
            status=MeetingStatus.PLANNED,
            topic__isnull=True,
        )
        .order_by("starts_at")
        .first()
    )
    if slot is not None:
        if starts_at is not None:
            slot = meeting_move(meeting=slot, starts_at=starts_at, location=location, actor=actor)
        return meeting_set_topic(meeting=slot, topic=topic, actor=actor)
    when = starts_at or local_datetime(
        clamped_day(topic.year, topic.month, 20), datetime.time(19, 30)
    )
    return meeting_create(
        org=topic.org,
        kind=MeetingKind.THEMATIC,
        data=MeetingData(starts_at=when, location=location, period=period),
        topic=topic,
        actor=actor,
    )


# --- reads ---------------------------------------------------------------------------


def topics_of_unit(*, user: AnyUser, org: Org, year: int) -> QuerySet[TopicRegistration]:
    return (
        TopicRegistration.objects.visible_to(user)
        .filter(org=org, year=year)
        .select_related("theme", "preparer")
        .order_by("month", "pk")
    )


def topics_for_review(
    *, user: AnyUser, org: Org, status: str = TopicStatus.SUBMITTED, limit: int = 300
) -> list[TopicRegistration]:
    """Topics of the committee's subtree waiting (or in `status`), oldest first; only
    those the user may review (a committee over the unit's parent)."""
    rows = (
        TopicRegistration.objects.visible_to(user, Role.COMMITTEE)
        .filter(org__path__startswith=org.path, status=status)
        .exclude(org=org)
        .select_related("org", "theme", "preparer")
        .order_by("submitted_at", "pk")[:limit]
    )
    return [topic for topic in rows if topic_can_review(user=user, topic=topic)]


def approved_topics(*, org: Org, year: int | None = None) -> QuerySet[TopicRegistration]:
    """Approved topics of the unit not yet on a meeting (what the meeting form offers)."""
    topics = TopicRegistration.objects.approved().filter(org=org)
    if year is not None:
        topics = topics.filter(year__in=[year - 1, year, year + 1])
    return topics.exclude(meetings__status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD])


def topic_get_for(*, user: AnyUser, topic_id: int) -> TopicRegistration:
    """A topic the user may read (readers of its unit's subtree), or 404. Plain members
    see the topics on their meetings, not the register."""
    return get_for(
        TopicRegistration.objects.visible_to(user).select_related(
            "org", "theme", "preparer", "reviewed_by"
        ),
        pk=topic_id,
    )
