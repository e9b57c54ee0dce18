"""Pages of a round: the rounds of an org, the round's progress, the member's
self-assessment, the cell's proposals, the committee's decisions and one evaluation.

Every object comes through the scoping layer (404 outside the scope), every write is
checked with `require_role` (403 inside but not allowed) and done by a service; the views
only turn input into service calls and errors back into messages on the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import require_role, scope_for
from chibo.evaluation.forms import (
    DecideForm,
    ProposalForm,
    ReopenForm,
    RoundOpenForm,
    SelfForm,
    UnitProposalForm,
)
from chibo.evaluation.models import Grade, MemberEvaluation, Round, RoundStatus, UnitEvaluation
from chibo.evaluation.rules import rule_set
from chibo.evaluation.rules.base import RuleSet
from chibo.evaluation.selectors import (
    base_of,
    evaluation_get_for,
    evaluation_home,
    evidence_for,
    grade_choices,
    history,
    member_rows,
    own_evaluation,
    quota_check,
    round_covering,
    round_get_for,
    round_progress,
    rounds_of,
)
from chibo.evaluation.services import (
    evaluation_decide,
    evaluation_propose,
    evaluation_reopen,
    evaluation_self_submit,
    evaluations_decide_as_proposed,
    round_finalise,
    round_open,
    unit_criteria,
    unit_evaluation_decide,
    unit_evaluation_propose,
    unit_evaluation_self_submit,
)
from chibo.orgs.models import Family, Level
from chibo.orgs.selectors import org_get_for
from chibo.people.forms import apply_service_errors


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required let only users through
    return request.user


def _can(user: User, path: str, role: Role) -> bool:
    return scope_for(user).can(path, role)


def _rules(round_: Round) -> RuleSet:
    return rule_set(round_.rule_set)


def round_name(user: User, round_: Round) -> str:
    """The round's org by name for those who open it; others (a cell's members in the
    commune's round) are not told the names of orgs outside their scope."""
    if _can(user, round_.org.path, Role.MEMBER):
        return round_.org.name
    return _("Đợt đánh giá, xếp loại năm %(year)s") % {"year": round_.year}


def _errors_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/home.html", {"home": evaluation_home(user=_user(request))})


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    can_open = (
        _can(user, org.path, Role.COMMITTEE)
        and org.is_active
        and org.level not in (Level.BRANCH, Level.GROUP)
    )
    form = RoundOpenForm(
        request.POST if request.method == "POST" else None,
        initial=RoundOpenForm.defaults(timezone.localdate()),
    )
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied
        if form.is_valid():
            try:
                opened = round_open(
                    user=user,
                    org=org,
                    year=form.cleaned_data["year"],
                    reference_date=form.cleaned_data["reference_date"],
                    rule_set_code=form.cleaned_data["rule_set"],
                    deadlines=form.deadlines(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Đã mở đợt đánh giá, xếp loại năm %(year)s.") % {"year": opened.year},
                )
                return redirect("evaluation_round", opened.pk)
    listed = rounds_of(org=org)
    for item in listed:
        item.shown_name = round_name(user, item)  # type: ignore[attr-defined]
    return render(
        request,
        "evaluation/rounds.html",
        {"org": org, "rounds": listed, "form": form, "can_open": can_open},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _user(request)
    round_ = round_get_for(user=user, round_id=round_id)
    can_finalise = _can(user, round_.org.path, Role.COMMITTEE)
    refusal = ""
    if request.method == "POST":
        if not can_finalise:
            raise PermissionDenied
        try:
            round_finalise(user=user, round=round_)
        except ValidationError as error:
            refusal = _errors_text(error)
        else:
            messages.success(request, _("Đã hoàn thành đợt đánh giá, xếp loại."))
            return redirect("evaluation_round", round_.pk)
    progress = round_progress(user=user, round_=round_)
    scope = scope_for(user)
    rows = [
        {
            "p": p,
            "can_read": scope.can(p.org.path, Role.VIEWER),
            "can_decide": p.org.level == Level.BASE and scope.can(p.org.path, Role.COMMITTEE),
        }
        for p in progress
    ]
    return render(
        request,
        "evaluation/round.html",
        {
            "round": round_,
            "round_name": round_name(user, round_),
            "rules": _rules(round_),
            "rows": rows,
            "own": own_evaluation(user=user, round_=round_),
            "can_finalise": can_finalise and round_.status == RoundStatus.OPEN,
            "refusal": refusal,
            "totals": {
                "total": sum(p.total for p in progress),
                "excluded": sum(p.excluded for p in progress),
                "self_done": sum(p.self_done for p in progress),
                "proposed": sum(p.proposed for p in progress),
                "decided": sum(p.decided for p in progress),
            },
        },
    )


def _writable(evaluation: MemberEvaluation | UnitEvaluation) -> bool:
    return evaluation.round.status == RoundStatus.OPEN and not evaluation.is_locked


@login_required
@require_http_methods(["GET", "POST"])
def self_page(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _user(request)
    round_ = round_get_for(user=user, round_id=round_id)
    evaluation = own_evaluation(user=user, round_=round_)
    rules = _rules(round_)
    form: SelfForm | None = None
    if evaluation is not None and not evaluation.is_excluded:
        form = SelfForm(
            request.POST if request.method == "POST" else None,
            initial=SelfForm.initial_for(evaluation),
            criteria=rules.member_criteria,
            grades=grade_choices(round_),
            scored=rules.scored,
        )
    if request.method == "POST":
        if evaluation is None or form is None or not _writable(evaluation):
            raise PermissionDenied
        if form.is_valid():
            try:
                evaluation_self_submit(
                    user=user,
                    evaluation=evaluation,
                    revision=form.cleaned_data["revision"],
                    data=form.assessment(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Đã gửi bản tự đánh giá, xếp loại."))
                return redirect("evaluation_self", round_.pk)
    return render(
        request,
        "evaluation/self.html",
        {
            "round": round_,
            "round_name": round_name(user, round_),
            "rules": rules,
            "evaluation": evaluation,
            "form": form,
            "writable": evaluation is not None and _writable(evaluation),
        },
    )


def _proposal_form(
    request: HttpRequest, evaluation: MemberEvaluation, rules: RuleSet, posted: bool
) -> ProposalForm:
    return ProposalForm(
        request.POST if posted else None,
        prefix=f"m{evaluation.pk}",
        initial=ProposalForm.initial_for(evaluation),
        grades=grade_choices(evaluation.round),
        scored=rules.scored,
    )


def _post_proposal(
    request: HttpRequest, user: User, evaluation: MemberEvaluation, form: ProposalForm
) -> bool:
    if not form.is_valid():
        return False
    try:
        evaluation_propose(
            user=user,
            evaluation=evaluation,
            revision=form.cleaned_data["revision"],
            data=form.proposal(),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    messages.success(
        request,
        _("Đã lưu nhận xét, đề xuất cho %(name)s.") % {"name": evaluation.person.full_name},
    )
    return True


def _posted_id(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def cell_page(request: HttpRequest, round_id: int, code: str) -> HttpResponse:
    user = _user(request)
    org = org_get_for(user=user, code=code)
    round_ = round_covering(user=user, round_id=round_id, org=org)
    require_role(user, org.path, Role.VIEWER)
    rules = _rules(round_)
    can_write = _can(user, org.path, Role.OFFICER) and round_.status == RoundStatus.OPEN
    rows = member_rows(round_=round_, org=org, exact=True)
    unit = (
        UnitEvaluation.objects.filter(round=round_, org=org).select_related("round", "org").first()
    )
    posted_row = _posted_id(request, "evaluation") if request.method == "POST" else None
    unit_posted = request.method == "POST" and "unit_self" in request.POST
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if posted_row is None and not unit_posted:
            raise Http404
    lines = []
    for row in rows:
        ev = row.evaluation
        form = None
        if can_write and not ev.is_excluded and not ev.is_locked:
            form = _proposal_form(request, ev, rules, posted=ev.pk == posted_row)
            if ev.pk == posted_row and _post_proposal(request, user, ev, form):
                return redirect(
                    reverse("evaluation_cell", args=[round_.pk, org.code]) + f"#m{ev.pk}"
                )
        lines.append({"row": row, "form": form})
    if posted_row is not None and posted_row not in {row.evaluation.pk for row in rows}:
        raise Http404
    unit_form: SelfForm | None = None
    if unit is not None and can_write and not unit.is_locked:
        family = "party" if org.family == Family.PARTY else org.family
        unit_form = SelfForm(
            request.POST if unit_posted else None,
            prefix="unit",
            initial=SelfForm.initial_for(unit),
            criteria=unit_criteria(rules, org.family),
            grades=[(g.value, g.label) for g in rules.unit_grades(family=family)],
            scored=False,
        )
        if unit_posted and unit_form.is_valid():
            try:
                unit_evaluation_self_submit(
                    user=user,
                    evaluation=unit,
                    revision=unit_form.cleaned_data["revision"],
                    data=unit_form.assessment(),
                )
            except ValidationError as error:
                apply_service_errors(unit_form, error)
            else:
                messages.success(request, _("Đã lưu bản tự đánh giá của tập thể."))
                return redirect("evaluation_cell", round_.pk, org.code)
    elif unit_posted:
        raise PermissionDenied
    return render(
        request,
        "evaluation/cell.html",
        {
            "round": round_,
            "round_name": round_name(user, round_),
            "rules": rules,
            "org": org,
            "lines": lines,
            "unit": unit,
            "unit_form": unit_form,
            "can_write": can_write,
            "can_decide": _can(user, org.path, Role.COMMITTEE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide_page(request: HttpRequest, round_id: int, code: str) -> HttpResponse:
    user = _user(request)
    org = org_get_for(user=user, code=code)
    round_ = round_covering(user=user, round_id=round_id, org=org)
    require_role(user, org.path, Role.COMMITTEE)
    rules = _rules(round_)
    is_open = round_.status == RoundStatus.OPEN
    can_finalise = is_open and _can(user, round_.org.path, Role.COMMITTEE)
    rows = member_rows(round_=round_, org=org, with_evidence=False)
    grades = grade_choices(round_)
    posted_row = _posted_id(request, "evaluation") if request.method == "POST" else None
    refusal = ""
    if request.method == "POST":
        if not is_open:
            raise PermissionDenied
        if "finalise" in request.POST:
            if not can_finalise:
                raise PermissionDenied
            try:
                round_finalise(user=user, round=round_)
            except ValidationError as error:
                refusal = _errors_text(error)
            else:
                messages.success(request, _("Đã hoàn thành đợt đánh giá, xếp loại."))
                return redirect("evaluation_round", round_.pk)
        elif "as_proposed" in request.POST:
            revisions = {
                row.evaluation.pk: _posted_id(request, f"rev-{row.evaluation.pk}")
                for row in rows
                if f"rev-{row.evaluation.pk}" in request.POST
            }
            try:
                done = evaluations_decide_as_proposed(
                    user=user, round_=round_, org=org, revisions=revisions
                )
            except ValidationError as error:
                refusal = _errors_text(error)
            else:
                messages.success(
                    request,
                    _("Đã quyết định %(count)s đảng viên theo đề xuất của chi bộ.")
                    % {"count": done},
                )
                return redirect("evaluation_decide", round_.pk, org.code)
        elif posted_row is None or posted_row not in {r.evaluation.pk for r in rows}:
            raise Http404
    lines = []
    for row in rows:
        ev = row.evaluation
        form = None
        if is_open and not ev.is_excluded and not ev.is_locked:
            form = DecideForm(
                request.POST if ev.pk == posted_row else None,
                prefix=f"d{ev.pk}",
                initial={"revision": ev.revision, "grade": ev.proposed_grade},
                grades=grades,
            )
            if ev.pk == posted_row and form.is_valid():
                try:
                    evaluation_decide(
                        user=user,
                        evaluation=ev,
                        revision=form.cleaned_data["revision"],
                        grade=form.cleaned_data["grade"],
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("Đã quyết định xếp loại %(name)s: %(grade)s.")
                        % {
                            "name": ev.person.full_name,
                            "grade": Grade(form.cleaned_data["grade"]).label,
                        },
                    )
                    return redirect(
                        reverse("evaluation_decide", args=[round_.pk, org.code]) + f"#d{ev.pk}"
                    )
        lines.append({"row": row, "form": form})
    base = base_of(org)
    quota = quota_check(round_=round_, base=base) if base is not None else None
    return render(
        request,
        "evaluation/decide.html",
        {
            "round": round_,
            "rules": rules,
            "org": org,
            "base": base,
            "lines": lines,
            "quota": quota,
            "quota_percent": f"{rules.excellent_quota * 100:.0f}",
            "base_grades": " ".join(str(g) for g in rules.quota_base_grades),
            "waiting_proposed": [
                r.evaluation
                for r in rows
                if r.evaluation.proposed_grade
                and not r.evaluation.is_locked
                and not r.evaluation.is_excluded
            ],
            "can_finalise": can_finalise,
            "refusal": refusal,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_page(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = _user(request)
    evaluation = evaluation_get_for(user=user, evaluation_id=evaluation_id)
    round_ = evaluation.round
    rules = _rules(round_)
    path = evaluation.org.path
    writable = _writable(evaluation) and not evaluation.is_excluded
    can_propose = writable and _can(user, path, Role.OFFICER)
    can_decide = writable and _can(user, path, Role.COMMITTEE)
    can_reopen = evaluation.is_locked and _can(user, path, Role.COMMITTEE)
    posted = request.POST.get("do", "") if request.method == "POST" else ""
    if posted and posted not in {"propose", "decide", "reopen"}:
        raise Http404
    allowed = {"propose": can_propose, "decide": can_decide, "reopen": can_reopen}
    if request.method == "POST" and not allowed.get(posted):
        raise PermissionDenied
    target = reverse("evaluation_member", args=[evaluation.pk])
    propose_form = None
    if can_propose:
        propose_form = _proposal_form(request, evaluation, rules, posted=posted == "propose")
        if posted == "propose" and _post_proposal(request, user, evaluation, propose_form):
            return redirect(target)
    decide_form = None
    if can_decide:
        decide_form = DecideForm(
            request.POST if posted == "decide" else None,
            initial={"revision": evaluation.revision, "grade": evaluation.proposed_grade},
            grades=grade_choices(round_),
        )
        if posted == "decide" and decide_form.is_valid():
            try:
                evaluation_decide(
                    user=user,
                    evaluation=evaluation,
                    revision=decide_form.cleaned_data["revision"],
                    grade=decide_form.cleaned_data["grade"],
                    note=decide_form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_service_errors(decide_form, error)
            else:
                messages.success(request, _("Đã quyết định xếp loại."))
                return redirect(target)
    reopen_form = None
    if can_reopen:
        reopen_form = ReopenForm(
            request.POST if posted == "reopen" else None,
            initial={"revision": evaluation.revision},
        )
        if posted == "reopen" and reopen_form.is_valid():
            try:
                evaluation_reopen(
                    user=user,
                    evaluation=evaluation,
                    reason=reopen_form.cleaned_data["reason"],
                    revision=reopen_form.cleaned_data["revision"],
                )
            except ValidationError as error:
                apply_service_errors(reopen_form, error)
            else:
                messages.success(request, _("Đã mở lại quyết định; lý do được ghi vào lịch sử."))
                return redirect(target)
    sheet = [
        (c, evaluation.self_text.get(c.code, ""), evaluation.score_sheet.get(c.code))
        for c in rules.member_criteria
    ]
    evidence = evidence_for(org=evaluation.org, year=round_.year, person_ids=[evaluation.person_id])
    return render(
        request,
        "evaluation/member.html",
        {
            "evaluation": evaluation,
            "round": round_,
            "rules": rules,
            "sheet": sheet,
            "evidence": evidence[evaluation.person_id],
            "propose_form": propose_form,
            "decide_form": decide_form,
            "reopen_form": reopen_form,
            "history": list(history(subject=evaluation)[:50]),
            "is_self": evaluation.person.user_id == user.pk,
            "can_read_unit": _can(user, path, Role.VIEWER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_page(request: HttpRequest, round_id: int, code: str) -> HttpResponse:
    """The level above grades a unit: its proposal and decision (a cell's by the
    grassroots committee). Reached from the round page."""
    user = _user(request)
    org = org_get_for(user=user, code=code)
    round_ = round_covering(user=user, round_id=round_id, org=org)
    require_role(user, org.path, Role.VIEWER)
    unit = UnitEvaluation.objects.filter(round=round_, org=org).select_related("round", "org")
    evaluation = unit.first()
    if evaluation is None:
        raise Http404
    rules = _rules(round_)
    family = "party" if org.family == Family.PARTY else org.family
    grades = [(g.value, g.label) for g in rules.unit_grades(family=family)]
    above = org.parent_path or org.path
    writable = _writable(evaluation)
    can_propose = writable and _can(user, above, Role.OFFICER)
    can_decide = writable and _can(user, above, Role.COMMITTEE)
    posted = request.POST.get("do", "") if request.method == "POST" else ""
    if request.method == "POST" and not {"propose": can_propose, "decide": can_decide}.get(posted):
        raise PermissionDenied
    propose_form = None
    if can_propose:
        propose_form = UnitProposalForm(
            request.POST if posted == "propose" else None,
            initial={
                "revision": evaluation.revision,
                "review_comment": evaluation.review_comment,
                "proposed_grade": evaluation.proposed_grade or evaluation.self_grade,
            },
            grades=grades,
        )
        if posted == "propose" and propose_form.is_valid():
            try:
                unit_evaluation_propose(
                    user=user,
                    evaluation=evaluation,
                    revision=propose_form.cleaned_data["revision"],
                    comment=propose_form.cleaned_data["review_comment"],
                    grade=propose_form.cleaned_data["proposed_grade"],
                )
            except ValidationError as error:
                apply_service_errors(propose_form, error)
            else:
                messages.success(request, _("Đã lưu đề xuất xếp loại tập thể."))
                return redirect("evaluation_unit", round_.pk, org.code)
    decide_form = None
    if can_decide:
        decide_form = DecideForm(
            request.POST if posted == "decide" else None,
            initial={"revision": evaluation.revision, "grade": evaluation.proposed_grade},
            grades=grades,
        )
        if posted == "decide" and decide_form.is_valid():
            try:
                unit_evaluation_decide(
                    user=user,
                    evaluation=evaluation,
                    revision=decide_form.cleaned_data["revision"],
                    grade=decide_form.cleaned_data["grade"],
                    note=decide_form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_service_errors(decide_form, error)
            else:
                messages.success(request, _("Đã quyết định xếp loại tập thể."))
                return redirect("evaluation_unit", round_.pk, org.code)
    texts = [(c, evaluation.self_text.get(c.code, "")) for c in unit_criteria(rules, org.family)]
    context: dict[str, Any] = {
        "round": round_,
        "round_name": round_name(user, round_),
        "org": org,
        "evaluation": evaluation,
        "texts": texts,
        "propose_form": propose_form,
        "decide_form": decide_form,
        "history": list(history(subject=evaluation)[:50]),
    }
    return render(request, "evaluation/unit.html", context)
