"""Pages of models and initiatives, savings funds, emulation movements and honours.

Every object comes through the scoping layer (`org_get_for`, `initiative_get_for`,
`movement_get_for`), so anything outside the user's subtree answers 404; writes check
the role with `require_role` (403 inside the scope, 404 outside). The views only turn
input into service calls and errors back into messages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import require_role, scope_for
from chibo.initiatives.forms import (
    AwardRecordForm,
    ContributionForm,
    ExemplarForm,
    InitiativeForm,
    MovementForm,
    PayoutForm,
    ResultForm,
    SheetForm,
    StatusForm,
    UnitForm,
    VoidForm,
)
from chibo.initiatives.measure import quantity_text
from chibo.initiatives.models import (
    IndicatorKind,
    InitiativeKind,
    MeasureUnit,
    Movement,
    SavingsFund,
    SheetStatus,
)
from chibo.initiatives.selectors import (
    Match,
    award_counts,
    awards_for,
    contribution_get_for,
    exemplars_for,
    fund_totals,
    fund_view,
    indicator_progress,
    initiative_get_for,
    initiatives_for,
    movement_get_for,
    movement_sheets,
    movements_for_unit,
    overlaps_for,
    payout_get_for,
    recent_entries,
    result_entry_get_for,
    rollup,
    sheet_counts,
    sheet_for,
    similar_initiatives,
    unit_roll,
)
from chibo.initiatives.services import (
    award_record,
    contribution_void,
    exemplar_record,
    fund_contribute,
    fund_payout,
    initiative_register,
    initiative_status_change,
    initiative_validate,
    movement_launch,
    payout_void,
    result_entry_void,
    result_record,
    sheet_confirm,
    sheet_self_score,
    unit_create,
)
from chibo.orgs import divisions
from chibo.orgs.models import Level, Org
from chibo.orgs.selectors import division_communes, org_ancestors_visible, org_get_for
from chibo.people.forms import apply_service_errors

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return max(2000, min(year, today.year + 1))


def _can(request: HttpRequest, org: Org, role: Role) -> bool:
    return scope_for(request.user).can(org.path, role)


def _base(request: HttpRequest, org: Org, year: int | None = None) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "org": org,
        "ancestors": org_ancestors_visible(user=request.user, org=org),
        "year": year or today.year,
        "years": list(range(today.year, today.year - 4, -1)),
        "can_read": _can(request, org, Role.VIEWER),
        "can_edit": _can(request, org, Role.OFFICER) and org.is_active,
        "can_launch": _can(request, org, Role.COMMITTEE)
        and org.is_active
        and org.level not in (Level.BRANCH, Level.GROUP),
    }


def _people(org: Org) -> list[tuple[int, str]]:
    return [(person.pk, person.full_name) for person in unit_roll(org=org)]


# --- entry page ------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The units whose models the user follows: their own and the subtrees they read."""
    scope = scope_for(request.user)
    if scope.everything:
        units = list(Org.objects.filter(depth=1).order_by("path"))
    else:
        paths = list(scope.member_units()) + list(scope.roots(Role.VIEWER))
        units = list(Org.objects.filter(path__in=paths).order_by("path"))
    readers = bool(scope.everything or scope.roots(Role.VIEWER))
    return render(
        request,
        "initiatives/home.html",
        {"units": units, "readers": readers, "year": _year(request)},
    )


# --- a unit's models ------------------------------------------------------------------------


@login_required
def unit(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    year = _year(request)
    context = _base(request, org, year)
    rows = initiatives_for(user=request.user, org=org, year=year, query=request.GET.get("q", ""))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context |= {"page": page, "query": request.GET.get("q", "")}
    if context["can_read"]:
        totals = rollup(org=org, year=year)
        context |= {
            "rollup": totals,
            "kind_labels": dict(InitiativeKind.choices),
            "funds": fund_totals(org=org, year=year),
            "awards": award_counts(org=org, year=year),
        }
    return render(request, "initiatives/unit.html", context)


def _wards(org: Org) -> list[tuple[int, str]]:
    province = org.province_code
    if province is None and org.ward_code is not None:
        province = divisions.ward_province(org.ward_code)
    return division_communes(province)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, code: str) -> HttpResponse:
    """A unit (its officer) or one of its members registers a model; similar models of
    other units in the same commune and period are shown before it is saved."""
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.MEMBER)
    if not org.is_active:
        raise PermissionDenied
    scope = scope_for(request.user)
    officer = scope.can(org.path, Role.OFFICER)
    me = scope.person_id
    # A member registers a model of their own (they own it), in their own unit only.
    if not officer and (me is None or org.path not in scope.member_units()):
        raise PermissionDenied
    today = timezone.localdate()
    kinds = list(IndicatorKind.objects.all())
    units = list(MeasureUnit.objects.all())
    people = _people(org) if officer else [p for p in _people(org) if p[0] == me]
    form = InitiativeForm(
        request.POST or None,
        kinds=kinds,
        units=units,
        people=people,
        wards=_wards(org),
        initial={
            "kind": InitiativeKind.MODEL,
            "starts_on": today,
            "ward_code": org.ward_code,
            "hamlet": org.hamlet,
            "fund_unit": "dong",
            "owner_person": None if officer else me,
        },
    )
    matches = []
    if request.method == "POST" and form.is_valid():
        data = form.initiative_data(owner=None if officer else me)
        try:
            initiative_validate(org=org, data=data)
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"org": "__all__"})
            context = _base(request, org) | {"form": form, "matches": [], "officer": officer}
            return render(request, "initiatives/register.html", context)

        def alike() -> list[Match]:
            return similar_initiatives(
                user=request.user,
                org=org,
                title=data.title,
                ward_code=data.ward_code,
                hamlet=data.hamlet,
                starts_on=data.starts_on,
                ends_on=data.ends_on,
            )

        matches = alike()
        confirmed = bool(form.cleaned_data.get("confirm_overlap"))
        if matches and not confirmed:
            messages.warning(
                request,
                _(
                    "Đã có %(n)s mô hình tương tự ở cùng địa bàn, cùng thời gian. Hãy xem, phối "
                    "hợp hoặc đổi nội dung; nếu vẫn đăng ký, đánh dấu ô xác nhận rồi lưu lại."
                )
                % {"n": len(matches)},
            )
        else:
            try:
                initiative = initiative_register(
                    org=org, data=data, actor=_actor(request), confirm_overlap=confirmed
                )
            except ValidationError as error:
                # Another unit may have registered an alike model since the page looked.
                if "confirm_overlap" in error.message_dict:
                    matches = alike()
                apply_service_errors(form, error, aliases={"org": "__all__"})
            else:
                messages.success(
                    request,
                    _("Đã đăng ký “%(title)s” của %(org)s.")
                    % {"title": initiative.title, "org": org.name},
                )
                return redirect("initiative_detail", initiative_id=initiative.pk)
    context = _base(request, org) | {"form": form, "matches": matches, "officer": officer}
    return render(request, "initiatives/register.html", context)


# --- one model ---------------------------------------------------------------------------


def _may_report(request: HttpRequest, org: Org, owner_id: int | None) -> bool:
    if not org.is_active:
        return False
    if _can(request, org, Role.OFFICER):
        return True
    me = scope_for(request.user).person_id
    return me is not None and me == owner_id


@login_required
def detail(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = initiative_get_for(user=request.user, initiative_id=initiative_id)
    org = initiative.org
    context = _base(request, org)
    fund: SavingsFund | None = getattr(initiative, "fund", None)
    context |= {
        "initiative": initiative,
        "progress": indicator_progress(initiative=initiative),
        "entries": recent_entries(initiative=initiative),
        "may_report": _may_report(request, org, initiative.owner_person_id),
        "fund": fund_view(fund=fund, limit=12) if fund is not None else None,
        "ward_name": divisions.ward_name(initiative.ward_code),
    }
    return render(request, "initiatives/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def result_add(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = initiative_get_for(user=request.user, initiative_id=initiative_id)
    org = initiative.org
    require_role(request.user, org.path, Role.MEMBER)
    if not _may_report(request, org, initiative.owner_person_id):
        raise PermissionDenied
    indicators = {i.pk: i for i in initiative.indicators.select_related("kind", "unit")}
    dimensions = {i.unit.dimension for i in indicators.values()}
    units = [u for u in MeasureUnit.objects.all() if u.dimension in dimensions]
    form = ResultForm(
        request.POST or None,
        indicators=[(pk, f"{i} ({i.unit.symbol})") for pk, i in indicators.items()],
        units=units,
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = result_record(
                indicator=indicators[data["indicator"]],
                on=data["on"],
                quantity=data["quantity"],
                unit=data.get("unit") or "",
                note=data.get("note", ""),
                actor=_actor(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi kết quả %(amount)s.")
                % {"amount": quantity_text(entry.quantity, entry.unit)},
            )
            return redirect("initiative_detail", initiative_id=initiative.pk)
    context = _base(request, org) | {"initiative": initiative, "form": form}
    return render(request, "initiatives/result_form.html", context)


def _fund_for(request: HttpRequest, initiative_id: int) -> tuple[Any, SavingsFund]:
    initiative = initiative_get_for(user=request.user, initiative_id=initiative_id)
    fund: SavingsFund | None = getattr(initiative, "fund", None)
    if fund is None:
        raise Http404
    require_role(request.user, initiative.org.path, Role.OFFICER)
    if not initiative.org.is_active:
        raise PermissionDenied
    return initiative, fund


@login_required
@require_http_methods(["GET", "POST"])
def contribute(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative, fund = _fund_for(request, initiative_id)
    dimensions = {fund.unit.dimension}
    if fund.in_kind_unit is not None:
        dimensions.add(fund.in_kind_unit.dimension)
    units = [u for u in MeasureUnit.objects.all() if u.dimension in dimensions]
    form = ContributionForm(
        request.POST or None,
        people=_people(initiative.org),
        units=units,
        initial={
            "on": timezone.localdate(),
            "unit": fund.in_kind_unit.code if fund.in_kind_unit else fund.unit.code,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rows = fund_contribute(
                fund=fund,
                person_ids=form.person_ids(),
                on=data["on"],
                quantity=data["quantity"],
                unit=data["unit"],
                note=data.get("note", ""),
                actor=_actor(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi %(n)s khoản đóng góp, quy ra %(value)s mỗi khoản.")
                % {"n": len(rows), "value": quantity_text(rows[0].value, fund.unit)},
            )
            return redirect("initiative_detail", initiative_id=initiative.pk)
    context = _base(request, initiative.org) | {
        "initiative": initiative,
        "fund": fund,
        "form": form,
    }
    return render(request, "initiatives/contribution_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def payout(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative, fund = _fund_for(request, initiative_id)
    form = PayoutForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = fund_payout(
                fund=fund,
                beneficiary=data["beneficiary"],
                address=data.get("address", ""),
                on=data["on"],
                amount=data["amount"],
                reason=data["reason"],
                actor=_actor(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi khoản hỗ trợ %(amount)s cho %(who)s.")
                % {"amount": quantity_text(row.amount, fund.unit), "who": row.beneficiary},
            )
            return redirect("initiative_detail", initiative_id=initiative.pk)
    context = _base(request, initiative.org) | {
        "initiative": initiative,
        "fund": fund,
        "view": fund_view(fund=fund, limit=0),
        "form": form,
    }
    return render(request, "initiatives/payout_form.html", context)


# --- corrections: status with its reason, rows entered by mistake voided --------------------


def _correcting(request: HttpRequest, org: Org) -> None:
    """Officers of the owning unit, and the committees above it, correct its rows."""
    require_role(request.user, org.path, Role.OFFICER)
    if not org.is_active:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def status_change(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = initiative_get_for(user=request.user, initiative_id=initiative_id)
    _correcting(request, initiative.org)
    form = StatusForm(request.POST or None, current=initiative.status)
    if request.method == "POST" and form.is_valid():
        try:
            changed = initiative_status_change(
                initiative=initiative,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                actor=_actor(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” nay ở tình trạng: %(status)s.")
                % {"title": changed.title, "status": changed.get_status_display().lower()},
            )
            return redirect("initiative_detail", initiative_id=initiative.pk)
    context = _base(request, initiative.org) | {"initiative": initiative, "form": form}
    return render(request, "initiatives/status_form.html", context)


def _void_page(
    request: HttpRequest,
    *,
    org: Org,
    initiative: Any,
    title: str,
    summary: str,
    void: Any,
    done: str,
    voided: bool,
) -> HttpResponse:
    _correcting(request, org)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            void(reason=form.cleaned_data["reason"], actor=_actor(request))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("initiative_detail", initiative_id=initiative.pk)
    context = _base(request, org) | {
        "initiative": initiative,
        "form": form,
        "page_title": title,
        "summary": summary,
        "voided": voided,
    }
    return render(request, "initiatives/void_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def result_void_page(request: HttpRequest, result_id: int) -> HttpResponse:
    entry = result_entry_get_for(user=request.user, entry_id=result_id)
    initiative = entry.indicator.initiative
    amount = quantity_text(entry.quantity, entry.unit)
    return _void_page(
        request,
        org=initiative.org,
        initiative=initiative,
        title=_("Hủy kết quả ghi nhầm"),
        summary=_("%(day)s · %(label)s: %(amount)s")
        % {"day": entry.on.strftime("%d/%m/%Y"), "label": str(entry.indicator), "amount": amount},
        void=lambda **kw: result_entry_void(entry=entry, **kw),
        done=_("Đã hủy kết quả %(amount)s; tổng cộng không còn tính kết quả này.")
        % {"amount": amount},
        voided=entry.voided_at is not None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_void_page(request: HttpRequest, contribution_id: int) -> HttpResponse:
    row = contribution_get_for(user=request.user, contribution_id=contribution_id)
    initiative = row.fund.initiative
    amount = quantity_text(row.quantity, row.unit)
    return _void_page(
        request,
        org=initiative.org,
        initiative=initiative,
        title=_("Hủy khoản đóng góp ghi nhầm"),
        summary=_("%(day)s · %(name)s: %(amount)s")
        % {"day": row.on.strftime("%d/%m/%Y"), "name": row.person.full_name, "amount": amount},
        void=lambda **kw: contribution_void(contribution=row, **kw),
        done=_("Đã hủy khoản đóng góp %(amount)s của %(name)s.")
        % {"amount": amount, "name": row.person.full_name},
        voided=row.voided_at is not None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def payout_void_page(request: HttpRequest, payout_id: int) -> HttpResponse:
    row = payout_get_for(user=request.user, payout_id=payout_id)
    initiative = row.fund.initiative
    amount = quantity_text(row.amount, row.fund.unit)
    return _void_page(
        request,
        org=initiative.org,
        initiative=initiative,
        title=_("Hủy khoản hỗ trợ ghi nhầm"),
        summary=_("%(day)s · %(who)s: %(amount)s — %(reason)s")
        % {
            "day": row.on.strftime("%d/%m/%Y"),
            "who": row.beneficiary,
            "amount": amount,
            "reason": row.reason,
        },
        void=lambda **kw: payout_void(payout=row, **kw),
        done=_("Đã hủy khoản hỗ trợ %(amount)s cho %(who)s; số dư của quỹ đã tính lại.")
        % {"amount": amount, "who": row.beneficiary},
        voided=row.voided_at is not None,
    )


# --- overlaps -----------------------------------------------------------------------------


@login_required
def overlaps_all(request: HttpRequest) -> HttpResponse:
    """Likely overlaps across every subtree the user reads."""
    year = _year(request)
    pairs = overlaps_for(user=request.user, org=None, year=year)
    today = timezone.localdate()
    context = {
        "org": None,
        "year": year,
        "years": list(range(today.year, today.year - 4, -1)),
        "pairs": pairs,
    }
    return render(request, "initiatives/overlaps.html", context)


@login_required
def overlaps_org(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.VIEWER)
    year = _year(request)
    context = _base(request, org, year) | {
        "pairs": overlaps_for(user=request.user, org=org, year=year)
    }
    return render(request, "initiatives/overlaps.html", context)


def _mark_issuers(request: HttpRequest, movements: list[Movement]) -> None:
    """Set `issuer` on each movement: its org when the user may open it, else None (a
    member sees the movements of the committee above without learning its name)."""
    opened = set(
        Org.objects.visible_to(request.user, Role.MEMBER)
        .filter(pk__in={m.org_id for m in movements})
        .values_list("pk", flat=True)
    )
    for movement in movements:
        movement.issuer = movement.org if movement.org_id in opened else None  # type: ignore[attr-defined]


# --- emulation ------------------------------------------------------------------------------


@login_required
def emulation(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    movements = movements_for_unit(user=request.user, org=org)
    _mark_issuers(request, movements)
    context = _base(request, org) | {"movements": movements}
    return render(request, "initiatives/emulation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def movement_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.COMMITTEE)
    context = _base(request, org)
    if not context["can_launch"]:
        raise PermissionDenied
    today = timezone.localdate()
    form = MovementForm(
        request.POST or None,
        initial={
            "year": today.year,
            "starts_on": today,
            "ends_on": today.replace(month=12, day=31),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            movement = movement_launch(org=org, data=form.movement_data(), actor=_actor(request))
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"org": "__all__"})
        else:
            messages.success(
                request, _("Đã phát động phong trào “%(title)s”.") % {"title": movement.title}
            )
            return redirect("movement_detail", movement_id=movement.pk)
    context["form"] = form
    return render(request, "initiatives/movement_form.html", context)


@login_required
def movement_detail(request: HttpRequest, movement_id: int) -> HttpResponse:
    movement = movement_get_for(user=request.user, movement_id=movement_id)
    scope = scope_for(request.user)
    # The units the user scores for: those under the movement where they are officers.
    own_units = [
        org
        for org in Org.objects.filter(
            path__in=[path for path, role in scope.grants if role >= Role.OFFICER]
        )
        if org.path.startswith(movement.org.path) and org.pk != movement.org_id
    ]
    _mark_issuers(request, [movement])
    counted = sheet_counts(movement=movement) if scope.can(movement.org.path, Role.VIEWER) else {}
    context = {
        "movement": movement,
        "ancestors": org_ancestors_visible(user=request.user, org=movement.org),
        "criteria": list(movement.criteria.all()),
        "sheets": movement_sheets(user=request.user, movement=movement),
        "counts": [(label, counted.get(status, 0)) for status, label in SheetStatus.choices]
        if counted
        else [],
        "own_units": own_units,
    }
    return render(request, "initiatives/movement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request: HttpRequest, movement_id: int, code: str) -> HttpResponse:
    """A unit's scoring sheet: its officers score it, the launching committee confirms."""
    movement = movement_get_for(user=request.user, movement_id=movement_id)
    org = org_get_for(user=request.user, code=code)
    if not org.path.startswith(movement.org.path) or org.pk == movement.org_id:
        raise Http404
    require_role(request.user, org.path, Role.MEMBER)
    found, scores = sheet_for(movement=movement, org=org)
    confirming = bool(found and found.status == SheetStatus.SUBMITTED) and _can(
        request, movement.org, Role.COMMITTEE
    )
    may_score = (found is None or found.status == SheetStatus.DRAFT) and _can(
        request, org, Role.OFFICER
    )
    form = SheetForm(
        request.POST or None,
        criteria=list(movement.criteria.all()),
        scores=scores,
        confirming=confirming,
    )
    if request.method == "POST":
        if not (confirming or may_score):
            raise PermissionDenied
        if form.is_valid():
            try:
                if confirming:
                    assert found is not None
                    saved = sheet_confirm(
                        sheet=found,
                        points=form.points(),
                        comment=form.cleaned_data.get("comment", ""),
                        actor=_actor(request),
                    )
                    note = _("Đã xác nhận %(n)s điểm.") % {"n": saved.confirmed_total}
                else:
                    submit = request.POST.get("action") == "submit"
                    saved = sheet_self_score(
                        movement=movement,
                        org=org,
                        points=form.points(),
                        evidence=form.evidence(),
                        submit=submit,
                        actor=_actor(request),
                    )
                    note = (
                        _("Đã gửi bảng tự chấm %(n)s điểm lên cấp ủy.")
                        if submit
                        else _("Đã lưu bảng tự chấm %(n)s điểm.")
                    ) % {"n": saved.self_total}
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, note)
                return redirect("score_sheet", movement_id=movement.pk, code=org.code)
    context = _base(request, org) | {
        "movement": movement,
        "sheet": found,
        "scores": scores,
        "form": form,
        "confirming": confirming,
        "may_score": may_score,
    }
    return render(request, "initiatives/sheet.html", context)


# --- exemplars and awards ----------------------------------------------------------------------


@login_required
def honours(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    year = _year(request)
    context = _base(request, org, year) | {
        "exemplars": list(exemplars_for(user=request.user, org=org, year=year)[:100]),
        "awards": list(awards_for(user=request.user, org=org, year=year)[:200]),
        "counts": award_counts(org=org, year=year) if _can(request, org, Role.VIEWER) else None,
    }
    return render(request, "initiatives/honours.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def exemplar_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.OFFICER)
    models = initiatives_for(user=request.user, org=org)[:200]
    form = ExemplarForm(
        request.POST or None,
        people=_people(org),
        initiatives=[(i.pk, i.title) for i in models],
    )
    if request.method == "POST" and form.is_valid():
        try:
            exemplar = exemplar_record(org=org, data=form.exemplar_data(), actor=_actor(request))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi gương “%(title)s”.") % {"title": exemplar.title})
            return redirect("honours", code=org.code)
    context = _base(request, org) | {"form": form}
    return render(request, "initiatives/exemplar_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def award_create(request: HttpRequest, code: str) -> HttpResponse:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.OFFICER)
    form = AwardRecordForm(request.POST or None, people=_people(org))
    if request.method == "POST" and form.is_valid():
        try:
            award = award_record(org=org, data=form.award_data(), actor=_actor(request))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi %(form)s số %(number)s.")
                % {"form": award.get_form_display().lower(), "number": award.decision_number},
            )
            return redirect("honours", code=org.code)
    context = _base(request, org) | {"form": form}
    return render(request, "initiatives/award_form.html", context)


# --- units of measure --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    """Every unit of measure; administrators of the whole system add new ones."""
    may_add = scope_for(request.user).everything
    form = UnitForm(request.POST or None) if may_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit_create(
                    code=data["code"],
                    name=data["name"],
                    symbol=data["symbol"],
                    dimension=data["dimension"],
                    factor=data["factor"],
                    actor=_actor(request),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Đã thêm đơn vị đo."))
                return redirect("measure_units")
    context = {
        "units": list(MeasureUnit.objects.all()),
        "kinds": list(IndicatorKind.objects.all()),
        "form": form,
    }
    return render(request, "initiatives/units.html", context)
