"""What a member's party life needs from every step: who may decide, how dates are said,
and the names of orgs a reader may see.

The steps themselves live in `admissions`, `transfers` and `statuses`; the whole story of
one person (the timeline and party age) in `timeline`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.orgs.models import Family, Org

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


def vn(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def can_decide_above(user: AnyUser, org: Org) -> bool:
    """Whether the user sits on a committee above `org` (or on a committee covering it from
    above, like the base committee over its cells): who signs admissions, recognitions,
    suspensions, removals, expulsions and transfer letters."""
    scope = scope_for(user)
    if scope.everything:
        return True
    parent = org.parent_path or org.path
    role = scope.role_at(parent)
    return role is not None and role >= Role.COMMITTEE


def require_decider_above(user: AnyUser, org: Org) -> None:
    """404 when the org is outside the user's scope, 403 when the user may see it but does
    not sit on a committee above it."""
    scope = scope_for(user)
    if scope.role_at(org.path) is None:
        raise Http404
    if not can_decide_above(user, org):
        raise PermissionDenied


def check_day(
    errors: dict[str, str],
    field: str,
    day: datetime.date | None,
    *,
    label: str,
    required: bool = True,
    not_before: tuple[datetime.date | None, str] | None = None,
) -> None:
    """Add to `errors` what is wrong with a date typed into a step: missing, in the future,
    or before the step it follows."""
    if field in errors:
        return
    if day is None:
        if required:
            errors[field] = _("Cần nhập %(label)s.") % {"label": label}
        return
    if day > timezone.localdate():
        errors[field] = _("%(label)s %(date)s ở tương lai.") % {
            "label": label[:1].upper() + label[1:],
            "date": vn(day),
        }
        return
    if not_before is not None:
        earlier, what = not_before
        if earlier is not None and day < earlier:
            errors[field] = _("%(label)s %(date)s trước %(what)s (%(earlier)s).") % {
                "label": label[:1].upper() + label[1:],
                "date": vn(day),
                "what": what,
                "earlier": vn(earlier),
            }


def check_text(errors: dict[str, str], field: str, value: str, *, label: str) -> None:
    if field not in errors and not value.strip():
        errors[field] = _("Cần nhập %(label)s.") % {"label": label}


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def require_party_org(org: Org, field: str = "org") -> None:
    if org.family != Family.PARTY:
        raise ValidationError({field: _("%(org)s không phải tổ chức đảng.") % {"org": org.name}})
    if not org.is_active:
        raise ValidationError({field: _("%(org)s đã kết thúc hoạt động.") % {"org": org.name}})


def org_names_for(
    user: AnyUser, org_ids: Iterable[int | None], *, own_record: bool = False
) -> dict[int, str]:
    """Names of the orgs among `org_ids` the user may open; the others stay unnamed, so a
    page never tells a reader about a unit outside their scope. On one's own record every
    unit is named, as the member page names all of one's memberships."""
    wanted = {org_id for org_id in org_ids if org_id is not None}
    if not wanted:
        return {}
    orgs = Org.objects.all() if own_record else Org.objects.visible_to(user, Role.MEMBER)
    return dict(orgs.filter(pk__in=wanted).order_by().values_list("pk", "name"))


def org_name(names: dict[int, str], org_id: int | None, fallback: str = "") -> str:
    if org_id is None:
        return fallback
    return names.get(org_id) or _("(ngoài phạm vi xem)")
