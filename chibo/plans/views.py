"""Pages of studying and following: themes and unit plans, study sessions, the quiz, the
document library, commitments and their compliance.

Every object comes through the scoping layer (`org_get_for`, `theme_get_for`,
`document_get_for`, `commitment_get_for`), so anything outside the user's subtree answers
404; writes check the role with `require_role` (403 inside the scope, 404 outside). The
views only turn input into service calls and errors back into messages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import require_role, scope_for
from chibo.orgs.models import Level, Org
from chibo.orgs.selectors import org_ancestors_visible, org_get_for
from chibo.people.forms import apply_service_errors
from chibo.people.models import Person
from chibo.plans.files import content_disposition
from chibo.plans.forms import (
    RESULT_CHOICES,
    CommentForm,
    CommitmentForm,
    DocumentForm,
    QuestionForm,
    ReviewForm,
    SessionForm,
    ThemeForm,
    plan_items,
    plan_rows,
)
from chibo.plans.models import (
    Commitment,
    CommitmentStatus,
    ItemKind,
    ReportPeriod,
    Theme,
)
from chibo.plans.selectors import (
    STAGES,
    commitment_compliance,
    commitment_get_for,
    commitments_for_unit,
    compliance_missing,
    document_content_type,
    document_file_open,
    document_get_for,
    document_readers,
    library,
    membership_for,
    my_commitments,
    my_read,
    quiz_get,
    sessions_for,
    theme_get_for,
    theme_overview,
    themes_for_unit,
    themes_issued,
    unit_roll,
)
from chibo.plans.services import (
    CommitmentData,
    PlanItemData,
    SessionData,
    commitment_comment,
    commitment_report,
    commitment_review,
    commitment_save,
    commitment_submit,
    document_add,
    document_mark_read,
    quiz_question_add,
    quiz_submit,
    report_opens,
    study_session_record,
    theme_issue,
    unit_plan_save,
)


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return max(2016, min(year, today.year + 1))


def _role(request: HttpRequest, org: Org) -> Role | None:
    return scope_for(request.user).role_at(org.path)


def _can(request: HttpRequest, org: Org, role: Role) -> bool:
    found = _role(request, org)
    return found is not None and found >= role


def _me(request: HttpRequest) -> Person | None:
    person_id = scope_for(request.user).person_id
    return Person.objects.filter(pk=person_id).first() if person_id else None


def _base(request: HttpRequest, org: Org, year: int | None = None) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "org": org,
        "ancestors": org_ancestors_visible(user=request.user, org=org),
        "year": year or today.year,
        "years": list(range(today.year + 1, today.year - 4, -1)),
        "can_read": _can(request, org, Role.VIEWER),
        "can_edit": _can(request, org, Role.OFFICER) and org.is_active,
        "can_issue": _can(request, org, Role.COMMITTEE)
        and org.is_active
        and org.level not in (Level.BRANCH, Level.GROUP),
    }


# --- the entry page -----------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The member's commitments of the year, and the units whose study they follow."""
    year = _year(request)
    me = _me(request)
    mine = my_commitments(person=me, year=year) if me is not None else []
    scope = scope_for(request.user)
    units = list(
        Org.objects.visible_to(request.user, Role.MEMBER)
        .filter(path__in=list(scope.member_units()) + list(scope.roots(Role.VIEWER)))
        .order_by("path")
    )
    if scope.everything:
        units = list(Org.objects.filter(depth=1).order_by("path"))
    context = {"year": year, "mine": mine, "units": units, "me": me}
    return render(request, "plans/home.html", context)


# --- themes and plans -------------------------------------------------------------------------


@login_required
def unit(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    year = _year(request)
    context = _base(request, org, year)
    context |= {
        "themes": themes_for_unit(user=request.user, org=org, year=year),
        "issued": list(themes_issued(org=org)[:20]) if context["can_read"] else [],
        "sessions": sessions_for(org=org, year=year),
    }
    return render(request, "plans/unit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def theme_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.COMMITTEE)
    context = _base(request, org)
    if not context["can_issue"]:
        raise PermissionDenied
    today = timezone.localdate()
    form = ThemeForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": today.year, "kind": "annual", "issued_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            theme = theme_issue(
                org=org,
                data=form.theme_data(),
                document=form.document_data(),
                actor=_actor(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"org": "__all__"})
        else:
            messages.success(
                request,
                _("Đã ban hành chuyên đề “%(title)s” cho %(org)s và các đơn vị trực thuộc.")
                % {"title": theme.title, "org": org.name},
            )
            return redirect("theme_detail", code=org.code, theme_id=theme.pk)
    context["form"] = form
    return render(request, "plans/theme_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def theme_detail(request: HttpRequest, code: str, theme_id: int) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    theme = theme_get_for(user=request.user, org=org, theme_id=theme_id)
    year = _year(request) if theme.covers(_year(request)) else max(theme.year, min(
        timezone.localdate().year, theme.end_year))  # fmt: skip
    context = _base(request, org, year)
    overview = theme_overview(user=request.user, org=org, theme=theme, year=year)
    saved = [
        PlanItemData(what=i.what, due_on=i.due_on, who=i.who)
        for i in (overview.plan.items.all() if overview.plan else [])
    ]
    posted = request.method == "POST"
    rows = plan_rows(request.POST if posted else None, saved)
    errors: list[str] = []
    if posted:
        if not context["can_edit"]:
            raise PermissionDenied
        items, errors = plan_items(rows)
        if not errors:
            try:
                unit_plan_save(
                    org=org,
                    theme=theme,
                    year=year,
                    summary=request.POST.get("summary", ""),
                    items=items,
                    actor=_actor(request),
                )
            except ValidationError as error:
                errors = [f"{m}" for m in error.messages]
            else:
                messages.success(
                    request,
                    _("Đã lưu kế hoạch thực hiện chuyên đề năm %(year)s của %(org)s.")
                    % {"year": year, "org": org.name},
                )
                url = reverse("theme_detail", args=[org.code, theme.pk])
                return redirect(f"{url}?year={year}")
    context |= {
        "theme": theme,
        "overview": overview,
        "rows": rows,
        "plan_errors": errors,
        "summary": request.POST.get("summary", "")
        if posted
        else getattr(overview.plan, "summary", ""),
        "theme_years": range(theme.year, theme.end_year + 1),
    }
    return render(request, "plans/theme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def theme_quiz(request: HttpRequest, code: str, theme_id: int) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    theme = theme_get_for(user=request.user, org=org, theme_id=theme_id)
    me = _me(request)
    member = membership_for(person=me, org=org) if me is not None else None
    can_add = theme.org_id == org.pk and _can(request, org, Role.COMMITTEE) and org.is_active
    action = request.POST.get("action", "") if request.method == "POST" else ""
    question_form = QuestionForm(request.POST if action == "question" else None)
    errors: dict[str, list[str]] = {}
    chosen: dict[int, int] = {}
    if action == "question":
        if not can_add:
            raise PermissionDenied
        if question_form.is_valid():
            try:
                quiz_question_add(
                    theme=theme,
                    question=question_form.cleaned_data["question"],
                    answer=question_form.cleaned_data["answer"],
                    choices=question_form.choice_list(),
                    correct=question_form.cleaned_data["correct"],
                    actor=_actor(request),
                )
            except ValidationError as error:
                apply_service_errors(question_form, error)
            else:
                messages.success(request, _("Đã thêm câu hỏi – đáp."))
                return redirect("theme_quiz", code=org.code, theme_id=theme.pk)
    elif action == "answer":
        if member is None or me is None:
            raise PermissionDenied
        for key in request.POST:
            value = request.POST.get(key, "")
            if key.startswith("q") and key[1:].isdigit() and value.isdigit():
                chosen[int(key[1:])] = int(value)
        try:
            attempt = quiz_submit(
                theme=theme, person=me, org=org, answers=chosen, actor=_actor(request)
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(
                request,
                _("Đồng chí trả lời đúng %(score)s/%(total)s câu.")
                % {"score": attempt.score, "total": attempt.total},
            )
            return redirect("theme_quiz", code=org.code, theme_id=theme.pk)
    overview_attempt = None
    if me is not None:
        overview_attempt = theme.attempts.filter(person=me).first()
    context = _base(request, org)
    context |= {
        "theme": theme,
        "questions": quiz_get(theme=theme),
        "member": member,
        "attempt": overview_attempt,
        "errors": errors,
        "chosen": chosen,
        "can_add": can_add,
        "question_form": question_form,
    }
    return render(request, "plans/quiz.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.OFFICER)
    today = timezone.localdate()
    themes = Theme.objects.visible_to(request.user, Role.MEMBER).reaching(org).covering(today.year)
    roll = unit_roll(org=org)
    form = SessionForm(
        request.POST or None,
        themes=themes,
        people=[(m.person_id, m.person.full_name) for m in roll],
        initial={"held_on": today, "attendee": [m.person_id for m in roll]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = study_session_record(
                org=org,
                data=SessionData(
                    held_on=data["held_on"],
                    title=data["title"],
                    theme=data.get("theme"),
                    place=data.get("place", ""),
                    note=data.get("note", ""),
                ),
                attendee_ids=data["attendee"],
                actor=_actor(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"attendees": "attendee", "org": "__all__"})
        else:
            messages.success(
                request,
                _("Đã ghi buổi học tập ngày %(day)s với %(count)s người dự.")
                % {"day": session.held_on.strftime("%d/%m/%Y"), "count": len(data["attendee"])},
            )
            return redirect("plans_unit", code=org.code)
    context = _base(request, org) | {"form": form, "roll": roll}
    return render(request, "plans/session_form.html", context)


# --- the document library ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def library_view(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    context = _base(request, org)
    themes = Theme.objects.visible_to(request.user, Role.MEMBER).reaching(org)
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        themes=themes,
        initial={"issued_on": timezone.localdate(), "kind": "material"},
    )
    if request.method == "POST":
        require_role(request.user, org.path, Role.OFFICER)
        if not org.is_active:
            raise PermissionDenied
        if form.is_valid():
            try:
                document = document_add(
                    org=org,
                    data=form.document_data(),
                    theme=form.cleaned_data.get("theme"),
                    actor=_actor(request),
                )
            except ValidationError as error:
                apply_service_errors(form, error, aliases={"org": "__all__"})
            else:
                messages.success(
                    request, _("Đã đưa “%(title)s” vào tủ tài liệu.") % {"title": document.title}
                )
                return redirect("document_detail", code=org.code, entry_id=document.pk)
    context |= {"documents": library(user=request.user, org=org), "form": form}
    return render(request, "plans/library.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def document_detail(request: HttpRequest, code: str, entry_id: int) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    document = document_get_for(user=request.user, org=org, document_id=entry_id)
    me = _me(request)
    member = membership_for(person=me, org=org) if me is not None else None
    if request.method == "POST":
        if member is None or me is None:
            raise PermissionDenied
        try:
            document_mark_read(document=document, person=me, org=org, actor=_actor(request))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã ghi nhận đồng chí đã đọc tài liệu này."))
        return redirect("document_detail", code=org.code, entry_id=document.pk)
    context = _base(request, org)
    context |= {
        "document": document,
        "member": member,
        "my_read": my_read(document=document, person_id=me.pk if me else None),
        "readers": document_readers(document=document, org=org) if context["can_read"] else None,
    }
    return render(request, "plans/document.html", context)


@login_required
@require_GET
def document_file(request: HttpRequest, code: str, entry_id: int) -> FileResponse:
    """The attached file, to whoever may read the document (404 for anyone else, and for a
    document without a file). Downloading is not reading: the member still confirms with
    “Tôi đã đọc”, which is what the committee counts."""
    org = org_get_for(user=request.user, code=code)
    document = document_get_for(user=request.user, org=org, document_id=entry_id)
    handle = document_file_open(document=document)
    if handle is None:
        raise Http404
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.file_name,
        content_type=document_content_type(document=document),
    )
    response["Content-Disposition"] = content_disposition(document.file_name)
    # The file is sent only after the scope check: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


# --- commitments ----------------------------------------------------------------------------


@login_required
def compliance(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.VIEWER)
    year = _year(request)
    stage = request.GET.get("missing", "")
    stages = dict(STAGES)
    context = _base(request, org, year)
    context |= {
        "result": commitment_compliance(org=org, year=year),
        "stages": STAGES,
        "stage": stage if stage in stages else "",
        "stage_label": stages.get(stage, ""),
        "missing": compliance_missing(org=org, year=year, stage=stage) if stage in stages else None,
        "commitments": commitments_for_unit(org=org, year=year),
    }
    return render(request, "plans/compliance.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def commitment_write(request: HttpRequest, code: str) -> HttpResponse:
    """The member writes (or rewrites, while a draft or returned) their commitment of the
    year at this unit."""
    org = org_get_for(user=request.user, code=code)
    me = _me(request)
    member = membership_for(person=me, org=org) if me is not None else None
    if member is None or me is None:
        raise PermissionDenied
    year = _year(request)
    existing = Commitment.objects.filter(person=me, year=year, family=org.family).first()
    if existing is not None and not existing.editable:
        # Handed in already: the page says so and links to it (nothing left to write).
        context = _base(request, org, year) | {"existing": existing, "me": me, "locked": True}
        return render(request, "plans/commitment_form.html", context)
    initial: dict[str, Any] = {"job_position": me.job_position or me.occupation}
    if existing is not None:
        items = list(existing.items.all())
        initial = {
            "job_position": existing.job_position,
            "pledge": existing.pledge,
            "commitment_items": "\n".join(i.text for i in items if i.kind == ItemKind.COMMITMENT),
            "plan_items": "\n".join(i.text for i in items if i.kind == ItemKind.PLAN),
        }
    form = CommitmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = commitment_save(
                person=me,
                org=org,
                year=year,
                data=CommitmentData(
                    job_position=form.cleaned_data["job_position"],
                    pledge=form.cleaned_data.get("pledge", ""),
                    items=form.items(),
                ),
                actor=_actor(request),
            )
            if request.POST.get("submit"):
                commitment = commitment_submit(commitment=commitment, actor=_actor(request))
        except ValidationError as error:
            apply_service_errors(
                form, error, aliases={"person": "__all__", "status": "__all__", "year": "__all__"}
            )
        else:
            if commitment.status == CommitmentStatus.SUBMITTED:
                messages.success(request, _("Đã gửi bản cam kết để bí thư duyệt."))
            else:
                messages.success(request, _("Đã lưu bản nháp cam kết."))
            return redirect("commitment_detail", commitment_id=commitment.pk)
    context = _base(request, org, year) | {"form": form, "existing": existing, "me": me}
    return render(request, "plans/commitment_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def commitment_detail(request: HttpRequest, commitment_id: int) -> HttpResponse:
    commitment = commitment_get_for(user=request.user, commitment_id=commitment_id)
    scope = scope_for(request.user)
    is_mine = scope.person_id == commitment.person_id
    can_review = scope.can(commitment.org.path, Role.OFFICER) and commitment.org.is_active
    # One's own commitment is approved by a deputy or the committee above (the service
    # refuses it too): no approve button for it.
    can_approve = can_review and not is_mine
    today = timezone.localdate()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    review_form = ReviewForm(request.POST if action in ("approve", "return") else None)
    comment_form = CommentForm(request.POST if action == "comment" else None)
    report_errors: dict[str, list[str]] = {}
    if action:
        done = ""
        try:
            if action in ("approve", "return"):
                if not can_review:
                    raise PermissionDenied
                if review_form.is_valid():
                    commitment_review(
                        commitment=commitment,
                        approve=action == "approve",
                        comment=review_form.cleaned_data.get("comment", ""),
                        actor=_actor(request),
                    )
                    done = (
                        _("Đã duyệt bản cam kết.")
                        if action == "approve"
                        else _("Đã trả lại bản cam kết để đảng viên sửa.")
                    )
            elif action == "submit":
                if not is_mine:
                    raise PermissionDenied
                commitment_submit(commitment=commitment, actor=_actor(request))
                done = _("Đã gửi bản cam kết để bí thư duyệt.")
            elif action in ReportPeriod.values:
                if not is_mine:
                    raise PermissionDenied
                results = {
                    item.pk: (
                        request.POST.get(f"result-{item.pk}", ""),
                        request.POST.get(f"evidence-{item.pk}", ""),
                    )
                    for item in commitment.items.all()
                }
                commitment_report(
                    commitment=commitment, period=action, results=results, actor=_actor(request)
                )
                done = _("Đã gửi bản tự đánh giá.")
            elif action == "comment":
                if not can_review:
                    raise PermissionDenied
                if comment_form.is_valid():
                    commitment_comment(
                        commitment=commitment,
                        period=comment_form.cleaned_data["period"],
                        comment=comment_form.cleaned_data["comment"],
                        actor=_actor(request),
                    )
                    done = _("Đã ghi nhận xét.")
            else:
                messages.error(request, _("Không rõ thao tác cần làm; hãy thử lại từ trang này."))
        except ValidationError as error:
            if action in ReportPeriod.values:
                report_errors = error.message_dict
            elif action == "comment":
                apply_service_errors(comment_form, error, aliases={"period": "__all__"})
            elif not can_approve:
                # The review form is not on the page for one's own commitment.
                for message in error.messages:
                    messages.error(request, message)
            else:
                apply_service_errors(review_form, error, aliases={"status": "__all__"})
        if done:
            messages.success(request, done)
            return redirect("commitment_detail", commitment_id=commitment.pk)
        commitment = commitment_get_for(user=request.user, commitment_id=commitment_id)
    items = list(commitment.items.all())
    periods = []
    for period, label in ReportPeriod.choices:
        opens = report_opens(period, commitment.year)
        periods.append(
            {
                "code": period,
                "label": label,
                "opens": opens,
                "open": today >= opens,
                "reported": commitment.reported_at(period),
                "comment": commitment.mid_comment
                if period == ReportPeriod.MID
                else commitment.end_comment,
                "rows": [
                    {
                        "item": item,
                        "result": request.POST.get(f"result-{item.pk}", item.result(period))
                        if action == period
                        else item.result(period),
                        "evidence": request.POST.get(f"evidence-{item.pk}", "")
                        if action == period
                        else item.evidence(period),
                        "error": report_errors.get(f"item{item.pk}", []),
                    }
                    for item in items
                ],
                "errors": [
                    message
                    for key, messages_ in report_errors.items()
                    if not key.startswith("item") and action == period
                    for message in messages_
                ],
            }
        )
    context = {
        "commitment": commitment,
        "org": commitment.org,
        "ancestors": org_ancestors_visible(user=request.user, org=commitment.org),
        "commitment_items": [i for i in items if i.kind == ItemKind.COMMITMENT],
        "plan_items": [i for i in items if i.kind == ItemKind.PLAN],
        "is_mine": is_mine,
        "can_review": can_review,
        "can_approve": can_approve,
        "review_form": review_form,
        "comment_form": comment_form,
        "periods": periods,
        "results": RESULT_CHOICES,
        "approved": commitment.status == CommitmentStatus.APPROVED,
    }
    return render(request, "plans/commitment.html", context)
