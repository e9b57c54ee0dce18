"""Pages of the roll call, absence notices, guests, assignments and minutes.

Every meeting comes through `meeting_get_for` (the scoping layer: 404 outside), every write
checks `require_role` on the meeting's unit first; the views only turn the posted fields
into service calls and the services' errors back into messages on the page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import require_role, scope_for
from chibo.meetings.attendance import (
    GuestData,
    RollCallEntry,
    absence_notice_open,
    absence_notice_send,
    absence_notice_withdraw,
    assignment_create,
    assignment_end,
    assignment_get_for,
    assignment_list,
    guest_add,
    meeting_assigned,
    meeting_day,
    meeting_guests,
    meeting_roll,
    person_of,
    roll_call_frozen,
    roll_call_record,
)
from chibo.meetings.minutes import (
    CHAIR,
    TAKER,
    MinutesData,
    minutes_correct,
    minutes_current,
    minutes_export_audit,
    minutes_flags,
    minutes_get,
    minutes_header,
    minutes_people,
    minutes_save,
    minutes_sign,
    minutes_start,
    minutes_versions,
)
from chibo.meetings.minutes_docx import minutes_docx, minutes_filename
from chibo.meetings.models import GuestRole, Meeting, MeetingStatus, Minutes
from chibo.meetings.selectors import meeting_get_for
from chibo.orgs.models import Level, Org
from chibo.orgs.selectors import org_ancestors_visible, org_get_for
from chibo.people.models import Person


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _role(request: HttpRequest, org: Org) -> Role | None:
    return scope_for(request.user).role_at(org.path)


def _can_manage(request: HttpRequest, org: Org) -> bool:
    role = _role(request, org)
    return role is not None and role >= Role.OFFICER and org.is_active


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _base(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "org": meeting.org,
        "day": meeting_day(meeting),
        "ancestors": [*org_ancestors_visible(user=request.user, org=meeting.org), meeting.org],
        "can_manage": _can_manage(request, meeting.org),
    }


# --- roll call ---------------------------------------------------------------------------


def _roll_entries(request: HttpRequest, roll: list[Any]) -> list[RollCallEntry]:
    return [
        RollCallEntry(
            person_id=line.person.pk,
            status=request.POST.get(f"status-{line.person.pk}", ""),
            reason=request.POST.get(f"reason-{line.person.pk}", ""),
        )
        for line in roll
    ]


def _guest_post(request: HttpRequest, meeting: Meeting) -> str:
    action = request.POST.get("action")
    if action == "assigned":
        assigned = {str(a.person_id): a for a in meeting_assigned(meeting=meeting)}
        chosen = assigned.get(request.POST.get("person", ""))
        if chosen is None:
            raise ValidationError(
                {"person": _("Người được chọn không được phân công dự buổi này.")}
            )
        guest_add(
            meeting=meeting,
            data=GuestData(role=chosen.role, person=chosen.person),
            actor=_actor(request),
        )
        return _("Đã ghi %(name)s dự họp.") % {"name": chosen.person.full_name}
    guest_add(
        meeting=meeting,
        data=GuestData(role=request.POST.get("role", ""), name=request.POST.get("name", "")[:200]),
        actor=_actor(request),
    )
    return _("Đã thêm khách dự họp.")


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The roll call of a meeting: officers record it; readers of the unit see it."""
    meeting = meeting_get_for(user=request.user, meeting_id=meeting_id)
    require_role(request.user, meeting.org.path, Role.VIEWER)
    can_manage = _can_manage(request, meeting.org)
    roll = meeting_roll(meeting=meeting)
    errors: list[str] = []
    posted: dict[str, str] = {}
    if request.method == "POST":
        require_role(request.user, meeting.org.path, Role.OFFICER)
        if not can_manage:
            raise PermissionDenied
        try:
            if request.POST.get("action") in ("guest", "assigned"):
                done = _guest_post(request, meeting)
            else:
                counts = roll_call_record(
                    meeting=meeting, entries=_roll_entries(request, roll), actor=_actor(request)
                )
                done = _("Đã điểm danh: có mặt %(present)s/%(expected)s đảng viên phải dự.") % {
                    "present": counts["present"],
                    "expected": counts["expected"],
                }
        except ValidationError as error:
            errors = _errors(error)
            posted = {key: str(value) for key, value in request.POST.items()}
        else:
            messages.success(request, done)
            return redirect("meeting_attendance", meeting.pk)
    frozen = roll_call_frozen(meeting=meeting)
    rows = []
    for line in roll:
        key = str(line.person.pk)
        rows.append(
            {
                "line": line,
                "status": posted.get(f"status-{key}", line.suggested),
                "reason": posted.get(f"reason-{key}", line.suggested_reason),
            }
        )
    context = {
        **_base(request, meeting),
        "rows": rows,
        "errors": errors,
        "guests": meeting_guests(meeting=meeting),
        "assigned": meeting_assigned(meeting=meeting) if can_manage else [],
        "guest_roles": GuestRole.choices,
        "frozen": frozen,
        "can_record": can_manage
        and not frozen
        and meeting.status != MeetingStatus.CANCELLED
        and meeting_day(meeting) <= timezone.localdate(),
    }
    return render(request, "meetings/attendance.html", context)


# --- absence notice ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def absence(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A member says beforehand, from their phone, that they cannot come."""
    meeting = meeting_get_for(user=request.user, meeting_id=meeting_id)
    person = person_of(request.user)
    roll = meeting_roll(meeting=meeting) if person is not None else []
    on_roll = person is not None and any(
        line.person.pk == person.pk and not line.away for line in roll
    )
    notice = absence_notice_open(meeting=meeting, person=person) if person and on_roll else None
    errors: list[str] = []
    reason = ""
    if request.method == "POST":
        if person is None or not on_roll:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "withdraw":
                if notice is None:
                    raise ValidationError({"notice": _("Đồng chí chưa báo vắng buổi này.")})
                absence_notice_withdraw(notice=notice, actor=_actor(request))
                done = _("Đã rút lại báo vắng. Hẹn gặp đồng chí tại buổi sinh hoạt.")
            else:
                reason = request.POST.get("reason", "")
                absence_notice_send(
                    meeting=meeting, person=person, reason=reason, actor=_actor(request), roll=roll
                )
                done = _("Đã gửi báo vắng đến chi ủy.")
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, done)
            return redirect("meeting_absence", meeting.pk)
    context = {
        **_base(request, meeting),
        "on_roll": on_roll,
        "notice": notice,
        "errors": errors,
        "reason": reason,
        "open": meeting.status == MeetingStatus.PLANNED and meeting.starts_at > timezone.now(),
    }
    return render(request, "meetings/attendance_absence.html", context)


# --- assignments -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest, code: str) -> HttpResponse:
    """The committee's list of who attends which cell's meetings, and the form to assign."""
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.VIEWER)
    role = _role(request, org)
    can_assign = role is not None and role >= Role.COMMITTEE and org.is_active
    errors: list[str] = []
    if request.method == "POST":
        require_role(request.user, org.path, Role.COMMITTEE)
        try:
            done = _assignment_post(request, org)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, done)
            return redirect("meeting_assignments", org.code)
    cells = list(
        Org.objects.visible_to(request.user, Role.COMMITTEE)
        .filter(path__startswith=org.path, level__in=[Level.BRANCH, Level.GROUP], status="active")
        .order_by("path")
    )
    people = list(
        Person.objects.visible_to(request.user, Role.COMMITTEE)
        .filter(positions__org__path__startswith=org.path, positions__ended_on__isnull=True)
        .distinct()
        .order_by("sort_key", "pk")[:300]
    )
    context = {
        "org": org,
        "ancestors": [*org_ancestors_visible(user=request.user, org=org), org],
        "assignments": assignment_list(user=request.user, org=org),
        "cells": cells,
        "people": people,
        "roles": [(r.value, r.label) for r in (GuestRole.COMMITTEE, GuestRole.CROSS)],
        "can_assign": can_assign,
        "errors": errors,
        "today": timezone.localdate(),
    }
    return render(request, "meetings/attendance_assignments.html", context)


def _assignment_post(request: HttpRequest, org: Org) -> str:
    if request.POST.get("action") == "end":
        try:
            assignment_id = int(request.POST.get("assignment", ""))
        except ValueError:
            raise Http404 from None
        assignment = assignment_get_for(user=request.user, assignment_id=assignment_id)
        if not assignment.org.path.startswith(org.path):
            raise Http404
        assignment_end(assignment=assignment, actor=_actor(request))
        return _("Đã kết thúc phân công.")
    cell = (
        Org.objects.visible_to(request.user, Role.COMMITTEE)
        .filter(path__startswith=org.path, code=request.POST.get("org", ""))
        .first()
    )
    if cell is None:
        raise ValidationError({"org": _("Cần chọn một chi bộ thuộc %(org)s.") % {"org": org.name}})
    try:
        person_id = int(request.POST.get("person", ""))
    except ValueError:
        person_id = 0
    person = Person.objects.visible_to(request.user, Role.COMMITTEE).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person": _("Cần chọn người được phân công.")})
    assignment_create(
        org=cell, person=person, role=request.POST.get("role", ""), actor=_actor(request)
    )
    return _("Đã phân công %(name)s dự sinh hoạt %(org)s.") % {
        "name": person.full_name,
        "org": cell.name,
    }


# --- minutes -----------------------------------------------------------------------------


def _time_on(
    day: datetime.date, raw: str, label: str, errors: list[str]
) -> datetime.datetime | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        moment = datetime.datetime.strptime(text, "%H:%M").time()
    except ValueError:
        errors.append(_("%(label)s “%(value)s” không đúng dạng giờ:phút (ví dụ 19:30).") % {
            "label": label, "value": text[:10]})  # fmt: skip
        return None
    return timezone.make_aware(datetime.datetime.combine(day, moment))


def _minutes_data(request: HttpRequest, meeting: Meeting, minutes: Minutes) -> MinutesData:
    post = request.POST
    day = meeting_day(meeting)
    problems: list[str] = []
    started = _time_on(day, post.get("started_at", ""), _("Giờ bắt đầu"), problems)
    ended = _time_on(day, post.get("ended_at", ""), _("Giờ kết thúc"), problems)
    people = {str(person.pk): person for person in minutes_people(meeting=meeting)}
    # A chair or minute-taker not offered by the form (another unit's member, a stale page)
    # is refused, not silently dropped while the rest is saved.
    for key, label in (("chair", _("Chủ trì")), ("minute_taker", _("Thư ký"))):
        if post.get(key, "") and post.get(key, "") not in people:
            message = _(
                "%(label)s: người đã chọn không có trong danh sách của buổi sinh hoạt này; "
                "hãy chọn lại."
            )
            problems.append(message % {"label": label})
    if problems:
        raise ValidationError(problems)
    notes = {key[5:]: post.get(key, "") for key in post if key.startswith("note-")}
    return MinutesData(
        item_notes=notes,
        conclusions=post.get("conclusions", ""),
        resolutions=post.get("resolutions", ""),
        started_at=started,
        ended_at=ended,
        chair=people.get(post.get("chair", "")),
        minute_taker=people.get(post.get("minute_taker", "")),
    )


def _revision(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


def _minutes_post(request: HttpRequest, meeting: Meeting, current: Minutes | None) -> str:
    action = request.POST.get("action", "save")
    actor = _actor(request)
    if action == "start" or current is None:
        minutes_start(meeting=meeting, actor=actor)
        return _("Đã lập biên bản. Hãy ghi nội dung từng mục.")
    if action == "correct":
        new = minutes_correct(minutes=current, reason=request.POST.get("reason", ""), actor=actor)
        return _("Đã lập phiên bản sửa đổi lần %(n)s; bản đã khóa vẫn được giữ.") % {
            "n": new.number - 1
        }
    if action in (CHAIR, TAKER):
        signed = minutes_sign(
            minutes=current, role=action, revision=_revision(request), actor=actor
        )
        if signed.is_locked:
            return _("Biên bản đã đủ chữ ký của chủ trì và thư ký, và đã khóa.")
        return _("Đã ghi chữ ký.")
    minutes_save(
        minutes=current,
        data=_minutes_data(request, meeting, current),
        revision=_revision(request),
        actor=actor,
    )
    return _("Đã lưu biên bản.")


@login_required
@require_http_methods(["GET", "POST"])
def minutes_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The current version of the minutes: written and signed by officers, read by readers
    of the unit (a plain member reads the meeting, not its minutes)."""
    meeting = meeting_get_for(user=request.user, meeting_id=meeting_id)
    require_role(request.user, meeting.org.path, Role.VIEWER)
    can_manage = _can_manage(request, meeting.org)
    current = minutes_current(meeting=meeting)
    errors: list[str] = []
    if request.method == "POST":
        require_role(request.user, meeting.org.path, Role.OFFICER)
        if not can_manage:
            raise PermissionDenied
        try:
            done = _minutes_post(request, meeting, current)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, done)
            return redirect("meeting_minutes", meeting.pk)
    meeting.refresh_from_db()
    return render(
        request,
        "meetings/minutes.html",
        _minutes_context(request, meeting, current, errors=errors, can_manage=can_manage),
    )


def _minutes_context(
    request: HttpRequest,
    meeting: Meeting,
    minutes: Minutes | None,
    *,
    errors: list[str],
    can_manage: bool,
) -> dict[str, Any]:
    posted = request.POST if errors else None
    header = minutes_header(meeting=meeting, minutes=minutes)
    items = []
    for item in header.items:
        note = posted.get(f"note-{item.order}", item.note) if posted else item.note
        items.append({"item": item, "note": note})

    def value(name: str, default: str) -> str:
        return str(posted.get(name, default)) if posted else default

    def clock(moment: datetime.datetime | None) -> str:
        return f"{timezone.localtime(moment):%H:%M}" if moment else ""

    return {
        **_base(request, meeting),
        "can_manage": can_manage,
        "minutes": minutes,
        "header": header,
        "items": items,
        "errors": errors,
        "flags": minutes_flags(minutes=minutes, meeting=meeting) if minutes else [],
        "versions": minutes_versions(meeting=meeting),
        "people": minutes_people(meeting=meeting) if can_manage else [],
        "conclusions": value("conclusions", minutes.conclusions if minutes else ""),
        "resolutions": value("resolutions", minutes.resolutions if minutes else ""),
        "started_at": value("started_at", clock(minutes.started_at if minutes else None)),
        "ended_at": value("ended_at", clock(minutes.ended_at if minutes else None)),
        "chair_id": value("chair", str(meeting.chair_id or "")),
        "taker_id": value("minute_taker", str(meeting.minute_taker_id or "")),
        "editable": can_manage and minutes is not None and not minutes.is_locked,
        "held": meeting.status == MeetingStatus.HELD,
    }


@login_required
@require_GET
def minutes_version(request: HttpRequest, meeting_id: int, minutes_id: int) -> HttpResponse:
    """One version of the minutes, as it was (old versions stay readable)."""
    meeting = meeting_get_for(user=request.user, meeting_id=meeting_id)
    # Another meeting's minutes do not exist here, whatever the user's role (404 first).
    minutes = minutes_get(meeting=meeting, minutes_id=minutes_id)
    require_role(request.user, meeting.org.path, Role.VIEWER)
    context = _minutes_context(request, meeting, minutes, errors=[], can_manage=False)
    context["version_only"] = True
    return render(request, "meetings/minutes.html", context)


@login_required
@require_GET
def minutes_download(request: HttpRequest, meeting_id: int, minutes_id: int) -> HttpResponseBase:
    meeting = meeting_get_for(user=request.user, meeting_id=meeting_id)
    # Another meeting's minutes do not exist here, whatever the user's role (404 first).
    minutes = minutes_get(meeting=meeting, minutes_id=minutes_id)
    require_role(request.user, meeting.org.path, Role.VIEWER)
    response = HttpResponse(
        minutes_docx(meeting=meeting, minutes=minutes),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = minutes_filename(meeting=meeting, minutes=minutes)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    minutes_export_audit(minutes=minutes, filename=name, actor=_actor(request))
    return response
