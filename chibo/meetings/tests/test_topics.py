"""Topic registration and approval, agenda templates and meeting documents, on the small
`personas` tree: alice is the secretary of cell T-A under the commune T-C, whose committee
is dave; bob heads T-B; charlie is a plain member of T-A."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.core.tests.upload_samples import DOCX
from chibo.meetings.agenda import (
    DEFAULT_ITEMS,
    ItemText,
    agenda_items_for,
    agenda_template_save,
    meeting_agenda_save,
)
from chibo.meetings.documents import (
    document_get_for,
    document_publish,
    document_upload,
    document_withdraw,
    documents_for,
    is_published_late,
)
from chibo.meetings.models import Meeting, MeetingKind, TopicStatus
from chibo.meetings.schedule import (
    MeetingData,
    YearPlan,
    local_datetime,
    meeting_create,
    meeting_set_topic,
    meetings_generate_year,
)
from chibo.meetings.topics import (
    TopicData,
    topic_approve,
    topic_can_review,
    topic_register,
    topic_return,
    topic_schedule,
    topic_submit,
    topic_update,
    topics_for_review,
)
from chibo.plans.models import Theme, ThemeKind

D = datetime.date


def at(day: datetime.date, hour: int = 19) -> datetime.datetime:
    return local_datetime(day, datetime.time(hour, 30))


def test_a_topic_goes_from_draft_to_approved_and_only_then_to_the_calendar(personas: Any) -> None:
    alice, dave = personas.user("alice"), personas.user("dave")
    theme = Theme.objects.create(
        org=personas.province,
        kind=ThemeKind.TERM,
        title="Học tập và làm theo tư tưởng Hồ Chí Minh về ý chí tự lực, tự cường",
        year=2026,
        end_year=2030,
    )
    meetings_generate_year(org=personas.cell_a, plan=YearPlan(year=2026), actor=alice)
    topic = topic_register(
        org=personas.cell_a,
        data=TopicData(
            year=2026,
            month=6,
            title="Nâng cao trách nhiệm nêu gương của đảng viên",
            theme_id=theme.pk,
            preparer_id=personas.charlie.pk,
        ),
        actor=alice,
    )
    assert topic.status == TopicStatus.DRAFT and topic.theme == theme
    with pytest.raises(ValidationError) as error:
        topic_schedule(topic=topic, actor=alice)
    assert "chưa được cấp ủy cấp trên duyệt" in str(error.value)
    june = Meeting.objects.get(org=personas.cell_a, period=D(2026, 6, 1), kind="thematic")
    with pytest.raises(ValidationError):
        meeting_set_topic(meeting=june, topic=topic)

    topic_submit(topic=topic, actor=alice)
    # The cell's secretary cannot review her own cell's topic; the commune's committee can.
    assert not topic_can_review(user=alice, topic=topic)
    assert topic_can_review(user=dave, topic=topic)
    assert topics_for_review(user=dave, org=personas.commune) == [topic]
    assert topics_for_review(user=alice, org=personas.cell_a) == []
    with pytest.raises(ValidationError) as error:
        topic_return(topic=topic, comment=" ", actor=dave)
    assert "cần ghi ý kiến" in str(error.value)
    topic_return(topic=topic, comment="Gắn với việc làm cụ thể của chi bộ", actor=dave)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.RETURNED
    topic_update(
        topic=topic,
        data=TopicData(year=2026, month=6, title="Nêu gương trong xây dựng nông thôn mới"),
        actor=alice,
    )
    topic_submit(topic=topic, actor=alice)
    topic_approve(topic=topic, comment="Đồng ý", actor=dave)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.APPROVED and topic.reviewed_by == dave
    with pytest.raises(ValidationError):
        topic_update(topic=topic, data=TopicData(year=2026, month=7, title="Khác"))

    # Scheduling fills June's planned thematic meeting, moved to the day chosen.
    meeting = topic_schedule(topic=topic, starts_at=at(D(2026, 6, 18)), actor=alice)
    assert meeting.pk == june.pk
    assert meeting.topic == topic and meeting.title == topic.title
    assert timezone.localtime(meeting.starts_at).date() == D(2026, 6, 18)
    with pytest.raises(ValidationError) as error:
        topic_schedule(topic=topic, actor=alice)
    assert "đã có buổi sinh hoạt" in str(error.value)
    actions = AuditEntry.objects.filter(subject_type="meetings.topicregistration").count()
    assert actions == 6


def test_an_approved_topic_without_a_slot_makes_a_thematic_meeting(personas: Any) -> None:
    topic = topic_register(
        org=personas.cell_b, data=TopicData(year=2026, month=8, title="Chuyển đổi số ở thôn")
    )
    topic_submit(topic=topic)
    topic_approve(topic=topic)
    meeting = topic_schedule(topic=topic)
    assert meeting.kind == MeetingKind.THEMATIC
    assert meeting.period == D(2026, 8, 1)
    assert timezone.localtime(meeting.starts_at) == at(D(2026, 8, 20))


def test_bad_topics_are_refused_with_the_field_named(personas: Any) -> None:
    elsewhere = Theme.objects.create(
        org=personas.women, kind=ThemeKind.ANNUAL, title="Chuyên đề của hội", year=2026,
        end_year=2026,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        topic_register(
            org=personas.cell_a,
            data=TopicData(
                year=2026, month=13, title="", theme_id=elsewhere.pk, preparer_id=personas.bob.pk
            ),
        )
    fields = error.value.message_dict
    assert set(fields) == {"month", "title", "theme", "preparer"}
    assert "Tháng phải từ 1 đến 12" in fields["month"][0]
    with pytest.raises(ValidationError) as error:
        topic_register(org=personas.commune, data=TopicData(year=2026, month=3, title="X"))
    assert "Chỉ chi bộ" in str(error.value)


def test_a_committees_template_applies_to_its_subtree_and_is_copied_not_linked(
    personas: Any,
) -> None:
    default = agenda_items_for(org=personas.cell_a, kind=MeetingKind.REGULAR)
    assert [str(i.title) for i in default] == [str(i.title) for i in DEFAULT_ITEMS["regular"]]
    assert "Báo cáo số đảng viên có mặt" in str(default[2].title)
    agenda_template_save(
        org=personas.commune,
        kind=MeetingKind.REGULAR,
        name="Chương trình sinh hoạt chi bộ xã Thử",
        items=[
            ItemText("Chào cờ"),
            ItemText("Báo cáo số đảng viên có mặt, vắng mặt", "Theo điểm danh"),
            ItemText(""),
            ItemText("Thu đảng phí"),
        ],
        actor=personas.user("dave"),
    )
    items = agenda_items_for(org=personas.cell_a, kind=MeetingKind.REGULAR)
    assert [i.title for i in items] == [
        "Chào cờ",
        "Báo cáo số đảng viên có mặt, vắng mặt",
        "Thu đảng phí",
    ]
    # Another commune's cells keep the built-in agenda.
    assert agenda_items_for(org=personas.women_a, kind=MeetingKind.BRANCH)[0].title
    meeting = meeting_create(
        org=personas.cell_a,
        kind=MeetingKind.REGULAR,
        data=MeetingData(starts_at=at(D(2026, 3, 5))),
    )
    assert meeting.agenda_items.values_list("title", flat=True).first() == "Chào cờ"
    agenda_template_save(
        org=personas.commune, kind=MeetingKind.REGULAR, name="", items=[ItemText("Mới")]
    )
    assert meeting.agenda_items.count() == 3
    meeting_agenda_save(meeting=meeting, items=[ItemText("Một"), ItemText("Hai", "ghi chú")])
    assert list(meeting.agenda_items.values_list("order", "title")) == [(1, "Một"), (2, "Hai")]
    with pytest.raises(ValidationError) as error:
        meeting_agenda_save(meeting=meeting, items=[ItemText("", "chỉ có hướng dẫn")])
    assert "Dòng 1: cần nhập nội dung" in str(error.value)
    assert meeting.agenda_items.count() == 2


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_documents_reach_members_once_published_and_late_ones_are_flagged(
    personas: Any, data_dir: Path
) -> None:
    alice = personas.user("alice")
    soon = timezone.now() + datetime.timedelta(hours=20)
    later = timezone.now() + datetime.timedelta(days=3)
    tomorrow = meeting_create(
        org=personas.cell_a, kind=MeetingKind.REGULAR, data=MeetingData(starts_at=soon)
    )
    next_week = meeting_create(
        org=personas.cell_a, kind=MeetingKind.REGULAR, data=MeetingData(starts_at=later)
    )
    pdf = SimpleUploadedFile("Nghị quyết tháng.pdf", b"%PDF-1.4 noi dung")
    draft = document_upload(meeting=next_week, title="", upload=pdf, actor=alice)
    assert draft.title == "Nghị quyết tháng" and draft.published_at is None
    assert (data_dir / "meetings" / draft.file.name).read_bytes() == b"%PDF-1.4 noi dung"
    charlie = personas.user("charlie")
    assert list(documents_for(user=charlie, meeting=next_week)) == []
    assert list(documents_for(user=alice, meeting=next_week)) == [draft]
    document_publish(document=draft, actor=alice)
    draft.refresh_from_db()
    assert not is_published_late(draft, next_week)
    assert document_get_for(user=charlie, document_id=draft.pk) == draft
    # bob's cell sees nothing of alice's cell.
    with pytest.raises(Http404):
        document_get_for(user=personas.user("bob"), document_id=draft.pk)

    late = document_upload(
        meeting=tomorrow,
        title="Dự thảo",
        upload=SimpleUploadedFile("du-thao.docx", DOCX),
        publish=True,
        actor=alice,
    )
    assert is_published_late(late, tomorrow)
    assert AuditEntry.objects.filter(subject_id=late.pk, summary__contains="Thêm tài liệu").exists()
    document_withdraw(document=late, actor=alice)
    assert list(documents_for(user=charlie, meeting=tomorrow)) == []

    with pytest.raises(ValidationError) as error:
        document_upload(
            meeting=tomorrow,
            title="Virus",
            upload=SimpleUploadedFile("a.exe", b"MZ"),
        )
    assert "chỉ nhận tệp" in str(error.value.message_dict["file"])
    with pytest.raises(ValidationError) as error:
        document_upload(meeting=tomorrow, title="", upload=None)
    assert set(error.value.message_dict) == {"file", "title"}
