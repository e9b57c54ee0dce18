"""Documents of a meeting: uploaded by the cell's officers, published to its members.

Hướng dẫn 42-HD/BTCTW (28/10/2025) on preparing a regular cell meeting: "Tài liệu sinh
hoạt chi bộ được đăng tải trên ứng dụng Sổ tay đảng viên điện tử ít nhất 01 ngày trước khi
sinh hoạt để đảng viên nghiên cứu, chuẩn bị ý kiến thảo luận." A document published less
than 24 hours before the meeting starts is kept, and flagged as late.

Files are checked as every uploaded document is (chibo.core.uploads: extension AND content,
the size limit of the settings), kept under CHIBO_DATA_DIR/meetings (the project sets no
MEDIA_ROOT), read and written only through `document_storage()`, and served only through
the scoped download view: a file never has a public URL.
"""

from __future__ import annotations

import datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry, User
from chibo.core.roles import Role
from chibo.core.scoping import get_for, scope_for
from chibo.core.uploads import PrivateStorage, file_types, upload_errors
from chibo.core.vntext import fold, nfc
from chibo.meetings.guards import check_meeting_org_active
from chibo.meetings.models import Meeting, MeetingDocument, MeetingStatus

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

PUBLISH_AHEAD = datetime.timedelta(days=1)
# What a cell reads before its meeting: documents (PDF, Word, OpenDocument), tables (Excel)
# and photos or scans (JPG/PNG).
FILE_TYPES = file_types("pdf", "doc", "docx", "odt", "xls", "xlsx", "jpg", "jpeg", "png")
DOC_AUDIT_FIELDS = ("meeting", "title", "published_at", "withdrawn_at")


class MeetingDocumentStorage(PrivateStorage):
    """CHIBO_DATA_DIR/meetings, outside every URL."""

    def directory(self) -> Path:
        return Path(settings.DATA_DIR) / "meetings"


def document_storage() -> MeetingDocumentStorage:
    return MeetingDocumentStorage()


def is_published_late(document: MeetingDocument, meeting: Meeting) -> bool:
    """Published less than one day before the meeting (Hướng dẫn 42-HD/BTCTW)."""
    if document.published_at is None:
        return False
    return document.published_at > meeting.starts_at - PUBLISH_AHEAD


def _check_meeting(meeting: Meeting) -> None:
    check_meeting_org_active(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"__all__": _("Buổi sinh hoạt đã hủy: không thêm tài liệu được.")})


@transaction.atomic
def document_upload(
    *,
    meeting: Meeting,
    title: str,
    upload: UploadedFile | None,
    publish: bool = False,
    actor: User | None = None,
) -> MeetingDocument:
    """Attach a document to a meeting; published at once if asked, else kept for the
    officers until document_publish."""
    _check_meeting(meeting)
    text = nfc(title or "").strip()
    errors: dict[str, str] = {}
    if upload is None:
        errors["file"] = _("Cần chọn tệp tài liệu.")
    else:
        name = PurePath(upload.name or "").name
        # The content is read, not only the name: a file named .pdf must be a PDF.
        problems = upload_errors(name, int(upload.size or 0), upload, types=FILE_TYPES)
        if problems:
            errors["file"] = problems[0]
        if not text:
            text = nfc(PurePath(name).stem).strip()
    if not text:
        errors["title"] = _("Cần nhập tên tài liệu.")
    elif len(text) > 300:
        errors["title"] = _("Tên tài liệu dài quá 300 ký tự.")
    if errors:
        raise ValidationError(errors)
    assert upload is not None
    now = timezone.now()
    # An ASCII file name: what the download offers, and what every file system accepts.
    base = get_valid_filename(fold(PurePath(upload.name or "tai-lieu").name)) or "tai-lieu"
    stored = document_storage().save(f"{now:%Y/%m}/{meeting.pk}-{base}", upload)
    document = MeetingDocument(
        meeting=meeting,
        title=text,
        uploaded_by=actor,
        uploaded_at=now,
        published_at=now if publish else None,
    )
    document.file.name = stored
    # The file is on disk before the row: if the row fails, the transaction's rollback
    # leaves an orphan file, never a row without its file.
    document.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=document,
        org_id=meeting.org_id,
        summary=_("Thêm tài liệu “%(title)s”") % {"title": text},
        after={**snapshot(document, DOC_AUDIT_FIELDS), "file": stored},
    )
    return document


@transaction.atomic
def document_publish(*, document: MeetingDocument, actor: User | None = None) -> MeetingDocument:
    """Publish to the members now; late if within a day of the meeting."""
    document = (
        MeetingDocument.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__org")
        .get(pk=document.pk)
    )
    if document.withdrawn_at is not None:
        raise ValidationError({"__all__": _("Tài liệu đã rút, không công bố được.")})
    if document.published_at is not None:
        return document
    _check_meeting(document.meeting)
    before = snapshot(document, DOC_AUDIT_FIELDS)
    document.published_at = timezone.now()
    document.save(update_fields=["published_at"])
    late = is_published_late(document, document.meeting)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=document,
        org_id=document.meeting.org_id,
        summary=(
            _("Công bố tài liệu “%(title)s” (muộn: chưa đủ 1 ngày trước buổi họp)")
            if late
            else _("Công bố tài liệu “%(title)s”")
        )
        % {"title": document.title},
        before=before,
        after=snapshot(document, DOC_AUDIT_FIELDS),
    )
    return document


@transaction.atomic
def document_withdraw(*, document: MeetingDocument, actor: User | None = None) -> MeetingDocument:
    """Take a document back from the members; the row and the file stay."""
    document = (
        MeetingDocument.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__org")
        .get(pk=document.pk)
    )
    if document.withdrawn_at is not None:
        return document
    check_meeting_org_active(document.meeting)
    before = snapshot(document, DOC_AUDIT_FIELDS)
    document.withdrawn_at = timezone.now()
    document.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=document,
        org_id=document.meeting.org_id,
        summary=_("Rút tài liệu “%(title)s”") % {"title": document.title},
        before=before,
        after=snapshot(document, DOC_AUDIT_FIELDS),
    )
    return document


# What a plain member of the unit reads: published and not withdrawn.
PUBLISHED_Q = Q(published_at__isnull=False, withdrawn_at__isnull=True)


def documents_published(*, meeting: Meeting) -> QuerySet[MeetingDocument]:
    """The meeting's documents as its members see them, in the page's order."""
    return MeetingDocument.objects.filter(PUBLISHED_Q, meeting=meeting).order_by(
        "uploaded_at", "pk"
    )


def _reader_q(user: AnyUser) -> Q:
    """Readers of the unit's subtree see every document; plain members of the unit, the
    published ones that were not withdrawn."""
    scope = scope_for(user)
    readers = scope.subtree_q("meeting__org__path", Role.VIEWER)
    units = scope.member_units()
    if units and not scope.everything:
        readers |= Q(meeting__org__path__in=units) & PUBLISHED_Q
    return readers


def documents_for(*, user: AnyUser, meeting: Meeting) -> QuerySet[MeetingDocument]:
    return (
        MeetingDocument.objects.filter(_reader_q(user))
        .filter(meeting=meeting)
        .order_by("uploaded_at", "pk")
    )


def document_get_for(*, user: AnyUser, document_id: int) -> MeetingDocument:
    return get_for(
        MeetingDocument.objects.filter(_reader_q(user)).select_related("meeting", "meeting__org"),
        pk=document_id,
    )
