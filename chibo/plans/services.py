"""Writes of themes, documents, unit plans, study sessions, quizzes and commitments.

Each is atomic, checks everything before writing anything, raises
ValidationError({field: Vietnamese message}) and leaves an audit entry. The caller (view,
API, command) has checked the user's role on the org with `require_role`; the services
check what the data must satisfy, such as a theme reaching the unit that plans for it or
attendees being on the unit's roll.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.vntext import nfc
from chibo.orgs.models import Level, Org
from chibo.orgs.tree import ancestor_paths
from chibo.people.models import Membership, MembershipStatus, Person
from chibo.plans.files import upload_errors
from chibo.plans.models import (
    Commitment,
    CommitmentItem,
    CommitmentStatus,
    Document,
    DocumentKind,
    DocumentRead,
    ItemKind,
    ItemResult,
    PlanItem,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
    ReportPeriod,
    StudyAttendance,
    StudySession,
    Theme,
    ThemeKind,
    UnitPlan,
)

if TYPE_CHECKING:
    from chibo.core.models import User

THEME_FIELDS = ("org", "kind", "title", "year", "end_year", "summary", "issued_on",
                "document_number")  # fmt: skip
DOCUMENT_FIELDS = ("org", "theme", "kind", "number", "title", "issued_on", "link")
COMMITMENT_FIELDS = ("org", "family", "year", "status", "job_position", "pledge",
                     "review_comment", "mid_comment", "end_comment")  # fmt: skip
# Members who take part in a unit's life and so study, commit and report; a member
# exempt from activities (miễn sinh hoạt) or suspended is not asked to.
TAKING_PART = (MembershipStatus.OFFICIAL, MembershipStatus.PROBATIONARY, MembershipStatus.ACTIVE)
FIRST_YEAR = 2016  # Chỉ thị 05-CT/TW, 15/5/2016: the yearly commitments start with it.
# A congress term lasts five years (Điều lệ Đảng, Điều 13): a term-wide theme spans it.
TERM_YEARS = 5
MAX_ITEMS = 20
MAX_PLAN_ITEMS = 30
MAX_CHOICES = 6
# The mid-year report is made at the six-month review (sơ kết), from June; the year-end
# one at the year-end review, from November, when cells start their evaluations.
MID_REPORT_FROM = (6, 1)
END_REPORT_FROM = (11, 1)


def _text(value: str) -> str:
    return nfc(value or "")


def _reaches(row_org: Org, unit: Org) -> bool:
    return row_org.path in ancestor_paths(unit.path, include_self=True)


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_year(year: int, today: datetime.date, field: str = "year") -> dict[str, str]:
    if not FIRST_YEAR <= year <= today.year + 1:
        return {
            field: _("Năm %(year)s không hợp lệ: chỉ nhận từ %(first)s đến %(last)s.")
            % {"year": year, "first": FIRST_YEAR, "last": today.year + 1}
        }
    return {}


# --- themes and documents -------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentData:
    kind: str
    title: str
    number: str = ""
    issued_on: datetime.date | None = None
    body: str = ""
    link: str = ""
    # An uploaded file (its `name` is the one on the issuer's computer), checked by
    # extension and content signature before anything is written.
    file: File[bytes] | None = None


def file_display_name(name: str) -> str:
    """The issuer's file name without any folder, NFC, at most 255 characters with its
    extension kept."""
    base = _text(name.replace("\\", "/").rsplit("/", 1)[-1]).strip() or "tai-lieu"
    if len(base) > 255:
        stem, dot, extension = base.rpartition(".")
        base = f"{stem[: 254 - len(extension)]}{dot}{extension}" if dot else base[:255]
    return base


def _document_errors(data: DocumentData, today: datetime.date, prefix: str = "") -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind not in DocumentKind.values:
        errors[f"{prefix}kind"] = _("Loại văn bản “%(kind)s” không có trong danh mục.") % {
            "kind": data.kind
        }
    title = _text(data.title)
    if not title:
        errors[f"{prefix}title"] = _("Cần nhập trích yếu hoặc tên tài liệu.")
    elif len(title) > 300:
        errors[f"{prefix}title"] = _("Tên tài liệu dài quá 300 ký tự.")
    if len(_text(data.number)) > 40:
        errors[f"{prefix}number"] = _("Số, ký hiệu dài quá 40 ký tự.")
    if data.issued_on is not None and data.issued_on > today:
        errors[f"{prefix}issued_on"] = _("Ngày ban hành %(day)s ở tương lai.") % {
            "day": data.issued_on.strftime("%d/%m/%Y")
        }
    if data.file is not None:
        name = file_display_name(data.file.name or "")
        problems = upload_errors(name, int(data.file.size or 0), data.file)
        if problems:
            errors[f"{prefix}file"] = problems[0]
    elif not _text(data.body) and not data.link.strip():
        errors[f"{prefix}body"] = _(
            "Cần nhập nội dung tài liệu, đính kèm tệp hoặc ghi đường dẫn đến toàn văn để "
            "đảng viên đọc được."
        )
    if data.link.strip() and not data.link.strip().lower().startswith(("https://", "http://")):
        errors[f"{prefix}link"] = _("Đường dẫn phải bắt đầu bằng https:// hoặc http://.")
    return errors


def _document_create(
    *, org: Org, theme: Theme | None, data: DocumentData, actor: User | None, today: datetime.date
) -> Document:
    document = Document.objects.create(
        org=org,
        theme=theme,
        kind=data.kind,
        number=_text(data.number),
        title=_text(data.title),
        issued_on=data.issued_on or today,
        body=(data.body or "").strip(),
        link=data.link.strip(),
        created_by=actor,
    )
    if data.file is not None:
        _attach(document, data.file)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=document,
        org_id=org.pk,
        summary=_("Ban hành tài liệu “%(title)s”") % {"title": document.title},
        after=snapshot(document, DOCUMENT_FIELDS)
        | ({"file": document.file_name, "size": document.file_size} if document.file else {}),
    )
    return document


def _attach(document: Document, upload: File[bytes]) -> None:
    """Write the file, then its row. If the row cannot be written the file is removed, so
    a failed upload leaves nothing half-written on disk either. (The file is the last
    write of the services that call this, so a later failure cannot orphan it.)"""
    document.file_name = file_display_name(upload.name or "")
    document.file_size = int(upload.size or 0)
    upload.seek(0)
    document.file.save(document.file_name, upload, save=False)
    try:
        document.save(update_fields=["file", "file_name", "file_size"])
    except Exception:
        document.file.storage.delete(document.file.name)
        raise


@dataclass(frozen=True)
class ThemeData:
    kind: str
    title: str
    year: int
    end_year: int | None = None
    summary: str = ""
    issued_on: datetime.date | None = None
    document_number: str = ""


@transaction.atomic
def theme_issue(
    *,
    org: Org,
    data: ThemeData,
    document: DocumentData | None = None,
    actor: User | None = None,
    today: datetime.date | None = None,
) -> Theme:
    """Issue a theme for the org's subtree, with its first document if one is given.

    Themes are issued by committees (Chỉ thị 05-CT/TW: "cấp ủy các cấp … xây dựng chuyên
    đề"): a cell or branch receives them, it does not issue them.
    """
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not org.is_active:
        errors["org"] = _("Tổ chức này đã kết thúc hoạt động.")
    elif org.level in (Level.BRANCH, Level.GROUP):
        errors["org"] = _(
            "Chuyên đề do cấp ủy cấp cơ sở trở lên ban hành; chi bộ, chi hội nhận chuyên đề "
            "của cấp trên."
        )
    if data.kind not in ThemeKind.values:
        errors["kind"] = _("Cần chọn loại chuyên đề (năm hoặc toàn khóa).")
    title = _text(data.title)
    if not title:
        errors["title"] = _("Cần nhập tên chuyên đề.")
    elif len(title) > 300:
        errors["title"] = _("Tên chuyên đề dài quá 300 ký tự.")
    errors |= _check_year(data.year, today)
    end_year = data.year if data.kind == ThemeKind.ANNUAL else (data.end_year or data.year)
    if data.kind == ThemeKind.TERM and "year" not in errors:
        if data.end_year is None:
            errors["end_year"] = _("Chuyên đề toàn khóa cần năm kết thúc của nhiệm kỳ.")
        elif not data.year < data.end_year <= data.year + TERM_YEARS:
            errors["end_year"] = _(
                "Năm kết thúc %(end)s phải sau năm bắt đầu %(start)s và không quá một nhiệm kỳ "
                "(%(years)s năm)."
            ) % {"end": data.end_year, "start": data.year, "years": TERM_YEARS}
    if data.issued_on is not None and data.issued_on > today:
        errors["issued_on"] = _("Ngày ban hành %(day)s ở tương lai.") % {
            "day": data.issued_on.strftime("%d/%m/%Y")
        }
    if len(_text(data.document_number)) > 40:
        errors["document_number"] = _("Số văn bản dài quá 40 ký tự.")
    if document is not None:
        errors |= _document_errors(document, today, prefix="document_")
    _raise(errors)
    theme = Theme.objects.create(
        org=org,
        kind=data.kind,
        title=title,
        year=data.year,
        end_year=end_year,
        summary=(data.summary or "").strip(),
        issued_on=data.issued_on or today,
        document_number=_text(data.document_number),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=theme,
        org_id=org.pk,
        summary=_("Ban hành chuyên đề “%(title)s”") % {"title": theme.title},
        after=snapshot(theme, THEME_FIELDS),
    )
    if document is not None:
        _document_create(org=org, theme=theme, data=document, actor=actor, today=today)
    return theme


@transaction.atomic
def document_add(
    *,
    org: Org,
    data: DocumentData,
    theme: Theme | None = None,
    actor: User | None = None,
    today: datetime.date | None = None,
) -> Document:
    """Put a document in the library of the org's subtree (perhaps as a theme's material)."""
    today = today or timezone.localdate()
    errors = _document_errors(data, today)
    if not org.is_active:
        errors["org"] = _("Tổ chức này đã kết thúc hoạt động.")
    if theme is not None and not _reaches(theme.org, org):
        errors["theme"] = _("Chuyên đề này không thuộc đơn vị hoặc cấp trên của đơn vị.")
    _raise(errors)
    return _document_create(org=org, theme=theme, data=data, actor=actor, today=today)


def _current_membership(person: Person, org: Org) -> Membership | None:
    return (
        Membership.objects.current()
        .filter(person=person, org=org, status__in=TAKING_PART)
        .select_related("org")
        .first()
    )


@transaction.atomic
def document_mark_read(
    *, document: Document, person: Person, org: Org, actor: User | None = None
) -> DocumentRead:
    """The member confirms they read the document; confirming again changes nothing."""
    errors: dict[str, str] = {}
    if _current_membership(person, org) is None:
        errors["person"] = _("Chỉ thành viên đang sinh hoạt tại %(org)s xác nhận đọc ở đây.") % {
            "org": org.name
        }
    elif not _reaches(document.org, org):
        errors["document"] = _("Tài liệu này không gửi đến đơn vị của đồng chí.")
    _raise(errors)
    existing = DocumentRead.objects.select_for_update().filter(document=document, person=person)
    found = existing.first()
    if found is not None:
        return found
    read = DocumentRead.objects.create(document=document, person=person, org=org)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=read,
        org_id=org.pk,
        person_id=person.pk,
        summary=_("%(name)s đã đọc “%(title)s”")
        % {"name": person.full_name, "title": document.title},
    )
    return read


# --- unit plans and study sessions ---------------------------------------------------------


@dataclass(frozen=True)
class PlanItemData:
    what: str
    due_on: datetime.date | None
    who: str


@transaction.atomic
def unit_plan_save(
    *,
    org: Org,
    theme: Theme,
    year: int,
    summary: str,
    items: Sequence[PlanItemData],
    actor: User | None = None,
) -> UnitPlan:
    """Record (or rewrite) the unit's plan for the theme in `year`: what, when, who."""
    errors: dict[str, str] = {}
    if not org.is_active:
        errors["org"] = _("Tổ chức này đã kết thúc hoạt động.")
    if not _reaches(theme.org, org):
        errors["theme"] = _("Chuyên đề này không thuộc đơn vị hoặc cấp trên của đơn vị.")
    elif not theme.covers(year):
        errors["year"] = _("Chuyên đề “%(title)s” không áp dụng cho năm %(year)s.") % {
            "title": theme.title,
            "year": year,
        }
    rows = [item for item in items if _text(item.what) or _text(item.who) or item.due_on]
    if not rows:
        errors["items"] = _("Kế hoạch cần ít nhất một nội dung công việc.")
    elif len(rows) > MAX_PLAN_ITEMS:
        errors["items"] = _("Kế hoạch có tối đa %(max)s nội dung.") % {"max": MAX_PLAN_ITEMS}
    problems: list[str] = []
    for index, item in enumerate(rows, start=1):
        what, who = _text(item.what), _text(item.who)
        if not what:
            problems.append(_("dòng %(n)s chưa có nội dung công việc") % {"n": index})
        elif len(what) > 300:
            problems.append(_("dòng %(n)s: nội dung dài quá 300 ký tự") % {"n": index})
        if item.due_on is None:
            problems.append(_("dòng %(n)s chưa có thời gian hoàn thành") % {"n": index})
        elif item.due_on.year != year:
            problems.append(
                _("dòng %(n)s: thời gian %(day)s không thuộc năm %(year)s")
                % {"n": index, "day": item.due_on.strftime("%d/%m/%Y"), "year": year}
            )
        if not who:
            problems.append(_("dòng %(n)s chưa ghi người thực hiện") % {"n": index})
        elif len(who) > 200:
            problems.append(_("dòng %(n)s: người thực hiện dài quá 200 ký tự") % {"n": index})
    if problems and "items" not in errors:
        errors["items"] = _("Kế hoạch: %(problems)s.") % {"problems": "; ".join(problems)}
    _raise(errors)
    plan, created = UnitPlan.objects.select_for_update().get_or_create(
        org=org, theme=theme, year=year, defaults={"summary": "", "updated_by": actor}
    )
    before = {"summary": plan.summary, "items": _plan_items(plan)} if not created else None
    plan.summary = (summary or "").strip()
    plan.updated_by = actor
    plan.updated_at = timezone.now()
    plan.save(update_fields=["summary", "updated_by", "updated_at"])
    plan.items.all().delete()
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, order=index, what=_text(i.what), due_on=i.due_on, who=_text(i.who))
        for index, i in enumerate(rows)
        if i.due_on is not None
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        subject=plan,
        org_id=org.pk,
        summary=_("Kế hoạch thực hiện chuyên đề “%(title)s” năm %(year)s")
        % {"title": theme.title, "year": year},
        before=before,
        after={"summary": plan.summary, "items": _plan_items(plan)},
    )
    return plan


def _plan_items(plan: UnitPlan) -> list[list[str]]:
    return [
        [item.what, item.due_on.isoformat(), item.who]
        for item in plan.items.order_by("order", "pk")
    ]


@dataclass(frozen=True)
class SessionData:
    held_on: datetime.date
    title: str
    theme: Theme | None = None
    place: str = ""
    note: str = ""


@transaction.atomic
def study_session_record(
    *,
    org: Org,
    data: SessionData,
    attendee_ids: Sequence[int],
    actor: User | None = None,
    today: datetime.date | None = None,
) -> StudySession:
    """A study session held by the unit, with the members who attended it."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not org.is_active:
        errors["org"] = _("Tổ chức này đã kết thúc hoạt động.")
    if data.held_on > today:
        errors["held_on"] = _("Ngày học tập %(day)s ở tương lai: chỉ ghi buổi đã học.") % {
            "day": data.held_on.strftime("%d/%m/%Y")
        }
    elif data.held_on.year < FIRST_YEAR:
        errors["held_on"] = _("Ngày học tập %(day)s quá sớm.") % {
            "day": data.held_on.strftime("%d/%m/%Y")
        }
    title = _text(data.title)
    if not title:
        errors["title"] = _("Cần nhập nội dung buổi học.")
    elif len(title) > 300:
        errors["title"] = _("Nội dung buổi học dài quá 300 ký tự.")
    if data.theme is not None and not _reaches(data.theme.org, org):
        errors["theme"] = _("Chuyên đề này không thuộc đơn vị hoặc cấp trên của đơn vị.")
    wanted = set(attendee_ids)
    on_roll = set(
        Membership.objects.current()
        .filter(org=org, person_id__in=wanted)
        .values_list("person_id", flat=True)
    )
    if not wanted:
        errors["attendees"] = _("Cần chọn ít nhất một người dự buổi học.")
    elif wanted - on_roll:
        errors["attendees"] = _(
            "Có %(count)s người được chọn không có trong danh sách của %(org)s."
        ) % {"count": len(wanted - on_roll), "org": org.name}
    _raise(errors)
    session = StudySession.objects.create(
        org=org,
        theme=data.theme,
        held_on=data.held_on,
        title=title,
        place=_text(data.place),
        note=(data.note or "").strip(),
        created_by=actor,
    )
    StudyAttendance.objects.bulk_create(
        StudyAttendance(session=session, person_id=pid) for pid in sorted(on_roll)
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=session,
        org_id=org.pk,
        summary=_("Học tập chuyên đề ngày %(day)s: %(count)s người dự")
        % {"day": data.held_on.strftime("%d/%m/%Y"), "count": len(on_roll)},
        after={"title": title, "held_on": data.held_on.isoformat(), "attendees": sorted(on_roll)},
    )
    return session


# --- question-and-answer material and the quiz -----------------------------------------------


@transaction.atomic
def quiz_question_add(
    *,
    theme: Theme,
    question: str,
    answer: str,
    choices: Sequence[str],
    correct: int,
    actor: User | None = None,
) -> QuizQuestion:
    """A question of the theme's hỏi – đáp material, with the choices of its quiz item
    (`correct` is the index of the right one among the non-empty choices)."""
    errors: dict[str, str] = {}
    text = _text(question)
    if not text:
        errors["question"] = _("Cần nhập câu hỏi.")
    elif len(text) > 500:
        errors["question"] = _("Câu hỏi dài quá 500 ký tự.")
    if not (answer or "").strip():
        errors["answer"] = _("Cần nhập câu trả lời (phần “đáp”).")
    options = [_text(choice) for choice in choices if _text(choice)]
    if len(options) < 2:
        errors["choices"] = _("Cần ít nhất 2 phương án để chọn.")
    elif len(options) > MAX_CHOICES:
        errors["choices"] = _("Tối đa %(max)s phương án.") % {"max": MAX_CHOICES}
    elif len(set(options)) != len(options):
        errors["choices"] = _("Có hai phương án giống nhau.")
    elif any(len(option) > 300 for option in options):
        errors["choices"] = _("Mỗi phương án dài tối đa 300 ký tự.")
    elif not 0 <= correct < len(options):
        errors["correct"] = _("Cần chọn phương án đúng trong các phương án đã nhập.")
    _raise(errors)
    order = theme.questions.count()
    item = QuizQuestion.objects.create(
        theme=theme, order=order, question=text, answer=answer.strip()
    )
    QuizChoice.objects.bulk_create(
        QuizChoice(question=item, order=index, text=option, correct=index == correct)
        for index, option in enumerate(options)
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=item,
        org_id=theme.org_id,
        summary=_("Thêm câu hỏi – đáp cho chuyên đề “%(title)s”") % {"title": theme.title},
        after={"question": text, "choices": options, "correct": correct},
    )
    return item


@transaction.atomic
def quiz_submit(
    *,
    theme: Theme,
    person: Person,
    org: Org,
    answers: Mapping[int, int | None],
    actor: User | None = None,
) -> QuizAttempt:
    """The member's answers (question id -> choice id); every question needs one. Taking
    the quiz again replaces the previous answers."""
    errors: dict[str, str] = {}
    if _current_membership(person, org) is None:
        errors["person"] = _("Chỉ thành viên đang sinh hoạt tại %(org)s làm bài ở đây.") % {
            "org": org.name
        }
    elif not _reaches(theme.org, org):
        errors["theme"] = _("Chuyên đề này không gửi đến đơn vị của đồng chí.")
    questions = list(theme.questions.prefetch_related("choices"))
    if not questions:
        errors["theme"] = _("Chuyên đề này chưa có câu hỏi.")
    score = 0
    chosen: dict[str, int] = {}
    for number, question in enumerate(questions, start=1):
        choice_id = answers.get(question.pk)
        choices = {choice.pk: choice for choice in question.choices.all()}
        if choice_id is None or choice_id not in choices:
            errors[f"q{question.pk}"] = _("Câu %(n)s chưa chọn phương án trả lời.") % {"n": number}
            continue
        chosen[str(question.pk)] = choice_id
        score += int(choices[choice_id].correct)
    _raise(errors)
    attempt = QuizAttempt.objects.select_for_update().filter(theme=theme, person=person).first()
    if attempt is None:
        attempt = QuizAttempt.objects.create(
            theme=theme, person=person, org=org, score=score, total=len(questions), answers=chosen
        )
        action = AuditEntry.Action.CREATE
    else:
        attempt.org = org
        attempt.score, attempt.total, attempt.answers = score, len(questions), chosen
        attempt.attempts += 1
        attempt.taken_at = timezone.now()
        attempt.save()
        action = AuditEntry.Action.UPDATE
    audit_record(
        actor=actor,
        action=action,
        subject=attempt,
        org_id=org.pk,
        person_id=person.pk,
        summary=_("Trả lời câu hỏi chuyên đề “%(title)s”: đúng %(score)s/%(total)s")
        % {"title": theme.title, "score": score, "total": len(questions)},
        after={"score": score, "total": len(questions)},
    )
    return attempt


# --- commitments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemData:
    kind: str
    text: str


@dataclass(frozen=True)
class CommitmentData:
    job_position: str
    pledge: str
    items: Sequence[ItemData]


def _commitment_errors(data: CommitmentData) -> dict[str, str]:
    errors: dict[str, str] = {}
    job = _text(data.job_position)
    if not job:
        errors["job_position"] = _(
            "Cần ghi vị trí việc làm hoặc nhiệm vụ được giao: cam kết gắn với vị trí đó."
        )
    elif len(job) > 200:
        errors["job_position"] = _("Vị trí việc làm dài quá 200 ký tự.")
    items = [item for item in data.items if _text(item.text)]
    for kind, field, label in (
        (ItemKind.COMMITMENT, "commitment_items", _("cam kết")),
        (ItemKind.PLAN, "plan_items", _("kế hoạch cá nhân")),
    ):
        mine = [item for item in items if item.kind == kind]
        if not mine:
            errors[field] = _("Cần ít nhất một nội dung %(what)s.") % {"what": label}
        elif len(mine) > MAX_ITEMS:
            errors[field] = _("Tối đa %(max)s nội dung %(what)s.") % {
                "max": MAX_ITEMS,
                "what": label,
            }
        else:
            long = [n for n, item in enumerate(mine, start=1) if len(_text(item.text)) > 500]
            if long:
                errors[field] = _("Nội dung thứ %(n)s dài quá 500 ký tự.") % {"n": long[0]}
    if any(item.kind not in ItemKind.values for item in items):
        errors["items"] = _("Có nội dung không rõ là cam kết hay kế hoạch.")
    return errors


@transaction.atomic
def commitment_save(
    *,
    person: Person,
    org: Org,
    year: int,
    data: CommitmentData,
    actor: User | None = None,
    today: datetime.date | None = None,
) -> Commitment:
    """Write (or rewrite, while a draft or returned) the member's commitment and personal
    plan for `year` at their unit `org`. Items are tied to the member's job position."""
    today = today or timezone.localdate()
    membership = _current_membership(person, org)
    errors: dict[str, str] = {}
    if membership is None:
        errors["person"] = _(
            "%(name)s không sinh hoạt tại %(org)s nên không viết cam kết ở đơn vị này."
        ) % {"name": person.full_name, "org": org.name}
    errors |= _check_year(year, today)
    errors |= _commitment_errors(data)
    existing = (
        Commitment.objects.select_for_update()
        .filter(person=person, year=year, family=org.family)
        .first()
    )
    if existing is not None and not existing.editable:
        errors["status"] = _(
            "Bản cam kết năm %(year)s đang ở trạng thái “%(status)s”, không sửa được nữa."
        ) % {"year": year, "status": existing.get_status_display()}
    _raise(errors)
    before = snapshot(existing, COMMITMENT_FIELDS) if existing is not None else None
    commitment = existing or Commitment(person=person, year=year, family=org.family)
    commitment.org = org
    commitment.job_position = _text(data.job_position)
    commitment.pledge = (data.pledge or "").strip()
    commitment.updated_at = timezone.now()
    commitment.save()
    commitment.items.all().delete()
    CommitmentItem.objects.bulk_create(
        CommitmentItem(commitment=commitment, kind=item.kind, order=index, text=_text(item.text))
        for index, item in enumerate(i for i in data.items if _text(i.text))
    )
    after = snapshot(commitment, COMMITMENT_FIELDS)
    after["items"] = [[item.kind, _text(item.text)] for item in data.items if _text(item.text)]
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE if existing else AuditEntry.Action.CREATE,
        subject=commitment,
        org_id=org.pk,
        person_id=person.pk,
        summary=_("Bản cam kết năm %(year)s của %(name)s")
        % {"year": year, "name": person.full_name},
        before=before,
        after=after,
    )
    return commitment


def _change(
    commitment: Commitment,
    *,
    actor: User | None,
    summary: str,
    before: dict[str, object],
    fields: Sequence[str],
) -> Commitment:
    commitment.updated_at = timezone.now()
    commitment.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=commitment,
        org_id=commitment.org_id,
        person_id=commitment.person_id,
        summary=summary,
        before=before,
        after=snapshot(commitment, COMMITMENT_FIELDS),
    )
    return commitment


def _locked(commitment: Commitment) -> Commitment:
    return (
        Commitment.objects.select_for_update().select_related("person", "org").get(pk=commitment.pk)
    )


@transaction.atomic
def commitment_submit(*, commitment: Commitment, actor: User | None = None) -> Commitment:
    """The member hands the commitment to the unit officer for approval."""
    commitment = _locked(commitment)
    if not commitment.editable:
        raise ValidationError(
            {
                "status": _("Bản cam kết đang ở trạng thái “%(status)s”, không gửi lại được.")
                % {"status": commitment.get_status_display()}
            }
        )
    if not commitment.items.exists():
        raise ValidationError({"items": _("Bản cam kết chưa có nội dung nào.")})
    before = snapshot(commitment, COMMITMENT_FIELDS)
    commitment.status = CommitmentStatus.SUBMITTED
    commitment.submitted_at = timezone.now()
    return _change(
        commitment,
        actor=actor,
        summary=_("%(name)s gửi bản cam kết năm %(year)s")
        % {"name": commitment.person.full_name, "year": commitment.year},
        before=before,
        fields=["status", "submitted_at"],
    )


@transaction.atomic
def commitment_review(
    *, commitment: Commitment, approve: bool, comment: str = "", actor: User | None = None
) -> Commitment:
    """The unit officer approves the commitment, or returns it with what to change.

    Nobody reviews their own: a cell secretary's commitment is reviewed by a deputy of the
    cell or by the committee above, as the committee above, not the cell's own secretary,
    approves the cell's thematic topics (chibo.meetings.topics.topic_can_review): a
    reviewer approving their own pledge checks nothing."""
    commitment = _locked(commitment)
    if actor is not None and commitment.person.user_id == actor.pk:
        raise ValidationError(
            {
                "__all__": _(
                    "Đồng chí không tự duyệt bản cam kết của chính mình: bản cam kết của bí thư "
                    "chi bộ do phó bí thư hoặc cấp ủy cấp trên duyệt."
                )
            }
        )
    if commitment.status != CommitmentStatus.SUBMITTED:
        raise ValidationError(
            {
                "status": _("Chỉ duyệt được bản cam kết đang chờ duyệt (hiện: “%(status)s”).")
                % {"status": commitment.get_status_display()}
            }
        )
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Khi trả lại, cần ghi rõ nội dung đảng viên cần sửa.")})
    before = snapshot(commitment, COMMITMENT_FIELDS)
    commitment.status = CommitmentStatus.APPROVED if approve else CommitmentStatus.RETURNED
    commitment.review_comment = comment
    commitment.reviewed_by = actor
    commitment.reviewed_at = timezone.now()
    summary = (
        _("Duyệt bản cam kết năm %(year)s của %(name)s")
        if approve
        else _("Trả lại bản cam kết năm %(year)s của %(name)s")
    )
    return _change(
        commitment,
        actor=actor,
        summary=summary % {"name": commitment.person.full_name, "year": commitment.year},
        before=before,
        fields=["status", "review_comment", "reviewed_by", "reviewed_at"],
    )


def report_opens(period: str, year: int) -> datetime.date:
    month, day = MID_REPORT_FROM if period == ReportPeriod.MID else END_REPORT_FROM
    return datetime.date(year, month, day)


@transaction.atomic
def commitment_report(
    *,
    commitment: Commitment,
    period: str,
    results: Mapping[int, tuple[str, str]],
    actor: User | None = None,
    today: datetime.date | None = None,
) -> Commitment:
    """The member's self-report for `period` (mid-year or year end): for every item, done,
    partly done or not done, with the evidence of what was done."""
    today = today or timezone.localdate()
    commitment = _locked(commitment)
    if period not in ReportPeriod.values:
        raise ValidationError({"period": _("Kỳ báo cáo không hợp lệ.")})
    label = ReportPeriod(period).label
    errors: dict[str, str] = {}
    if commitment.status != CommitmentStatus.APPROVED:
        errors["status"] = _("Bản cam kết cần được duyệt trước khi tự đánh giá.")
    elif today < report_opens(period, commitment.year):
        errors["period"] = _("Tự đánh giá %(period)s năm %(year)s mở từ ngày %(day)s.") % {
            "period": str(label).lower(),
            "year": commitment.year,
            "day": report_opens(period, commitment.year).strftime("%d/%m/%Y"),
        }
    comment = commitment.mid_comment if period == ReportPeriod.MID else commitment.end_comment
    if comment:
        errors["period"] = _("Bí thư đã nhận xét phần %(period)s, không sửa được nữa.") % {
            "period": str(label).lower()
        }
    items = list(commitment.items.all())
    for number, item in enumerate(items, start=1):
        result, evidence = results.get(item.pk, ("", ""))
        evidence = _text(evidence)
        if result not in ItemResult.values:
            errors[f"item{item.pk}"] = _("Nội dung %(n)s chưa chọn mức thực hiện.") % {"n": number}
        elif result != ItemResult.NOT_DONE and not evidence:
            errors[f"item{item.pk}"] = _(
                "Nội dung %(n)s cần ghi minh chứng (việc đã làm, kết quả cụ thể)."
            ) % {"n": number}
        elif len(evidence) > 500:
            errors[f"item{item.pk}"] = _("Minh chứng của nội dung %(n)s dài quá 500 ký tự.") % {
                "n": number
            }
    _raise(errors)
    prefix = "mid" if period == ReportPeriod.MID else "end"
    for item in items:
        result, evidence = results[item.pk]
        setattr(item, f"{prefix}_result", result)
        setattr(item, f"{prefix}_evidence", _text(evidence))
    CommitmentItem.objects.bulk_update(items, [f"{prefix}_result", f"{prefix}_evidence"])
    before = snapshot(commitment, COMMITMENT_FIELDS)
    setattr(commitment, f"{prefix}_reported_at", timezone.now())
    return _change(
        commitment,
        actor=actor,
        summary=_("%(name)s tự đánh giá %(period)s năm %(year)s: %(done)s/%(total)s nội dung")
        % {
            "name": commitment.person.full_name,
            "period": str(label).lower(),
            "year": commitment.year,
            "done": sum(1 for item in items if results[item.pk][0] == ItemResult.DONE),
            "total": len(items),
        },
        before=before,
        fields=[f"{prefix}_reported_at"],
    )


@transaction.atomic
def commitment_comment(
    *, commitment: Commitment, period: str, comment: str, actor: User | None = None
) -> Commitment:
    """The unit officer's comment on the member's report for `period`."""
    commitment = _locked(commitment)
    if period not in ReportPeriod.values:
        raise ValidationError({"period": _("Kỳ báo cáo không hợp lệ.")})
    label = str(ReportPeriod(period).label).lower()
    if commitment.reported_at(period) is None:
        raise ValidationError(
            {"period": _("Đảng viên chưa tự đánh giá %(period)s.") % {"period": label}}
        )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Cần nhập nhận xét.")})
    before = snapshot(commitment, COMMITMENT_FIELDS)
    field = "mid_comment" if period == ReportPeriod.MID else "end_comment"
    setattr(commitment, field, comment)
    return _change(
        commitment,
        actor=actor,
        summary=_("Nhận xét %(period)s bản cam kết của %(name)s")
        % {"period": label, "name": commitment.person.full_name},
        before=before,
        fields=[field],
    )
