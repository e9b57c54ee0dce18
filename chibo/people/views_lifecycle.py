"""Pages of a member's party life: a unit's overview (probation ending, candidates,
transfers, members staying temporarily), each admission step, official recognition,
changes of standing and transfers.

Every object comes through the scoping layer, so anything outside the user's subtree
answers 404; inside it, a user whose role does not allow a step gets 403. Who may do
what: the cell's officers keep the candidate list, the dossier, the cell's resolution,
the ceremony, exemptions, deaths and transfer requests; a committee above the cell
decides admissions, recognitions, suspensions, removals, expulsions, departures and
issues transfer letters; the receiving unit's officers receive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.core.models import AuditEntry, User
from chibo.core.roles import Role
from chibo.core.scoping import require_role, scope_for
from chibo.orgs.models import Family, Level, Org, OrgStatus
from chibo.orgs.selectors import org_ancestors_visible, org_get_for
from chibo.people import admissions, statuses, transfers
from chibo.people.forms import apply_service_errors
from chibo.people.forms_lifecycle import (
    CandidateForm,
    CourseForm,
    DayForm,
    DecisionForm,
    LetterForm,
    OfficialForm,
    PapersForm,
    ResolutionForm,
    StandingForm,
    StopForm,
    TransferForm,
)
from chibo.people.lifecycle import can_decide_above, org_name, org_names_for, require_decider_above
from chibo.people.models import (
    Admission,
    AdmissionStage,
    Membership,
    MembershipStatus,
    PaperForm,
    Person,
    Transfer,
    TransferKind,
    TransferStatus,
)
from chibo.people.selectors import person_get_for, person_memberships_for


def _actor(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def _role(user: Any, org: Org) -> Role | None:
    return scope_for(user).role_at(org.path)


def _at_least(user: Any, org: Org | None, role: Role) -> bool:
    if org is None:
        return False
    found = _role(user, org)
    return found is not None and found >= role


def _submit(
    request: HttpRequest,
    form: forms.Form,
    run: Callable[[dict[str, Any]], str],
    *,
    then: str,
    aliases: dict[str, str] | None = None,
) -> HttpResponse | None:
    """Call the service with a valid form; a redirect on success, None to show the form
    again (with the service's messages on the fields they name)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        message = run(form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error, aliases=aliases)
        return None
    messages.success(request, message)
    return redirect(then)


@dataclass
class StepPage:
    title: str
    subject: Person
    back: str
    intro: str = ""
    submit: str = ""
    facts: list[tuple[str, str]] | None = None


def _step(
    request: HttpRequest, page: StepPage, form: forms.Form, org: Org | None = None
) -> HttpResponse:
    context = {
        "page": page,
        "form": form,
        "org": org,
        "ancestors": org_ancestors_visible(user=request.user, org=org) if org else [],
    }
    return render(request, "people/lifecycle/step.html", context)


# --- a unit's party life -------------------------------------------------------------------


@login_required
def org_party_life(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    is_party = org.family == Family.PARTY
    due = admissions.probation_due_list(user=user, orgs=[org]) if is_party else []
    candidates = list(admissions.admission_list(user=user, org=org)) if is_party else []
    moving = transfers.transfer_list(user=user, org=org) if is_party else []
    guests = transfers.org_guests(user=user, org=org, descendants=True) if is_party else []
    names = org_names_for(
        user, [t.org_id for t in moving + guests] + [t.target_id for t in moving + guests]
    )
    context = {
        "org": org,
        "is_party": is_party,
        "ancestors": org_ancestors_visible(user=user, org=org),
        "can_add_candidate": is_party and org.is_active and _at_least(user, org, Role.OFFICER),
        "due": due,
        "candidates": candidates,
        "transfers": [_transfer_row(t, names) for t in moving],
        "guests": [_transfer_row(t, names) for t in guests],
        "can_decide": is_party and can_decide_above(user, org),
    }
    return render(request, "people/lifecycle/org_party_life.html", context)


@dataclass
class TransferRow:
    transfer: Transfer
    home: str
    destination: str
    deadline: transfers.Deadline | None


def _transfer_row(transfer: Transfer, names: dict[int, str]) -> TransferRow:
    return TransferRow(
        transfer=transfer,
        home=org_name(names, transfer.org_id),
        destination=org_name(names, transfer.target_id, transfer.target_text),
        deadline=transfers.transfer_deadline(transfer),
    )


# --- admissions ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def admission_create(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.OFFICER)
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            admission = admissions.admission_open(
                org=org,
                data=form.person_data(),
                listed_on=data.get("listed_on"),
                note=data.get("note") or "",
                actor=_actor(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"given_name": "full_name"})
        else:
            messages.success(
                request,
                _("Đã đưa %(name)s vào danh sách quần chúng ưu tú của %(org)s.")
                % {"name": admission.person.full_name, "org": org.name},
            )
            return redirect("admission_detail", admission_id=admission.pk)
    context = {"org": org, "form": form, "ancestors": org_ancestors_visible(user=user, org=org)}
    return render(request, "people/lifecycle/candidate_form.html", context)


@dataclass
class StageRow:
    label: str
    done: bool
    current: bool


# The stages a candidate passes, in order, for the progress list on the admission page.
PATH = (
    AdmissionStage.CANDIDATE,
    AdmissionStage.STUDIED,
    AdmissionStage.PROPOSED,
    AdmissionStage.ADMITTED,
    AdmissionStage.OFFICIAL,
)


def _stages(admission: Admission) -> list[StageRow]:
    if admission.stage == AdmissionStage.STOPPED:
        reached = -1
    else:
        reached = PATH.index(AdmissionStage(admission.stage))
    return [
        StageRow(label=str(stage.label), done=index <= reached, current=index == reached)
        for index, stage in enumerate(PATH)
    ]


@login_required
def admission_detail(request: HttpRequest, admission_id: int) -> HttpResponse:
    user = request.user
    admission = admissions.admission_get_for(user=user, admission_id=admission_id)
    org = admission.org
    officer = _at_least(user, org, Role.OFFICER)
    decider = can_decide_above(user, org)
    stage = admission.stage
    steps: list[tuple[str, str]] = []
    if officer and stage in (AdmissionStage.CANDIDATE, AdmissionStage.STUDIED):
        steps.append(
            (reverse("admission_course", args=[admission.pk]), _("Ghi nhận lớp bồi dưỡng"))
        )
    if officer and admission.is_open:
        steps.append((reverse("admission_papers", args=[admission.pk]), _("Cập nhật hồ sơ")))
    if officer and stage in (AdmissionStage.STUDIED, AdmissionStage.PROPOSED):
        steps.append(
            (reverse("admission_resolution", args=[admission.pk]), _("Nghị quyết của chi bộ"))
        )
    if decider and stage == AdmissionStage.PROPOSED:
        steps.append((reverse("admission_decision", args=[admission.pk]), _("Quyết định kết nạp")))
    if officer and stage == AdmissionStage.ADMITTED:
        steps.append((reverse("admission_ceremony", args=[admission.pk]), _("Lễ kết nạp")))
    membership = admission.membership
    probation_over = membership is not None and (
        (end := admissions.probation_end(membership)) is not None and end <= timezone.localdate()
    )
    if decider and stage == AdmissionStage.ADMITTED and probation_over:
        steps.append(
            (reverse("person_official", args=[admission.person_id]), _("Công nhận chính thức"))
        )
    if officer and stage in (
        AdmissionStage.CANDIDATE,
        AdmissionStage.STUDIED,
        AdmissionStage.PROPOSED,
    ):
        steps.append((reverse("admission_stop", args=[admission.pk]), _("Dừng xem xét")))
    context = {
        "admission": admission,
        "person": admission.person,
        "org": org,
        "ancestors": org_ancestors_visible(user=user, org=org),
        "stages": _stages(admission),
        "papers": admissions.admission_papers(admission=admission),
        "steps": steps,
        "probation_end": admissions.probation_end(membership) if membership else None,
        "ceremony_deadline": admissions.ceremony_deadline(admission),
        # The committee that decided is named to those who may see it.
        "decided_by": org_names_for(user, [admission.decided_by_id]).get(
            admission.decided_by_id or 0, ""
        ),
        "history": list(
            AuditEntry.objects.filter(
                subject_type=Admission._meta.label_lower, subject_id=admission.pk
            )
            .select_related("actor")
            .order_by("-at", "-pk")[:50]
        ),
    }
    return render(request, "people/lifecycle/admission_detail.html", context)


def _admission_for_step(request: HttpRequest, admission_id: int, *, decider: bool) -> Admission:
    admission = admissions.admission_get_for(user=request.user, admission_id=admission_id)
    if decider:
        require_decider_above(request.user, admission.org)
    elif not _at_least(request.user, admission.org, Role.OFFICER):
        raise PermissionDenied
    return admission


def _admission_page(admission: Admission, title: str, intro: str = "") -> StepPage:
    return StepPage(
        title=title,
        subject=admission.person,
        back=reverse("admission_detail", args=[admission.pk]),
        intro=intro,
        facts=[
            (_("Chi bộ"), admission.org.name),
            (_("Giai đoạn"), admission.get_stage_display()),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def admission_course(request: HttpRequest, admission_id: int) -> HttpResponse:
    admission = _admission_for_step(request, admission_id, decider=False)
    form = CourseForm(
        request.POST or None,
        initial={
            "course_completed_on": admission.course_completed_on,
            "course_certificate": admission.course_certificate,
            "course_provider": admission.course_provider,
        },
    )
    done = _submit(
        request,
        form,
        lambda data: _course(request, admission, data),
        then=reverse("admission_detail", args=[admission.pk]),
    )
    page = _admission_page(
        admission,
        _("Lớp bồi dưỡng nhận thức về Đảng"),
        _("Ghi ngày học xong và số giấy chứng nhận do trung tâm chính trị cấp."),
    )
    return done or _step(request, page, form, admission.org)


def _course(request: HttpRequest, admission: Admission, data: dict[str, Any]) -> str:
    admissions.admission_record_course(
        admission=admission,
        completed_on=data.get("course_completed_on"),
        certificate=data.get("course_certificate") or "",
        provider=data.get("course_provider") or "",
        actor=_actor(request),
    )
    return _("Đã ghi nhận lớp bồi dưỡng của %(name)s.") % {"name": admission.person.full_name}


@login_required
@require_http_methods(["GET", "POST"])
def admission_papers_view(request: HttpRequest, admission_id: int) -> HttpResponse:
    admission = _admission_for_step(request, admission_id, decider=False)
    initial = {
        PapersForm.field_name(row.form): row.received_on
        for row in admissions.admission_papers(admission=admission)
    }
    form = PapersForm(request.POST or None, initial=initial)
    aliases = {code: PapersForm.field_name(code) for code in PaperForm.values}
    done = _submit(
        request,
        form,
        lambda data: _papers(request, admission, form),
        then=reverse("admission_detail", args=[admission.pk]),
        aliases=aliases,
    )
    page = _admission_page(
        admission,
        _("Hồ sơ kết nạp"),
        _(
            "Ghi ngày chi bộ nhận từng giấy tờ. Mẫu 6-KNĐ và 9-KNĐ được ghi tự động khi chi bộ "
            "có nghị quyết và cấp ủy có quyết định. Mẫu 4-KNĐ và 7-KNĐ chỉ cần khi có."
        ),
    )
    return done or _step(request, page, form, admission.org)


def _papers(request: HttpRequest, admission: Admission, form: PapersForm) -> str:
    admissions.admission_record_papers(
        admission=admission, received=form.received(), actor=_actor(request)
    )
    return _("Đã cập nhật hồ sơ kết nạp của %(name)s.") % {"name": admission.person.full_name}


@login_required
@require_http_methods(["GET", "POST"])
def admission_resolution(request: HttpRequest, admission_id: int) -> HttpResponse:
    admission = _admission_for_step(request, admission_id, decider=False)
    form = ResolutionForm(
        request.POST or None,
        initial={"on": admission.cell_resolution_on, "number": admission.cell_resolution_number},
    )

    def run(data: dict[str, Any]) -> str:
        admissions.admission_record_cell_resolution(
            admission=admission,
            on=data.get("on"),
            number=data.get("number") or "",
            actor=_actor(request),
        )
        return _("Đã ghi nghị quyết đề nghị kết nạp %(name)s.") % {
            "name": admission.person.full_name
        }

    done = _submit(
        request, form, run, then=reverse("admission_detail", args=[admission.pk]),
        aliases={"papers": "__all__", "stage": "__all__"},
    )  # fmt: skip
    page = _admission_page(
        admission,
        _("Nghị quyết đề nghị kết nạp của chi bộ (mẫu 6-KNĐ)"),
        _(
            "Chi bộ xét khi quần chúng đã học lớp bồi dưỡng, đủ 18 tuổi và hồ sơ đã có các mẫu "
            "1, 2, 3 và 5-KNĐ."
        ),
    )
    return done or _step(request, page, form, admission.org)


@login_required
@require_http_methods(["GET", "POST"])
def admission_decision(request: HttpRequest, admission_id: int) -> HttpResponse:
    admission = _admission_for_step(request, admission_id, decider=True)
    makers = [
        org
        for org in admissions.decision_makers(admission=admission)
        if _at_least(request.user, org, Role.COMMITTEE)
    ]
    form = DecisionForm(
        request.POST or None,
        makers=makers,
        initial={"org": makers[0].code if makers else ""},
    )

    def run(data: dict[str, Any]) -> str:
        decided_by = next(org for org in makers if org.code == data["org"])
        admissions.admission_record_decision(
            admission=admission,
            on=data.get("on"),
            number=data.get("number") or "",
            decided_by=decided_by,
            actor=_actor(request),
        )
        return _("%(name)s đã được kết nạp, là đảng viên dự bị của %(org)s.") % {
            "name": admission.person.full_name,
            "org": admission.org.name,
        }

    done = _submit(
        request, form, run, then=reverse("admission_detail", args=[admission.pk]),
        aliases={"decided_by": "org", "stage": "__all__"},
    )  # fmt: skip
    page = _admission_page(
        admission,
        _("Quyết định kết nạp đảng viên (mẫu 9-KNĐ)"),
        _(
            "Từ ngày quyết định, quần chúng là đảng viên dự bị của chi bộ; tuổi Đảng sau này "
            "tính từ ngày này. Chi bộ tổ chức lễ kết nạp trong 30 ngày làm việc."
        ),
    )
    if admission.cell_resolution_on:
        assert page.facts is not None
        page.facts.append(
            (
                _("Nghị quyết của chi bộ"),
                f"{admission.cell_resolution_number}, {admission.cell_resolution_on:%d/%m/%Y}",
            )
        )
    return done or _step(request, page, form, admission.org)


@login_required
@require_http_methods(["GET", "POST"])
def admission_ceremony(request: HttpRequest, admission_id: int) -> HttpResponse:
    admission = _admission_for_step(request, admission_id, decider=False)
    form = DayForm(
        request.POST or None,
        label=_("Ngày tổ chức lễ kết nạp"),
        initial={"on": admission.ceremony_on},
    )

    def run(data: dict[str, Any]) -> str:
        admissions.admission_record_ceremony(
            admission=admission, on=data.get("on"), actor=_actor(request)
        )
        return _("Đã ghi lễ kết nạp %(name)s.") % {"name": admission.person.full_name}

    done = _submit(
        request, form, run, then=reverse("admission_detail", args=[admission.pk]),
        aliases={"stage": "__all__"},
    )  # fmt: skip
    deadline = admissions.ceremony_deadline(admission)
    intro = _("Thời gian dự bị 12 tháng tính từ ngày lễ kết nạp.")
    if deadline:
        intro += " " + _("Hạn tổ chức lễ: %(date)s (30 ngày làm việc sau quyết định).") % {
            "date": deadline.strftime("%d/%m/%Y")
        }
    page = _admission_page(admission, _("Lễ kết nạp"), intro)
    return done or _step(request, page, form, admission.org)


@login_required
@require_http_methods(["GET", "POST"])
def admission_stop_view(request: HttpRequest, admission_id: int) -> HttpResponse:
    admission = _admission_for_step(request, admission_id, decider=False)
    form = StopForm(request.POST or None, label=_("Ngày dừng"))

    def run(data: dict[str, Any]) -> str:
        admissions.admission_stop(
            admission=admission,
            on=data.get("on"),
            reason=data.get("reason") or "",
            actor=_actor(request),
        )
        return _("Đã dừng xem xét kết nạp %(name)s.") % {"name": admission.person.full_name}

    done = _submit(
        request, form, run, then=reverse("admission_detail", args=[admission.pk]),
        aliases={"stage": "__all__"},
    )  # fmt: skip
    page = _admission_page(
        admission,
        _("Dừng xem xét kết nạp"),
        _("Hồ sơ được giữ lại; người này không còn trong danh sách đang xem xét."),
    )
    return done or _step(request, page, form, admission.org)


# --- a member's standing -------------------------------------------------------------------


def _party_membership_for(request: HttpRequest, person: Person) -> Membership | None:
    """The person's current party membership if the user is an officer there; None when
    the user sees no party membership of theirs; 403 when they see it but only as a
    member or a watcher."""
    membership = (
        Membership.objects.current()
        .filter(person=person, family=Family.PARTY)
        .select_related("org", "person")
        .first()
    )
    if membership is None:
        return None
    role = _role(request.user, membership.org)
    if role is None:
        return None
    if role < Role.OFFICER:
        raise PermissionDenied
    return membership


def _no_membership(request: HttpRequest, person: Person, title: str) -> HttpResponse:
    page = StepPage(
        title=title,
        subject=person,
        back=reverse("person_detail", args=[person.pk]),
        intro=_(
            "Đồng chí không quản lý hồ sơ đảng viên đang sinh hoạt nào của người này, nên không "
            "làm được việc này ở đây."
        ),
    )
    return render(request, "people/lifecycle/step.html", {"page": page, "form": None})


def _member_page(membership: Membership, title: str, intro: str = "") -> StepPage:
    facts = [
        (_("Đơn vị"), membership.org.name),
        (_("Tư cách"), membership.get_status_display()),
    ]
    if membership.joined_on:
        facts.append((_("Ngày vào Đảng"), membership.joined_on.strftime("%d/%m/%Y")))
    return StepPage(
        title=title,
        subject=membership.person,
        back=reverse("person_detail", args=[membership.person_id]),
        intro=intro,
        facts=facts,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_official(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get_for(user=request.user, person_id=person_id)
    title = _("Công nhận đảng viên chính thức")
    membership = _party_membership_for(request, person)
    if membership is None:
        return _no_membership(request, person, title)
    require_decider_above(request.user, membership.org)
    end = admissions.probation_end(membership)
    form = OfficialForm(request.POST or None)

    def run(data: dict[str, Any]) -> str:
        admissions.membership_recognise_official(
            membership=membership,
            official_on=data.get("official_on"),
            decision_number=data.get("decision_number") or "",
            actor=_actor(request),
        )
        return _("%(name)s là đảng viên chính thức.") % {"name": person.full_name}

    done = _submit(
        request, form, run, then=reverse("person_detail", args=[person.pk]),
        aliases={"status": "__all__"},
    )  # fmt: skip
    intro = _(
        "Đảng viên dự bị đủ 12 tháng kể từ ngày lễ kết nạp thì chi bộ xét, cấp ủy có thẩm quyền "
        "quyết định công nhận chính thức; ngày chính thức là ngày hết 12 tháng dự bị."
    )
    page = _member_page(membership, title, intro)
    if end is not None:
        assert page.facts is not None
        page.facts.append((_("Hết thời gian dự bị"), end.strftime("%d/%m/%Y")))
    return done or _step(request, page, form, membership.org)


@login_required
@require_http_methods(["GET", "POST"])
def person_standing(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get_for(user=request.user, person_id=person_id)
    title = _("Thay đổi tư cách đảng viên")
    membership = _party_membership_for(request, person)
    if membership is None:
        return _no_membership(request, person, title)
    actions = statuses.status_actions_for(
        membership=membership,
        officer=True,
        decider=can_decide_above(request.user, membership.org),
    )
    form = StandingForm(request.POST or None, actions=actions)

    def run(data: dict[str, Any]) -> str:
        statuses.membership_change_status(
            membership=membership,
            action=data["action"],
            on=data.get("on"),
            reason=data.get("reason") or "",
            decision_number=data.get("decision_number") or "",
            actor=_actor(request),
        )
        membership.refresh_from_db()
        return _("Đã ghi: %(name)s — %(status)s.") % {
            "name": person.full_name,
            "status": membership.get_status_display(),
        }

    done = _submit(request, form, run, then=reverse("person_detail", args=[person.pk]))
    intro = _(
        "Miễn sinh hoạt và từ trần do chi bộ ghi; đình chỉ, xóa tên, khai trừ và ra khỏi Đảng "
        "theo quyết định của cấp ủy cấp trên. Không có gì bị xóa: hồ sơ vẫn được giữ."
    )
    return done or _step(request, _member_page(membership, title, intro), form, membership.org)


# --- transfers -----------------------------------------------------------------------------


def _transfer_targets(user: Any, membership: Membership) -> list[Org]:
    """Active party cells and grassroots organisations the user sees, except the member's
    own unit: where a member may be sent within the system."""
    return list(
        Org.objects.visible_to(user, Role.VIEWER)
        .filter(
            family=Family.PARTY,
            status=OrgStatus.ACTIVE,
            level__in=[Level.BRANCH, Level.BASE],
        )
        .exclude(pk=membership.org_id)
        .order_by("path")[:500]
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get_for(user=request.user, person_id=person_id)
    title = _("Chuyển sinh hoạt đảng")
    membership = _party_membership_for(request, person)
    if membership is None:
        return _no_membership(request, person, title)
    targets = _transfer_targets(request.user, membership)
    form = TransferForm(
        request.POST or None, targets=targets, initial={"kind": TransferKind.OFFICIAL}
    )
    created: list[Transfer] = []

    def run(data: dict[str, Any]) -> str:
        target = next((org for org in targets if org.code == data.get("target")), None)
        created.append(
            transfers.transfer_request(
                membership=membership,
                request=transfers.TransferRequest(
                    kind=data["kind"],
                    cause_on=data.get("cause_on"),
                    reason=data.get("reason") or "",
                    target=target,
                    target_text=data.get("target_text") or "",
                    purpose=data.get("purpose") or "",
                    starts_on=data.get("starts_on"),
                    ends_on=data.get("ends_on"),
                ),
                actor=_actor(request),
            )
        )
        return _("Đã ghi đề nghị chuyển sinh hoạt của %(name)s.") % {"name": person.full_name}

    if request.method == "POST" and form.is_valid():
        try:
            message = run(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"status": "__all__"})
        else:
            messages.success(request, message)
            return redirect("transfer_detail", transfer_id=created[0].pk)
    intro = _(
        "Chuyển chính thức khi đổi nơi công tác, nghỉ hưu, thay đổi nơi ở lâu dài: làm thủ tục "
        "trong 60 ngày làm việc. Chuyển tạm thời khi đi công tác, cư trú nơi khác từ 3 tháng "
        "đến dưới 1 năm, hoặc đi học tập trung từ 3 tháng đến 2 năm."
    )
    return _step(request, _member_page(membership, title, intro), form, membership.org)


@dataclass
class TransferPermissions:
    introduce: bool
    receive: bool
    back: bool
    cancel: bool


def _transfer_permissions(user: Any, transfer: Transfer) -> TransferPermissions:
    status = transfer.status
    home_officer = _at_least(user, transfer.org, Role.OFFICER)
    host_officer = _at_least(user, transfer.target, Role.OFFICER)
    decider = can_decide_above(user, transfer.org)
    return TransferPermissions(
        introduce=decider and status == TransferStatus.REQUESTED,
        receive=host_officer and status == TransferStatus.INTRODUCED,
        back=(home_officer or host_officer)
        and transfer.kind == TransferKind.TEMPORARY
        and status == TransferStatus.RECEIVED,
        cancel=(status == TransferStatus.REQUESTED and home_officer)
        or (status == TransferStatus.INTRODUCED and decider),
    )


@login_required
def transfer_detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    user = request.user
    transfer = transfers.transfer_get_for(user=user, transfer_id=transfer_id)
    names = org_names_for(user, [transfer.org_id, transfer.target_id])
    person_visible = Person.objects.visible_to(user).filter(pk=transfer.person_id).exists()
    context = {
        "row": _transfer_row(transfer, names),
        "transfer": transfer,
        "person_visible": person_visible,
        "can": _transfer_permissions(user, transfer),
        "history": list(
            AuditEntry.objects.filter(
                subject_type=Transfer._meta.label_lower, subject_id=transfer.pk
            )
            .select_related("actor")
            .order_by("-at", "-pk")[:50]
        ),
        "today": timezone.localdate(),
    }
    return render(request, "people/lifecycle/transfer_detail.html", context)


def _transfer_page(transfer: Transfer, title: str, user: Any, intro: str = "") -> StepPage:
    names = org_names_for(user, [transfer.org_id, transfer.target_id])
    return StepPage(
        title=title,
        subject=transfer.person,
        back=reverse("transfer_detail", args=[transfer.pk]),
        intro=intro,
        facts=[
            (_("Loại"), transfer.get_kind_display()),
            (_("Nơi đi"), org_name(names, transfer.org_id)),
            (_("Nơi đến"), org_name(names, transfer.target_id, transfer.target_text)),
            (_("Tình trạng"), transfer.get_status_display()),
        ],
    )


def _transfer_for_step(request: HttpRequest, transfer_id: int, step: str) -> Transfer:
    transfer = transfers.transfer_get_for(user=request.user, transfer_id=transfer_id)
    can = _transfer_permissions(request.user, transfer)
    allowed = {
        "introduce": can.introduce,
        "receive": can.receive,
        "return": can.back,
        "cancel": can.cancel,
    }[step]
    if not allowed:
        raise PermissionDenied
    return transfer


@login_required
@require_http_methods(["GET", "POST"])
def transfer_introduce_view(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = _transfer_for_step(request, transfer_id, "introduce")
    form = LetterForm(request.POST or None, label=_("Ngày giới thiệu"))

    def run(data: dict[str, Any]) -> str:
        transfers.transfer_introduce(
            transfer=transfer,
            on=data.get("on"),
            letter_number=data.get("letter_number") or "",
            actor=_actor(request),
        )
        return _("Đã giới thiệu sinh hoạt đảng cho %(name)s.") % {"name": transfer.person.full_name}

    done = _submit(
        request, form, run, then=reverse("transfer_detail", args=[transfer.pk]),
        aliases={"status": "__all__", "target": "__all__"},
    )  # fmt: skip
    deadline = transfers.procedure_deadline(transfer)
    intro = _("Hạn làm thủ tục: %(date)s (60 ngày làm việc từ ngày có quyết định).") % {
        "date": deadline.strftime("%d/%m/%Y")
    }
    page = _transfer_page(transfer, _("Giới thiệu sinh hoạt đảng"), request.user, intro)
    return done or _step(request, page, form, transfer.org)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_receive_view(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = _transfer_for_step(request, transfer_id, "receive")
    form = DayForm(request.POST or None, label=_("Ngày tiếp nhận"))

    def run(data: dict[str, Any]) -> str:
        transfers.transfer_receive(transfer=transfer, on=data.get("on"), actor=_actor(request))
        return _("Đã tiếp nhận %(name)s.") % {"name": transfer.person.full_name}

    done = _submit(
        request, form, run, then=reverse("transfer_detail", args=[transfer.pk]),
        aliases={"status": "__all__"},
    )  # fmt: skip
    deadline = transfers.report_deadline(transfer)
    intro = ""
    if deadline:
        intro = _("Đảng viên xuất trình giấy giới thiệu trong 30 ngày làm việc, hạn %(date)s.") % {
            "date": deadline.strftime("%d/%m/%Y")
        }
    page = _transfer_page(transfer, _("Tiếp nhận sinh hoạt đảng"), request.user, intro)
    return done or _step(request, page, form, transfer.target)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_return_view(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = _transfer_for_step(request, transfer_id, "return")
    form = DayForm(request.POST or None, label=_("Ngày trở về"))

    def run(data: dict[str, Any]) -> str:
        transfers.transfer_return(transfer=transfer, on=data.get("on"), actor=_actor(request))
        return _("%(name)s đã trở về sinh hoạt tại đơn vị.") % {"name": transfer.person.full_name}

    done = _submit(
        request, form, run, then=reverse("transfer_detail", args=[transfer.pk]),
        aliases={"status": "__all__"},
    )  # fmt: skip
    page = _transfer_page(transfer, _("Kết thúc sinh hoạt tạm thời"), request.user)
    return done or _step(request, page, form, transfer.org)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_cancel_view(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = _transfer_for_step(request, transfer_id, "cancel")
    form = StopForm(request.POST or None, label=_("Ngày hủy"))

    def run(data: dict[str, Any]) -> str:
        transfers.transfer_cancel(
            transfer=transfer,
            on=data.get("on"),
            reason=data.get("reason") or "",
            actor=_actor(request),
        )
        return _("Đã hủy việc chuyển sinh hoạt của %(name)s.") % {"name": transfer.person.full_name}

    done = _submit(
        request, form, run, then=reverse("transfer_detail", args=[transfer.pk]),
        aliases={"status": "__all__"},
    )  # fmt: skip
    page = _transfer_page(transfer, _("Hủy chuyển sinh hoạt"), request.user)
    return done or _step(request, page, form, transfer.org)


# --- the member page's panel ---------------------------------------------------------------


@dataclass
class PartyLifePanel:
    events: list[Any]
    age: Any
    away: TransferRow | None
    actions: list[tuple[str, str]]
    admissions: list[Admission]


def party_life_panel(request: HttpRequest, person: Person) -> PartyLifePanel:
    """What the member page shows of a party life: the timeline, party age, a stay away,
    the admission records and the steps the user may take. Called by the member page."""
    from chibo.people.timeline import party_age, person_timeline_for

    user = request.user
    events = person_timeline_for(user=user, person=person)
    # Party records the user reads (all of them on one's own page), current or closed.
    party_rows = [
        m for m in person_memberships_for(user=user, person=person) if m.family == Family.PARTY
    ]
    membership = next((m for m in party_rows if m.is_current), None)
    own = scope_for(user).person_id == person.pk
    seen = bool(party_rows)
    actions: list[tuple[str, str]] = []
    away: TransferRow | None = None
    if membership is not None:
        trip = transfers.person_away(person_id=person.pk)
        if trip is not None:
            names = org_names_for(user, [trip.org_id, trip.target_id], own_record=own)
            away = _transfer_row(trip, names)
        if _at_least(user, membership.org, Role.OFFICER):
            actions.append((reverse("person_standing", args=[person.pk]), _("Thay đổi tư cách")))
            if not transfers.person_has_open_transfer(person_id=person.pk):
                actions.append(
                    (reverse("transfer_create", args=[person.pk]), _("Chuyển sinh hoạt đảng"))
                )
            if membership.status == MembershipStatus.PROBATIONARY and can_decide_above(
                user, membership.org
            ):
                actions.append(
                    (reverse("person_official", args=[person.pk]), _("Công nhận chính thức"))
                )
    visible_admissions = Admission.objects.filter(person=person)
    if not own:
        visible_admissions = visible_admissions.visible_to(user)
    return PartyLifePanel(
        events=events,
        age=party_age(person=person) if seen else None,
        away=away,
        actions=actions,
        admissions=list(visible_admissions.select_related("org").order_by("-listed_on")[:5]),
    )


# --- blocks on the unit page and the member list ------------------------------------------


@dataclass
class OrgPartyBlock:
    due: list[admissions.DueRow]
    guests_total: int
    open_transfers: int
    candidates: int
    officer: bool


def org_party_block(request: HttpRequest, org: Org) -> OrgPartyBlock | None:
    """The unit page's party-life card for readers of a party org: members whose probation
    ends within the month (the cell's reminder), members staying temporarily (not counted
    in the totals above), transfers under way and candidates."""
    user = request.user
    if org.family != Family.PARTY or not _at_least(user, org, Role.VIEWER):
        return None
    moving = transfers.transfer_list(user=user, org=org)
    return OrgPartyBlock(
        due=admissions.probation_due_list(user=user, orgs=[org], limit=20),
        guests_total=transfers.org_guest_totals(orgs=[org]).get(org.pk, 0),
        open_transfers=sum(1 for t in moving if t.status in ("requested", "introduced")),
        candidates=admissions.admission_list(user=user, org=org).count(),
        officer=_at_least(user, org, Role.OFFICER),
    )


def member_list_guests(request: HttpRequest, org: Org, *, descendants: bool) -> list[TransferRow]:
    """Members staying temporarily, listed apart from the roll on the member list."""
    if org.family != Family.PARTY:
        return []
    guests = transfers.org_guests(user=request.user, org=org, descendants=descendants)
    names = org_names_for(request.user, [t.org_id for t in guests] + [t.target_id for t in guests])
    return [_transfer_row(t, names) for t in guests]
