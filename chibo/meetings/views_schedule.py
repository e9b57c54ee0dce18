"""Pages of the calendar and the topics: a unit's calendar, the meeting page (its shell:
the roll call and the minutes plug in through `{% meeting_section %}`), a new meeting,
the unit's topic register, a topic, the committee's review of topics, its deadline and late
entries, and its agenda templates.

Every object comes through the scoping layer (`org_get_for`, `meeting_get_for`,
`topic_get_for`, `document_get_for`): outside the user's subtree the answer is 404. Writes
check the role first (403 inside the scope but not allowed) and only call services.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.forms import VnDateField
from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import get_for, require_role, scope_for
from chibo.core.uploads import content_disposition
from chibo.meetings import agenda as agenda_services
from chibo.meetings.documents import (
    document_get_for,
    document_publish,
    document_storage,
    document_upload,
    document_withdraw,
    documents_for,
    is_published_late,
)
from chibo.meetings.forms_schedule import (
    CancelForm,
    DeadlineForm,
    DetailsForm,
    GenerateYearForm,
    ItemsForm,
    MeetingForm,
    MoveForm,
    TemplateForm,
    items_text,
    parse_time,
)
from chibo.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    TopicRegistration,
    TopicStatus,
)
from chibo.meetings.schedule import (
    COMMITTEE_LEVELS,
    MeetingData,
    ThematicMode,
    YearPlan,
    add_months,
    allowed_kinds,
    calendar_months,
    holds_cell_meetings,
    late_entries,
    local_datetime,
    meeting_cancel,
    meeting_create,
    meeting_move,
    meeting_update,
    meetings_generate_year,
    month_start,
    quarter_checks,
    schedule_rule_set,
    unit_meetings,
)
from chibo.meetings.selectors import meeting_get_for
from chibo.meetings.topics import (
    EDITABLE,
    TopicData,
    approved_topics,
    preparers_for,
    themes_for,
    topic_approve,
    topic_can_review,
    topic_get_for,
    topic_register,
    topic_return,
    topic_schedule,
    topic_submit,
    topic_update,
    topics_for_review,
    topics_of_unit,
)
from chibo.orgs.models import Family, Org
from chibo.orgs.selectors import org_ancestors_visible, org_get_for
from chibo.people.forms import apply_service_errors


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _role(request: HttpRequest, org: Org) -> Role | None:
    return scope_for(request.user).role_at(org.path)


def _year(request: HttpRequest, today: datetime.date) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def _can_manage(request: HttpRequest, org: Org) -> bool:
    role = _role(request, org)
    return role is not None and role >= Role.OFFICER and org.is_active


# --- a unit's calendar -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's year: every month with its meetings, the thematic meetings per quarter,
    and for its officers the one-step generation of the year."""
    user = request.user
    org = org_get_for(user=user, code=code)
    today = timezone.localdate()
    year = _year(request, today)
    can_manage = _can_manage(request, org)
    form = GenerateYearForm(
        request.POST if request.method == "POST" else None,
        initial={"year": year, "day": 5, "thematic": ThematicMode.SEPARATE, "thematic_day": 20},
    )
    if request.method == "POST":
        require_role(user, org.path, Role.OFFICER)
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            plan = YearPlan(
                year=data["year"],
                day=data["day"],
                at=data["at"] or datetime.time(19, 30),
                location=data.get("location") or "",
                thematic=ThematicMode(data["thematic"]),
                thematic_day=data["thematic_day"],
            )
            try:
                created = meetings_generate_year(org=org, plan=plan, actor=_actor(request))
            except ValidationError as error:
                apply_service_errors(form, error, aliases={"org": "__all__"})
            else:
                messages.success(
                    request,
                    _("Đã lập lịch năm %(year)s: thêm %(count)s buổi sinh hoạt.")
                    % {"year": plan.year, "count": len(created)},
                )
                return redirect(f"{reverse('meeting_calendar', args=[org.code])}?year={plan.year}")
    meetings = list(unit_meetings(user=user, org=org, year=year))
    role = _role(request, org)
    context = {
        "org": org,
        "year": year,
        "years": list(range(today.year - 2, today.year + 2)),
        "months": calendar_months(meetings, year),
        "quarters": quarter_checks(meetings),
        "shows_quarters": holds_cell_meetings(org) and org.family == Family.PARTY,
        "can_manage": can_manage,
        "can_generate": can_manage and bool(meetings_plan_kinds(org)),
        "is_committee": org.level in COMMITTEE_LEVELS,
        "reads": role is not None and role >= Role.VIEWER,
        "form": form,
        "today": today,
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "meetings/calendar.html", context)


def meetings_plan_kinds(org: Org) -> list[str]:
    """Kinds the year generation lays out at this org (empty: nothing to generate)."""
    kinds = allowed_kinds(org)
    return [k for k in kinds if k != MeetingKind.EXTRAORDINARY]


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.OFFICER)
    if not org.is_active:
        raise PermissionDenied
    today = timezone.localdate()
    topics = [
        (t.pk, f"{t.month:02d}/{t.year} · {t.title}")
        for t in approved_topics(org=org, year=today.year)
    ]
    kind = request.GET.get("kind", "")
    initial: dict[str, Any] = {"at": datetime.time(19, 30)}
    if kind in allowed_kinds(org):
        initial["kind"] = kind
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        kinds=allowed_kinds(org),
        topics=topics,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        topic = None
        if data.get("topic"):
            topic = approved_topics(org=org).filter(pk=data["topic"]).first()
            if topic is None:
                form.add_error("topic", _("Chuyên đề đã chọn không còn để xếp lịch."))
        if not form.errors:
            try:
                meeting = meeting_create(
                    org=org,
                    kind=data["kind"],
                    data=MeetingData(
                        starts_at=local_datetime(data["day"], data["at"]),
                        location=data.get("location") or "",
                        title=data.get("title") or "",
                    ),
                    topic=topic,
                    actor=_actor(request),
                )
            except ValidationError as error:
                apply_service_errors(form, error, aliases={"starts_at": "day", "period": "day"})
            else:
                messages.success(request, _("Đã lên lịch buổi sinh hoạt."))
                return redirect("meeting_detail", meeting.pk)
    context = {
        "org": org,
        "form": form,
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "meetings/meeting_new.html", context)


# --- the meeting page --------------------------------------------------------------------


def _meeting_forms(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    action = request.POST.get("action", "") if request.method == "POST" else ""
    local = timezone.localtime(meeting.starts_at)

    def data(name: str) -> Any:
        return request.POST if action == name else None

    agenda = list(meeting.agenda_items.all())
    return {
        "action": action,
        "move": MoveForm(
            data("move"),
            prefix="move",
            initial={
                "version": meeting.version,
                "day": local.date(),
                "at": local.time(),
                "location": meeting.location,
            },
        ),
        "cancel": CancelForm(data("cancel"), prefix="cancel", initial={"version": meeting.version}),
        "details": DetailsForm(
            data("details"),
            prefix="details",
            initial={
                "version": meeting.version,
                "title": meeting.title,
                "purpose": meeting.purpose,
                "guests_note": meeting.guests_note,
            },
        ),
        "agenda": ItemsForm(
            data("agenda"),
            prefix="agenda",
            initial={
                "items": items_text([agenda_services.ItemText(i.title, i.guidance) for i in agenda])
            },
        ),
    }


def _meeting_post(
    request: HttpRequest, meeting: Meeting, forms: dict[str, Any]
) -> str:  # the success message, or "" with errors left on the form
    action = forms["action"]
    actor = _actor(request)
    if action in ("publish", "withdraw"):
        # A hand-made form may post anything as the id: it names no document here.
        try:
            document_id = int(request.POST.get("document", ""))
        except ValueError:
            raise Http404 from None
        document = get_for(
            MeetingDocument.objects.visible_to(request.user, Role.OFFICER).filter(meeting=meeting),
            pk=document_id,
        )
        if action == "publish":
            document = document_publish(document=document, actor=actor)
            if is_published_late(document, meeting):
                return _(
                    "Đã công bố “%(title)s”, nhưng muộn: tài liệu cần công bố ít nhất 1 ngày "
                    "trước buổi sinh hoạt (Hướng dẫn 42-HD/BTCTW)."
                ) % {"title": document.title}
            return _("Đã công bố “%(title)s” cho đảng viên.") % {"title": document.title}
        document_withdraw(document=document, actor=actor)
        return _("Đã rút tài liệu “%(title)s”.") % {"title": document.title}
    if action == "upload":
        form = forms["upload_errors"]
        try:
            document = document_upload(
                meeting=meeting,
                title=request.POST.get("title", ""),
                upload=request.FILES.get("file"),
                publish=request.POST.get("publish") == "on",
                actor=actor,
            )
        except ValidationError as error:
            form.extend(error.messages)
            return ""
        return _("Đã thêm tài liệu “%(title)s”.") % {"title": document.title}
    form = forms.get(action)
    if form is None:
        messages.error(request, _("Không rõ thao tác cần làm; hãy thử lại từ trang này."))
        return ""
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    try:
        if action == "move":
            moved = meeting_move(
                meeting=meeting,
                starts_at=local_datetime(data["day"], data["at"]),
                location=data.get("location") or "",
                reason=data.get("reason") or "",
                expected_version=data["version"],
                actor=actor,
            )
            return _("Đã dời buổi sinh hoạt sang %(day)s.") % {
                "day": f"{timezone.localtime(moved.starts_at):%H:%M %d/%m/%Y}"
            }
        if action == "cancel":
            meeting_cancel(
                meeting=meeting,
                reason=data["reason"],
                expected_version=data["version"],
                actor=actor,
            )
            return _("Đã hủy buổi sinh hoạt.")
        if action == "details":
            meeting_update(
                meeting=meeting,
                title=data.get("title") or "",
                purpose=data.get("purpose") or "",
                guests_note=data.get("guests_note") or "",
                expected_version=data["version"],
                actor=actor,
            )
            return _("Đã lưu mục đích, thành phần.")
        agenda_services.meeting_agenda_save(meeting=meeting, items=form.item_texts(), actor=actor)
        return _("Đã lưu chương trình buổi sinh hoạt.")
    except ValidationError as error:
        apply_service_errors(form, error, aliases={"starts_at": "day", "reason": "reason"})
        return ""


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = request.user
    meeting = meeting_get_for(user=user, meeting_id=meeting_id)
    org = meeting.org
    can_manage = _can_manage(request, org)
    forms = _meeting_forms(request, meeting)
    forms["upload_errors"] = []
    if request.method == "POST":
        require_role(user, org.path, Role.OFFICER)
        if not can_manage:
            raise PermissionDenied
        done = _meeting_post(request, meeting, forms)
        if done:
            messages.success(request, done)
            return redirect("meeting_detail", meeting.pk)
        meeting.refresh_from_db()
    role = _role(request, org)
    documents = list(documents_for(user=user, meeting=meeting))
    context = {
        "meeting": meeting,
        "org": org,
        "agenda": list(AgendaItem.objects.filter(meeting=meeting).order_by("order")),
        "documents": [(d, is_published_late(d, meeting)) for d in documents],
        "can_manage": can_manage,
        "is_planned": meeting.status == MeetingStatus.PLANNED,
        "reads": role is not None and role >= Role.VIEWER,
        "forms": forms,
        "upload_errors": forms["upload_errors"],
        "publish_by": meeting.starts_at - datetime.timedelta(days=1),
        "ancestors": [*org_ancestors_visible(user=user, org=org), org],
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
@require_GET
def document_download(request: HttpRequest, document_id: int) -> HttpResponseBase:
    document = document_get_for(user=request.user, document_id=document_id)
    storage = document_storage()
    if not document.file.name or not storage.exists(document.file.name):
        raise Http404
    # Saved under the document's Vietnamese title, not the random name it is stored under.
    extension = Path(document.file.name).suffix.lower()
    title = document.title.replace("/", "-").strip() or Path(document.file.name).stem
    response = FileResponse(storage.open(document.file.name, "rb"), as_attachment=True)
    response["Content-Disposition"] = content_disposition(f"{title}{extension}")
    # Sent only after the scope check: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


# --- topics --------------------------------------------------------------------------------


def _topic_data(request: HttpRequest, year: int) -> tuple[TopicData | None, dict[str, str]]:
    """Read the topic form; errors of shape (not of substance, which the service checks)."""
    post = request.POST
    errors: dict[str, str] = {}

    def number(name: str, label: str) -> int | None:
        raw = (post.get(name) or "").strip()
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError:
            errors[name] = _("%(label)s “%(value)s” không phải số.") % {
                "label": label,
                "value": raw,
            }
            return None

    month = number("month", _("Tháng"))
    if month is None and "month" not in errors:
        errors["month"] = _("Cần chọn tháng sinh hoạt chuyên đề.")
    theme_id = number("theme", _("Chuyên đề cấp trên"))
    preparer_id = number("preparer", _("Người chuẩn bị"))
    title = post.get("title", "")
    if not title.strip() and theme_id is None:
        errors["title"] = _("Cần nhập tên chuyên đề (hoặc chọn một chuyên đề cấp trên).")
    if errors:
        return None, errors
    assert month is not None
    return (
        TopicData(
            year=year,
            month=month,
            title=title,
            content=post.get("content", ""),
            theme_id=theme_id,
            preparer_id=preparer_id,
        ),
        {},
    )


def _with_theme_title(data: TopicData, org: Org) -> TopicData:
    """A topic picked from an issued theme takes the theme's title unless one was typed."""
    if data.title.strip() or data.theme_id is None:
        return data
    theme = themes_for(org=org, year=data.year).filter(pk=data.theme_id).first()
    if theme is None:
        return data
    return TopicData(
        year=data.year,
        month=data.month,
        title=theme.title,
        content=data.content or theme.summary,
        theme_id=data.theme_id,
        preparer_id=data.preparer_id,
    )


def _error_messages(error: ValidationError) -> dict[str, str]:
    """Messages by field; those of the whole form under "general" (templates cannot read
    "__all__")."""
    if hasattr(error, "error_dict"):
        return {
            ("general" if key == "__all__" else key): " ".join(msgs)
            for key, msgs in error.message_dict.items()
        }
    return {"general": " ".join(error.messages)}


@login_required
@require_http_methods(["GET", "POST"])
def topic_list(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's thematic topics of the year, and the form to register one."""
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    today = timezone.localdate()
    year = _year(request, today)
    can_manage = _can_manage(request, org) and holds_cell_meetings(org)
    errors: dict[str, str] = {}
    if request.method == "POST":
        require_role(user, org.path, Role.OFFICER)
        if not can_manage:
            raise PermissionDenied
        data, errors = _topic_data(request, year)
        if data is not None:
            try:
                topic = topic_register(
                    org=org, data=_with_theme_title(data, org), actor=_actor(request)
                )
                if request.POST.get("submit_now") == "on":
                    topic_submit(topic=topic, actor=_actor(request))
            except ValidationError as error:
                errors = _error_messages(error)
            else:
                messages.success(
                    request,
                    _("Đã đăng ký chuyên đề “%(title)s”.") % {"title": topic.title},
                )
                return redirect(f"{reverse('topic_list', args=[org.code])}?year={year}")
    topics = list(topics_of_unit(user=user, org=org, year=year).annotate(n=Count("meetings")))
    context = {
        "org": org,
        "year": year,
        "years": list(range(today.year - 1, today.year + 2)),
        "topics": topics,
        "quarters": [
            (q, sum(1 for t in topics if (t.month - 1) // 3 + 1 == q and t.status != "returned"))
            for q in range(1, 5)
        ],
        "can_manage": can_manage,
        "errors": errors,
        "posted": request.POST if request.method == "POST" else {},
        "themes": list(themes_for(org=org, year=year)) if can_manage else [],
        "preparers": list(preparers_for(org=org)[:300]) if can_manage else [],
        "month_choices": list(range(1, 13)),
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "meetings/topics.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    """One topic: its unit's officers edit, submit and schedule it; the committee above
    approves or returns it with a comment."""
    user = request.user
    topic = topic_get_for(user=user, topic_id=topic_id)
    org = topic.org
    can_manage = _can_manage(request, org)
    can_review = topic_can_review(user=user, topic=topic) and org.is_active
    errors: dict[str, str] = {}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST":
        actor = _actor(request)
        review = action in ("approve", "return")
        if review and not can_review:
            raise PermissionDenied
        if not review and not can_manage:
            raise PermissionDenied
        try:
            done = ""
            if action == "approve":
                topic_approve(topic=topic, comment=request.POST.get("comment", ""), actor=actor)
                done = _("Đã duyệt chuyên đề “%(title)s”.")
            elif action == "return":
                topic_return(topic=topic, comment=request.POST.get("comment", ""), actor=actor)
                done = _("Đã trả lại chuyên đề “%(title)s” cho chi bộ.")
            elif action == "submit":
                topic_submit(topic=topic, actor=actor)
                done = _("Đã gửi cấp trên duyệt chuyên đề “%(title)s”.")
            elif action == "edit":
                data, errors = _topic_data(request, topic.year)
                if data is not None:
                    topic_update(topic=topic, data=_with_theme_title(data, org), actor=actor)
                    done = _("Đã lưu chuyên đề “%(title)s”.")
            elif action == "schedule":
                day = (request.POST.get("day") or "").strip()
                starts_at = None
                if day:
                    try:
                        parsed = VnDateField(label=_("Ngày họp")).clean(day)
                    except ValidationError as error:
                        raise ValidationError({"day": error.messages}) from None
                    at = parse_time(request.POST.get("at") or "19:30")
                    if at is None:
                        raise ValidationError({"at": _("Giờ họp không đúng dạng (ví dụ: 19:30).")})
                    starts_at = local_datetime(parsed, at)
                meeting = topic_schedule(
                    topic=topic,
                    starts_at=starts_at,
                    location=request.POST.get("location", ""),
                    actor=actor,
                )
                messages.success(
                    request,
                    _("Đã xếp chuyên đề “%(title)s” vào buổi sinh hoạt ngày %(day)s.")
                    % {
                        "title": topic.title,
                        "day": f"{timezone.localtime(meeting.starts_at):%d/%m/%Y}",
                    },
                )
                return redirect("meeting_detail", meeting.pk)
            else:
                errors = {"general": _("Không rõ thao tác cần làm; hãy thử lại từ trang này.")}
        except ValidationError as error:
            errors = _error_messages(error)
        else:
            if done:
                messages.success(request, done % {"title": topic.title})
                if review:
                    return redirect("topic_review", topic_parent_code(topic))
                return redirect("topic_detail", topic.pk)
        topic.refresh_from_db()
    meetings = list(topic.meetings.order_by("starts_at"))
    context = {
        "topic": topic,
        "org": org,
        "meetings": meetings,
        "can_edit": can_manage and topic.status in EDITABLE,
        "can_schedule": can_manage
        and topic.status == TopicStatus.APPROVED
        and not any(m.status != MeetingStatus.CANCELLED for m in meetings),
        "can_review": can_review and topic.status == TopicStatus.SUBMITTED,
        "errors": errors,
        "action": action,
        "posted": request.POST if request.method == "POST" else {},
        "themes": list(themes_for(org=org, year=topic.year)) if can_manage else [],
        "preparers": list(preparers_for(org=org)[:300]) if can_manage else [],
        "month_choices": list(range(1, 13)),
        "ancestors": [*org_ancestors_visible(user=user, org=org), org],
    }
    return render(request, "meetings/topic_detail.html", context)


@login_required
@require_GET
def topic_review(request: HttpRequest, code: str) -> HttpResponse:
    """The committee's list of topics waiting for approval in its subtree."""
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.COMMITTEE)
    status = request.GET.get("status", TopicStatus.SUBMITTED)
    if status not in TopicStatus.values:
        status = TopicStatus.SUBMITTED
    topics = topics_for_review(user=user, org=org, status=status)
    context = {
        "org": org,
        "topics": topics,
        "status": status,
        "statuses": [(s, TopicStatus(s).label) for s in TopicStatus.values if s != "draft"],
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "meetings/topic_review.html", context)


# --- the committee's deadline and agenda templates ----------------------------------------


def _month_param(request: HttpRequest, today: datetime.date) -> datetime.date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return add_months(month_start(today), 1)


@login_required
@require_http_methods(["GET", "POST"])
def deadlines(request: HttpRequest, code: str) -> HttpResponse:
    """The committee's deadline for next month's dates and topics, and the units of its
    subtree that entered late or not at all."""
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    role = _role(request, org)
    can_set = (
        role is not None
        and role >= Role.COMMITTEE
        and org.is_active
        and org.level in COMMITTEE_LEVELS
    )
    today = timezone.localdate()
    form = DeadlineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require_role(user, org.path, Role.COMMITTEE)
        if not can_set:
            raise PermissionDenied
        if form.is_valid():
            try:
                schedule_rule_set(
                    org=org, deadline_day=form.cleaned_data["deadline_day"], actor=_actor(request)
                )
            except ValidationError as error:
                apply_service_errors(form, error, aliases={"org": "__all__"})
            else:
                messages.success(request, _("Đã lưu hạn đăng ký lịch sinh hoạt."))
                return redirect("meeting_deadlines", org.code)
    period = _month_param(request, today)
    report = late_entries(user=user, org=org, period=period, today=today)
    if request.method == "GET" and report.deadline_day:
        form = DeadlineForm(initial={"deadline_day": report.deadline_day})
    context = {
        "org": org,
        "report": report,
        "period": period,
        "previous": add_months(period, -1),
        "next": add_months(period, 1),
        "form": form,
        "can_set": can_set,
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "meetings/deadlines.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_templates(request: HttpRequest, code: str) -> HttpResponse:
    """The agenda each kind of meeting gets in the org's subtree; a committee writes its
    own, which its lower units then use."""
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    role = _role(request, org)
    can_edit = (
        role is not None
        and role >= Role.COMMITTEE
        and org.is_active
        and org.level in COMMITTEE_LEVELS
    )
    which = request.POST.get("which", "") if request.method == "POST" else ""
    posted = None
    if request.method == "POST":
        require_role(user, org.path, Role.COMMITTEE)
        if not can_edit:
            raise PermissionDenied
        if which not in MeetingKind.values:
            messages.error(request, _("Không rõ mẫu cần sửa; hãy thử lại từ trang này."))
        else:
            # One form per kind on the page, each with its own prefix (and field ids).
            posted = TemplateForm(request.POST, prefix=which)
        if posted is not None and posted.is_valid():
            try:
                agenda_services.agenda_template_save(
                    org=org,
                    kind=posted.cleaned_data["kind"],
                    name=posted.cleaned_data.get("name") or "",
                    items=posted.item_texts(),
                    actor=_actor(request),
                )
            except ValidationError as error:
                apply_service_errors(posted, error)
            else:
                messages.success(request, _("Đã lưu mẫu chương trình."))
                return redirect("agenda_templates", org.code)
    rows = []
    for kind, template in agenda_services.agenda_templates_of(org=org).items():
        items = agenda_services.agenda_items_for(org=org, kind=kind)
        if posted is not None and which == kind:
            form = posted
        else:
            form = TemplateForm(
                prefix=kind,
                initial={
                    "kind": kind,
                    "name": template.name if template else MeetingKind(kind).label,
                    "items": items_text(items),
                },
            )
        rows.append(
            {
                "kind": kind,
                "label": MeetingKind(kind).label,
                "template": template,
                "own": template is not None and template.org_id == org.pk,
                "items": items,
                "form": form,
            }
        )
    context = {
        "org": org,
        "rows": rows,
        "can_edit": can_edit,
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "meetings/agenda_templates.html", context)


def topic_parent_code(topic: TopicRegistration) -> str:
    parent = Org.objects.filter(path=topic.org.parent_path).values_list("code", flat=True).first()
    return parent or ""
