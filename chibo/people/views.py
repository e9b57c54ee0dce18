"""Pages about units and their people.

The org pages live here rather than in `orgs` because they show members, officers and
counts, and `people` builds on `orgs`, never the other way round. Every object comes
through the scoping layer (`org_get_for`, `person_get_for`, `visible_to`, `require_role`),
so anything outside the user's subtree answers 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from chibo.core.models import AuditEntry, User
from chibo.core.roles import Role
from chibo.core.scoping import require_role, scope_for
from chibo.core.vntext import fold, nfc
from chibo.orgs import divisions
from chibo.orgs.models import Family, Org
from chibo.orgs.selectors import (
    org_ancestors_visible,
    org_can_split,
    org_child_levels,
    org_children,
    org_get_for,
    org_merge_links,
    org_roots_for,
    org_roots_with_role,
    org_search,
    org_subtree_for,
    org_units_for,
)
from chibo.orgs.services import grant_create, grant_revoke
from chibo.people import trigram
from chibo.people.forms import (
    GrantForm,
    MemberCreateForm,
    MemberFilterForm,
    MembershipEditForm,
    PersonEditForm,
    apply_service_errors,
)
from chibo.people.models import Membership, MembershipStatus, Title
from chibo.people.selectors import (
    JUMP_LETTERS,
    BadCursor,
    MemberRoll,
    RollKey,
    cursor_dump,
    cursor_load,
    grant_get_for,
    grant_list_for,
    grant_user_candidates,
    grant_user_lookup,
    letter_key,
    member_roll,
    org_history,
    org_member_counts,
    org_member_totals,
    org_officers,
    person_can_admin,
    person_can_edit,
    person_editable_memberships,
    person_get_for,
    person_history_for,
    person_login,
    person_memberships_for,
    person_positions_for,
)
from chibo.people.services import member_add, membership_edit, person_update
from chibo.people.views_lifecycle import member_list_guests, org_party_block, party_life_panel

# --- home ------------------------------------------------------------------------------


@dataclass
class UnitCard:
    org: Org
    role: Role | None
    total: int
    can_read: bool = False
    can_add: bool = False
    can_admin: bool = False


def _unit_card(org: Org, role: Role | None, totals: dict[int, int]) -> UnitCard:
    return UnitCard(
        org=org,
        role=role,
        total=totals.get(org.pk, 0),
        can_read=role is not None and role >= Role.VIEWER,
        can_add=role is not None and role >= Role.OFFICER and org.is_active,
        can_admin=role is not None and role >= Role.ADMIN,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    units = sorted(org_units_for(user=request.user), key=lambda unit: unit[0].path)
    unit_paths = {org.path for org, _role in units}
    roots = [org for org in org_roots_with_role(user=request.user) if org.path not in unit_paths]
    totals = org_member_totals(orgs=[org for org, _role in units] + roots)
    me = person_get_for(user=request.user, person_id=scope.person_id) if scope.person_id else None
    context = {
        "me": me,
        "units": [_unit_card(org, role, totals) for org, role in units],
        "roots": [_unit_card(org, scope.role_at(org.path), totals) for org in roots],
    }
    return render(request, "people/home.html", context)


# --- org tree ----------------------------------------------------------------------------


@dataclass
class TreeNode:
    org: Org
    total: int
    expandable: bool
    children: list[TreeNode] | None = None
    parent_code: str = ""


@dataclass
class _TreeState:
    children_of: dict[int, list[Org]] = field(default_factory=dict)
    totals: dict[int, int] = field(default_factory=dict)


def _tree_nodes(
    orgs: list[Org], state: _TreeState, can_expand: dict[int, bool], parent_code: str = ""
) -> list[TreeNode]:
    nodes = []
    for org in orgs:
        children = state.children_of.get(org.pk)
        nodes.append(
            TreeNode(
                org=org,
                total=state.totals.get(org.pk, 0),
                expandable=can_expand.get(org.pk, False),
                children=_tree_nodes(children, state, can_expand, org.code)
                if children is not None
                else None,
                parent_code=parent_code,
            )
        )
    return nodes


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    """The visible forest; `?open=CODE` unfolds the branch down to that org."""
    user = request.user
    scope = scope_for(user)
    query = request.GET.get("q", "").strip()[:100]
    results: list[Org] = []
    if query:
        results = list(org_search(user=user, query=query))
    roots = list(org_roots_for(user=user))
    state = _TreeState()
    open_code = request.GET.get("open", "").strip()
    opened: Org | None = None
    if open_code:
        opened = org_get_for(user=user, code=open_code)
        # One query per level of the open branch: the cost follows the tree's depth,
        # never the number of orgs in it.
        for node in [*org_ancestors_visible(user=user, org=opened), opened]:
            state.children_of[node.pk] = list(org_children(user=user, org=node))
    shown = roots + results + [child for kids in state.children_of.values() for child in kids]
    state.totals = org_member_totals(orgs=list({org.pk: org for org in shown}.values()))
    can_expand = {org.pk: bool(org.numchild) and scope.can(org.path, Role.VIEWER) for org in shown}
    context = {
        "query": query,
        "results": [
            TreeNode(org=org, total=state.totals.get(org.pk, 0), expandable=False)
            for org in results
        ],
        "nodes": _tree_nodes(roots, state, can_expand),
        "opened": opened,
    }
    return render(request, "people/org_tree.html", context)


# --- org page ----------------------------------------------------------------------------


@dataclass
class FamilyCounts:
    family: str
    label: str
    total: int
    rows: list[tuple[str, int]]


# Officers are listed by rank, the order Title declares them in (Bí thư first).
TITLE_RANK = {value: rank for rank, value in enumerate(Title.values)}
STATUS_RANK = {value: rank for rank, value in enumerate(MembershipStatus.values)}


def _family_counts(rows: list[dict[str, object]]) -> list[FamilyCounts]:
    grouped: dict[str, FamilyCounts] = {}
    for row in sorted(rows, key=lambda row: STATUS_RANK.get(str(row["status"]), 99)):
        family = str(row["family"])
        count = int(row["count"])  # type: ignore[call-overload]
        group = grouped.setdefault(family, FamilyCounts(family, str(Family(family).label), 0, []))
        group.total += count
        group.rows.append((str(MembershipStatus(str(row["status"])).label), count))
    return list(grouped.values())


@login_required
def org_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    role = scope_for(user).role_at(org.path)
    can_read = role is not None and role >= Role.VIEWER
    is_officer = role is not None and role >= Role.OFFICER
    families = _family_counts(org_member_counts(org=org))
    children: list[Org] = list(org_children(user=user, org=org)) if can_read else []
    child_totals = org_member_totals(orgs=children)
    merged_into, merged_from = org_merge_links(user=user, org=org)
    context = {
        "org": org,
        "role": role,
        "can_read": can_read,
        "can_add": is_officer and org.is_active,
        "can_admin": role is not None and role >= Role.ADMIN,
        "can_restructure": role is not None and role >= Role.COMMITTEE and org.is_active,
        "can_create_child": org.is_active and bool(org_child_levels(user=user, parent=org)),
        "can_edit": role is not None and role >= Role.COMMITTEE,
        "can_split": org_can_split(user=user, org=org),
        "can_assign": is_officer and org.is_active,
        "can_end_positions": is_officer,
        "ancestors": org_ancestors_visible(user=user, org=org),
        "officers": sorted(
            org_officers(org=org),
            key=lambda position: (TITLE_RANK.get(position.title, 99), position.person.sort_key),
        ),
        "families": families,
        "total": sum(group.total for group in families),
        "children": [(child, child_totals.get(child.pk, 0)) for child in children],
        "ward_name": divisions.ward_name(org.ward_code),
        "province_name": divisions.province_name(org.province_code),
        "merged_into": merged_into,
        "merged_from": merged_from,
        "history": list(org_history(user=user, org=org, limit=20)) if is_officer else None,
        "party_life": org_party_block(request, org),
    }
    return render(request, "people/org_detail.html", context)


# --- member list -------------------------------------------------------------------------


@login_required
def org_members(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    role = scope_for(user).role_at(org.path)
    filters = MemberFilterForm(request.GET or None, family=org.family)
    query, status, descendants = "", "", False
    if filters.is_valid():
        query = filters.cleaned_data["q"]
        status = filters.cleaned_data["status"]
        descendants = filters.cleaned_data["descendants"]
    memberships = member_roll(
        user=user, org=org, query=query, status=status, descendants=descendants
    )
    size = settings.PAGE_SIZE
    listing = _member_listing(request, memberships, size)
    context = {
        "org": org,
        "filters": filters,
        "listing": listing,
        "page_obj": listing.page_obj,
        "query": query,
        "short_query": 0 < len(fold(query)) < trigram.MIN_QUERY,
        "descendants": descendants,
        "letters": [
            (letter, _list_link(request, letter=letter), letter == request.GET.get("letter"))
            for letter in JUMP_LETTERS
        ]
        if listing.total > size
        else [],
        "can_add": role is not None and role >= Role.OFFICER and org.is_active,
        "ancestors": org_ancestors_visible(user=user, org=org),
        "guests": member_list_guests(request, org, descendants=descendants),
    }
    return render(request, "people/org_members.html", context)


@dataclass
class MemberListing:
    """What the member list page shows of one page: rows, total, where it is, and links to
    the neighbouring pages (page numbers near the ends, cursors elsewhere)."""

    items: list[Membership]
    total: int
    # Paginator's page when the page was asked for by number, None when by cursor or letter.
    page_obj: Any = None
    first: str = ""
    previous: str = ""
    next: str = ""
    last: str = ""
    problem: str = ""
    # A search past its cap: there are more than `total` matches.
    total_is_lower_bound: bool = False

    @property
    def first_name(self) -> str:
        return self.items[0].person.given_name if self.items else ""

    @property
    def last_name(self) -> str:
        return self.items[-1].person.given_name if self.items else ""


def _list_link(request: HttpRequest, **changes: str) -> str:
    """This list's address with another page, keeping the search and the filters."""
    query = request.GET.copy()
    for name in ("page", "cursor", "letter"):
        query.pop(name, None)
    for name, value in changes.items():
        query[name] = value
    return "?" + query.urlencode()


def _member_listing(request: HttpRequest, roll: MemberRoll, size: int) -> MemberListing:
    token, letter = request.GET.get("cursor", ""), request.GET.get("letter", "")
    problem = ""
    if token or letter:
        try:
            key, backwards = cursor_load(token) if token else (letter_key(nfc(letter)), False)
        except BadCursor:
            problem = (
                _("Chữ cái “%(letter)s” không có trong bảng chữ cái để nhảy tới. ")
                % {"letter": letter[:5]}
                if letter and not token
                else _("Đường dẫn chuyển trang (cursor) không hợp lệ: có thể đã bị cắt hoặc sửa. ")
            ) + _("Đang hiện trang đầu.")
        else:
            found = roll.seek(key=key, backwards=backwards, limit=size)
            total = roll.count()
            listing = MemberListing(
                items=found.items, total=total, total_is_lower_bound=roll.count_is_lower_bound
            )
            if found.has_previous and found.items:
                listing.first = _list_link(request)
                listing.previous = _list_link(request, cursor=found.previous_cursor or "")
            elif total and not found.items:
                # A letter no given name starts with, nor any after it: back to the last page.
                listing.first = _list_link(request)
                listing.previous = _list_link(request, cursor=cursor_dump(key=None, backwards=True))
            if found.has_next:
                listing.next = _list_link(request, cursor=found.next_cursor or "")
                listing.last = _list_link(request, cursor=cursor_dump(key=None, backwards=True))
            return listing
    if roll.count_is_lower_bound and (request.GET.get("page") or "1") != "1":
        # A page number past the first needs the real size of the list (its last page, how
        # to read it): counted exactly before the paginator takes the total.
        roll.exact_count()
    paginator = Paginator(roll, size)
    # Checked before the page is read: reading a page far from both ends is what is refused.
    try:
        number = paginator.validate_number(request.GET.get("page") or 1)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages
    if not roll.reaches((number - 1) * size, size):
        problem = _(
            "Trang %(number)s ở quá xa đầu và cuối danh sách để mở theo số trang. Hãy bấm "
            "chữ cái đầu của tên, tìm theo tên, hoặc dùng nút “Trang sau”. Đang hiện trang đầu."
        ) % {"number": number}
        number = 1
    page = paginator.page(number)
    listing = MemberListing(
        items=list(page.object_list),
        total=paginator.count,
        page_obj=page,
        problem=problem,
        total_is_lower_bound=roll.count_is_lower_bound,
    )
    if listing.total_is_lower_bound:
        # The first page of a search past its cap: its neighbours are read by cursor, which
        # needs no exact count; the last page is the walk from the end.
        if listing.items and page.has_next():
            after = cursor_dump(key=RollKey.of(listing.items[-1]), backwards=False)
            listing.next = _list_link(request, cursor=after)
            listing.last = _list_link(request, cursor=cursor_dump(key=None, backwards=True))
        return listing
    if page.has_previous():
        listing.first = _list_link(request, page="1")
        listing.previous = _list_link(request, page=str(page.previous_page_number()))
    if page.has_next():
        following = page.next_page_number()
        if roll.reaches((following - 1) * size, size):
            listing.next = _list_link(request, page=str(following))
        else:
            after = cursor_dump(key=RollKey.of(listing.items[-1]), backwards=False)
            listing.next = _list_link(request, cursor=after)
        listing.last = _list_link(request, page=str(paginator.num_pages))
    return listing


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.OFFICER)
    form = MemberCreateForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = member_add(
                org=org,
                data=form.person_data(),
                status=data["status"],
                joined_on=data.get("joined_on"),
                official_on=data.get("official_on"),
                card_number=data.get("card_number") or "",
                actor=_actor(request),
            )
            person = membership.person
        except ValidationError as error:
            name_field = "given_name" if data.get("given_name") else "full_name"
            apply_service_errors(form, error, aliases={"given_name": name_field})
        else:
            messages.success(
                request,
                _("Đã thêm %(name)s vào %(org)s.") % {"name": person.full_name, "org": org.name},
            )
            return redirect("person_detail", person_id=person.pk)
    context = {
        "org": org,
        "form": form,
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "people/member_form.html", context)


# --- person pages ------------------------------------------------------------------------


@dataclass
class ChangeRow:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    entry: AuditEntry
    changes: list[ChangeRow]
    # A creation lists the values it set; there is no "before" worth showing.
    created: bool


# Fields the models leave without a Vietnamese name.
FIELD_LABELS = {
    "org": gettext_lazy("Tổ chức"),
    "is_active": gettext_lazy("Được đăng nhập"),
    "user": gettext_lazy("Tài khoản"),
    "end_reason": gettext_lazy("Lý do kết thúc"),
    "family": gettext_lazy("Hệ thống"),
}
EMPTY = "—"


def _field_of(subject_type: str, name: str) -> models.Field[Any, Any] | None:
    try:
        model = apps.get_model(subject_type)
        found = model._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return found if isinstance(found, models.Field) else None


def _field_position(subject_type: str, name: str) -> int:
    target = _field_of(subject_type, name)
    if target is None:
        return 999
    return [f.name for f in target.model._meta.get_fields()].index(name)


class _ValueNames:
    """Turns stored audit values (ids, codes, ISO dates) back into words, with the
    org and user names looked up once for a whole page of history."""

    def __init__(self, user: Any, entries: list[AuditEntry]) -> None:
        org_ids: set[int] = set()
        user_ids: set[int] = set()
        for entry in entries:
            for key, before, after in entry.changes():
                target = _field_of(entry.subject_type, key)
                if target is None or not target.is_relation:
                    continue
                ids = {v for v in (before, after) if isinstance(v, int)}
                if target.related_model is Org:
                    org_ids |= ids
                elif target.related_model is User:
                    user_ids |= ids
        # Names only of orgs the reader may open; the others stay anonymous.
        self.orgs = dict(
            Org.objects.visible_to(user, Role.MEMBER)
            .filter(pk__in=org_ids)
            .values_list("pk", "name")
        )
        self.users = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username"))

    def show(self, target: models.Field[Any, Any] | None, value: Any) -> str:
        if value is None or value == "":
            return EMPTY
        if target is None:
            return str(value)
        if target.is_relation:
            names = self.orgs if target.related_model is Org else self.users
            return str(names.get(value, _("(ngoài phạm vi xem)")))
        if target.choices:
            return str(dict(target.flatchoices).get(value, value))
        if isinstance(target, models.DateField) and isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
            except ValueError:
                return value
        if isinstance(value, bool):
            return _("Có") if value else _("Không")
        return str(value)


def _describe_history(user: Any, entries: list[AuditEntry]) -> list[HistoryRow]:
    """Audit entries as 'field: before → after' lines a secretary can read."""
    names = _ValueNames(user, entries)
    rows = []
    for entry in entries:
        changes = []
        keys = sorted(
            entry.changes(), key=lambda change: _field_position(entry.subject_type, change[0])
        )
        for key, before, after in keys:
            target = _field_of(entry.subject_type, key)
            shown = ChangeRow(
                str(FIELD_LABELS.get(key) or (target.verbose_name if target else key)),
                names.show(target, before),
                names.show(target, after),
            )
            if shown.before == shown.after:
                continue
            shown.label = shown.label[:1].upper() + shown.label[1:]
            changes.append(shown)
        created = entry.action == AuditEntry.Action.CREATE
        if created:
            changes = [change for change in changes if change.after != EMPTY]
        rows.append(HistoryRow(entry=entry, changes=changes, created=created))
    return rows


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = person_get_for(user=user, person_id=person_id)
    memberships = list(person_memberships_for(user=user, person=person))
    can_edit = person_can_edit(user=user, person=person)
    can_admin = person_can_admin(user=user, person=person)
    history = None
    if can_edit:
        history = _describe_history(user, list(person_history_for(user=user, person=person)))
    context = {
        "person": person,
        "is_me": scope_for(user).person_id == person.pk,
        "current_memberships": [m for m in memberships if m.is_current],
        "past_memberships": [m for m in memberships if not m.is_current],
        "positions": list(person_positions_for(user=user, person=person)),
        "can_edit": can_edit,
        "can_admin": can_admin,
        "login": person_login(person=person) if can_admin else None,
        "history": history,
        "party_life": party_life_panel(request, person),
    }
    return render(request, "people/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = person_get_for(user=user, person_id=person_id)
    if not person_can_edit(user=user, person=person):
        raise PermissionDenied
    editable = person_editable_memberships(user=user, person=person)
    membership = _chosen_membership(editable, request.GET.get("m", ""))
    data = request.POST if request.method == "POST" else None
    form = PersonEditForm(data, person=person)
    membership_form = (
        MembershipEditForm(data, membership=membership, prefix="m")
        if membership is not None
        else None
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (membership_form is None or membership_form.is_valid())
    ):
        try:
            with transaction.atomic():
                person_update(person=person, data=form.person_data(), actor=_actor(request))
                if (
                    membership is not None
                    and membership_form is not None
                    and (membership_form.has_changed())
                ):
                    _update_membership(request, membership, membership_form.cleaned_data)
        except ValidationError as error:
            _apply_edit_errors(form, membership_form, error)
            person.refresh_from_db()
        else:
            messages.success(request, _("Đã lưu hồ sơ của %(name)s.") % {"name": person.full_name})
            if membership is not None and not membership.is_current:
                return redirect("org_members", code=membership.org.code)
            return redirect("person_detail", person_id=person.pk)
    context = {
        "person": person,
        "form": form,
        "membership": membership,
        "membership_form": membership_form,
        "editable": editable,
    }
    return render(request, "people/person_form.html", context)


def _chosen_membership(editable: list[Membership], wanted: str) -> Membership | None:
    for membership in editable:
        if str(membership.pk) == wanted:
            return membership
    return editable[0] if editable else None


def _update_membership(request: HttpRequest, membership: Membership, data: dict[str, Any]) -> None:
    membership_edit(
        membership=membership,
        status=data.get("status") or "",
        joined_on=data.get("joined_on"),
        official_on=data.get("official_on"),
        card_number=data.get("card_number") or "",
        reason=data.get("reason") or "",
        actor=_actor(request),
    )


def _apply_edit_errors(
    form: PersonEditForm, membership_form: MembershipEditForm | None, error: ValidationError
) -> None:
    if membership_form is None or not hasattr(error, "error_dict"):
        apply_service_errors(form, error)
        return
    person_part: dict[str, list[str]] = {}
    membership_part: dict[str, list[str]] = {}
    for key, messages_ in error.message_dict.items():
        (membership_part if key in membership_form.fields else person_part)[key] = messages_
    if person_part:
        apply_service_errors(form, ValidationError(person_part))
    if membership_part:
        apply_service_errors(membership_form, ValidationError(membership_part))


# --- grants ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def org_grants(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.ADMIN)
    orgs = org_subtree_for(user=user, org=org, min_role=Role.ADMIN)
    form = GrantForm(request.POST if request.POST.get("action") == "grant" else None, orgs=orgs)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            grant = grant_get_for(user=user, org=org, grant_id=_int(request.POST.get("grant")))
            grant_revoke(grant=grant, actor=_actor(request))
            messages.success(
                request,
                _("Đã thu hồi quyền %(role)s của %(user)s tại %(org)s.")
                % {
                    "role": Role(grant.role).label,
                    "user": grant.user.get_username(),
                    "org": grant.org.name,
                },
            )
            return redirect("org_grants", code=org.code)
        if form.is_valid():
            target = grant_user_lookup(org=org, username=form.cleaned_data["username"])
            where = {o.code: o for o in orgs}[form.cleaned_data["org"]]
            if target is None:
                form.add_error(
                    "username",
                    _("Không có tài khoản “%(username)s” của người đang sinh hoạt trong %(org)s.")
                    % {"username": form.cleaned_data["username"], "org": org.name},
                )
            else:
                grant_create(
                    user=target,
                    org=where,
                    role=Role(form.cleaned_data["role"]),
                    actor=_actor(request),
                )
                messages.success(
                    request,
                    _("Đã cấp quyền %(role)s tại %(org)s cho %(user)s.")
                    % {
                        "role": Role(form.cleaned_data["role"]).label,
                        "org": where.name,
                        "user": target.get_username(),
                    },
                )
                return redirect("org_grants", code=org.code)
    context = {
        "org": org,
        "form": form,
        "grants": list(grant_list_for(user=user, org=org)),
        "candidates": grant_user_candidates(org=org),
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "people/org_grants.html", context)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


def _actor(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None
