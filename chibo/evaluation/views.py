"""Pages of a round: the rounds of an org, the round's progress, the member's
self-assessment, the cell's proposals, the committee's decisions and one evaluation.

Every object comes through the scoping layer (404 outside the scope), every write is
checked with `require_role` (403 inside but not allowed) and done by a service; the views
only turn input into service calls and errors back into messages on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
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
from chibo.evaluation.models import MemberEvaluation, Round, RoundStatus, UnitEvaluation
from chibo.evaluation.rules import rule_set
from chibo.evaluation.rules.base import RuleSet
from chibo.evaluation.selectors import (
    awaiting_decision,
    base_of,
    evaluation_get_for,
    evaluation_home,
    evaluation_writable,
    evidence_for,
    grade_choices,
    history,
    member_rows,
    own_evaluation,
    progress_totals,
    quota_check,
    round_can_open,
    round_covering,
    round_get_for,
    round_progress,
    rounds_of,
    unit_evaluation_for,
)
from chibo.evaluation.services import (
    evaluation_decide,
    evaluation_propose,
    evaluation_reopen,
    evaluation_self_submit,
    evaluations_decide_as_proposed,
    grade_label,
    round_finalise,
    round_open,
    unit_criteria,
    unit_evaluation_decide,
    unit_evaluation_propose,
    unit_evaluation_reopen,
    unit_evaluation_self_submit,
)
from chibo.orgs.models import Level
from chibo.orgs.selectors import org_get_for
from chibo.people.forms import apply_service_errors

_T = TypeVar("_T")
_Ev = TypeVar("_Ev", MemberEvaluation, UnitEvaluation)


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


def _data(request: HttpRequest, posted: bool) -> QueryDict | None:
    """The posted data for the one form that was sent; the page's other forms stay unbound."""
    return request.POST if posted else None


def _submit(
    request: HttpRequest,
    form: forms.Form,
    write: Callable[[dict[str, Any]], _T],
    success: str | Callable[[_T], str],
) -> _T | None:
    """Hand a valid form's data to `write` (one service call). The service's refusals go
    back onto the form's fields; on success the message is queued and the service's
    result returned, so the caller redirects."""
    if not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    messages.success(request, success if isinstance(success, str) else success(result))
    return result


def _written(
    request: HttpRequest,
    form: forms.Form,
    write: Callable[[dict[str, Any]], object],
    success: str | Callable[[Any], str],
) -> bool:
    """`_submit` where only whether it was written matters."""
    return _submit(request, form, write, success) is not None


def _finalise(request: HttpRequest, user: User, round_: Round) -> str:
    """Finalise the round: "" when done (the message is queued), else the refusal to show."""
    try:
        round_finalise(user=user, round=round_)
    except ValidationError as error:
        return _errors_text(error)
    messages.success(request, _("Đã hoàn thành đợt đánh giá, xếp loại."))
    return ""


def _decide_form(
    request: HttpRequest,
    evaluation: MemberEvaluation | UnitEvaluation,
    grades: list[Any],
    *,
    posted: bool,
    prefix: str | None = None,
) -> DecideForm:
    return DecideForm(
        _data(request, posted),
        prefix=prefix,
        initial={"revision": evaluation.revision, "grade": evaluation.proposed_grade},
        grades=grades,
    )


def _action(request: HttpRequest, **allowed: bool) -> str:
    """Which of a page's forms was posted ("" on GET): 404 for one the page does not have,
    403 for one this user may not send."""
    if request.method != "POST":
        return ""
    posted = request.POST.get("do", "")
    if posted not in allowed:
        raise Http404
    if not allowed[posted]:
        raise PermissionDenied
    return posted


def _reopen_form(
    request: HttpRequest, evaluation: MemberEvaluation | UnitEvaluation, *, posted: bool
) -> ReopenForm:
    return ReopenForm(_data(request, posted), initial={"revision": evaluation.revision})


def _reopened(
    request: HttpRequest,
    user: User,
    evaluation: MemberEvaluation | UnitEvaluation,
    form: ReopenForm,
) -> bool:
    """Reopen the decision on a member or a unit; the reason goes into its history."""
    reopen: Callable[..., object] = (
        evaluation_reopen if isinstance(evaluation, MemberEvaluation) else unit_evaluation_reopen
    )
    return _written(
        request,
        form,
        lambda data: reopen(
            user=user, evaluation=evaluation, reason=data["reason"], revision=data["revision"]
        ),
        _("Đã mở lại quyết định; lý do được ghi vào lịch sử."),
    )


def _decision_said(name: str, decided: MemberEvaluation) -> str:
    return _("Đã quyết định xếp loại %(name)s: %(grade)s.") % {
        "name": name,
        "grade": grade_label(decided.decided_grade),
    }


def _deciding(user: User, evaluation: _Ev) -> Callable[[dict[str, Any]], _Ev]:
    """The write of a decision form: the member's or the unit's decision service."""
    decide: Callable[..., _Ev] = (
        evaluation_decide if isinstance(evaluation, MemberEvaluation) else unit_evaluation_decide
    )

    def write(data: dict[str, Any]) -> _Ev:
        return decide(
            user=user,
            evaluation=evaluation,
            revision=data["revision"],
            grade=data["grade"],
            note=data["note"],
        )

    return write


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/home.html", {"home": evaluation_home(user=_user(request))})


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    can_open = round_can_open(user=user, org=org)
    posted = request.method == "POST"
    form = RoundOpenForm(
        _data(request, posted), initial=RoundOpenForm.defaults(timezone.localdate())
    )
    if posted:
        if not can_open:
            raise PermissionDenied
        opened = _submit(
            request,
            form,
            lambda data: round_open(
                user=user,
                org=org,
                year=data["year"],
                reference_date=data["reference_date"],
                rule_set_code=data["rule_set"],
                deadlines=form.deadlines(),
            ),
            lambda opened: _("Đã mở đợt đánh giá, xếp loại năm %(year)s.") % {"year": opened.year},
        )
        if opened is not None:
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
        refusal = _finalise(request, user, round_)
        if not refusal:
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
            "totals": progress_totals(progress),
        },
    )


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
            _data(request, request.method == "POST"),
            initial=SelfForm.initial_for(evaluation),
            criteria=rules.member_criteria,
            grades=grade_choices(round_),
            scored=rules.scored,
        )
    if request.method == "POST":
        if evaluation is None or form is None or not evaluation_writable(evaluation):
            raise PermissionDenied
        if _written(
            request,
            form,
            lambda data: evaluation_self_submit(
                user=user,
                evaluation=evaluation,
                revision=data["revision"],
                data=form.assessment(),
            ),
            _("Đã gửi bản tự đánh giá, xếp loại."),
        ):
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
            "writable": evaluation is not None and evaluation_writable(evaluation),
        },
    )


def _proposal_form(
    request: HttpRequest, evaluation: MemberEvaluation, rules: RuleSet, posted: bool
) -> ProposalForm:
    return ProposalForm(
        _data(request, posted),
        prefix=f"m{evaluation.pk}",
        initial=ProposalForm.initial_for(evaluation),
        grades=grade_choices(evaluation.round),
        scored=rules.scored,
    )


def _post_proposal(
    request: HttpRequest, user: User, evaluation: MemberEvaluation, form: ProposalForm
) -> bool:
    return _written(
        request,
        form,
        lambda data: evaluation_propose(
            user=user, evaluation=evaluation, revision=data["revision"], data=form.proposal()
        ),
        _("Đã lưu nhận xét, đề xuất cho %(name)s.") % {"name": evaluation.person.full_name},
    )


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
    unit = unit_evaluation_for(user=user, round_=round_, org=org)
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
        unit_form = SelfForm(
            _data(request, unit_posted),
            prefix="unit",
            initial=SelfForm.initial_for(unit),
            criteria=unit_criteria(rules, org.family),
            grades=grade_choices(round_, family=org.family, unit=True),
            scored=False,
        )
        if unit_posted and _written(
            request,
            unit_form,
            lambda data: unit_evaluation_self_submit(
                user=user, evaluation=unit, revision=data["revision"], data=unit_form.assessment()
            ),
            _("Đã lưu bản tự đánh giá của tập thể."),
        ):
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
            refusal = _finalise(request, user, round_)
            if not refusal:
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
            form = _decide_form(request, ev, grades, posted=ev.pk == posted_row, prefix=f"d{ev.pk}")
            if ev.pk == posted_row and _written(
                request,
                form,
                _deciding(user, ev),
                partial(_decision_said, ev.person.full_name),
            ):
                return redirect(
                    reverse("evaluation_decide", args=[round_.pk, org.code]) + f"#d{ev.pk}"
                )
        lines.append({"row": row, "form": form})
    base = base_of(org)
    # The quota is counted over the whole grassroots organisation: its name and figures are
    # for readers of it, not for a committee of one cell below it (still held at finalising).
    if base is not None and not _can(user, base.path, Role.VIEWER):
        base = None
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
            "waiting_proposed": awaiting_decision(rows),
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
    writable = evaluation_writable(evaluation) and not evaluation.is_excluded
    can_propose = writable and _can(user, path, Role.OFFICER)
    can_decide = writable and _can(user, path, Role.COMMITTEE)
    can_reopen = evaluation.is_locked and _can(user, path, Role.COMMITTEE)
    posted = _action(request, propose=can_propose, decide=can_decide, reopen=can_reopen)
    target = reverse("evaluation_member", args=[evaluation.pk])
    propose_form = None
    if can_propose:
        propose_form = _proposal_form(request, evaluation, rules, posted=posted == "propose")
        if posted == "propose" and _post_proposal(request, user, evaluation, propose_form):
            return redirect(target)
    decide_form = None
    if can_decide:
        decide_form = _decide_form(
            request, evaluation, grade_choices(round_), posted=posted == "decide"
        )
        if posted == "decide" and _written(
            request, decide_form, _deciding(user, evaluation), _("Đã quyết định xếp loại.")
        ):
            return redirect(target)
    reopen_form = (
        _reopen_form(request, evaluation, posted=posted == "reopen") if can_reopen else None
    )
    if (
        reopen_form is not None
        and posted == "reopen"
        and _reopened(request, user, evaluation, reopen_form)
    ):
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
    evaluation = unit_evaluation_for(user=user, round_=round_, org=org)
    if evaluation is None:
        raise Http404
    rules = _rules(round_)
    grades = grade_choices(round_, family=org.family, unit=True)
    above = org.parent_path or org.path
    writable = evaluation_writable(evaluation)
    can_propose = writable and _can(user, above, Role.OFFICER)
    can_decide = writable and _can(user, above, Role.COMMITTEE)
    can_reopen = evaluation.is_locked and _can(user, above, Role.COMMITTEE)
    posted = _action(request, propose=can_propose, decide=can_decide, reopen=can_reopen)
    propose_form = None
    if can_propose:
        propose_form = UnitProposalForm(
            _data(request, posted == "propose"),
            initial={
                "revision": evaluation.revision,
                "review_comment": evaluation.review_comment,
                "proposed_grade": evaluation.proposed_grade or evaluation.self_grade,
            },
            grades=grades,
        )
        if posted == "propose" and _written(
            request,
            propose_form,
            lambda data: unit_evaluation_propose(
                user=user,
                evaluation=evaluation,
                revision=data["revision"],
                comment=data["review_comment"],
                grade=data["proposed_grade"],
            ),
            _("Đã lưu đề xuất xếp loại tập thể."),
        ):
            return redirect("evaluation_unit", round_.pk, org.code)
    decide_form = None
    if can_decide:
        decide_form = _decide_form(request, evaluation, grades, posted=posted == "decide")
        if posted == "decide" and _written(
            request,
            decide_form,
            _deciding(user, evaluation),
            _("Đã quyết định xếp loại tập thể."),
        ):
            return redirect("evaluation_unit", round_.pk, org.code)
    reopen_form = (
        _reopen_form(request, evaluation, posted=posted == "reopen") if can_reopen else None
    )
    if (
        reopen_form is not None
        and posted == "reopen"
        and _reopened(request, user, evaluation, reopen_form)
    ):
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
        "reopen_form": reopen_form,
        "history": list(history(subject=evaluation)[:50]),
    }
    return render(request, "evaluation/unit.html", context)
