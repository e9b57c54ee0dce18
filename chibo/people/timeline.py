"""A member's whole party life in date order, and their party age (tuổi đảng).

The timeline gathers what other tables already keep: admission steps, memberships (with
the moves of restructurings and transfers), changes of standing (from the audit trail, so
changes made by any page or import are in it), transfers and positions. A reader sees
only what lies in their scope; a unit outside it is never named.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.models import AuditEntry
from chibo.core.scoping import scope_for
from chibo.orgs.models import Family
from chibo.people.admissions import probation_end
from chibo.people.lifecycle import org_name, org_names_for
from chibo.people.models import (
    Admission,
    EndReason,
    Membership,
    MembershipStatus,
    Person,
    Transfer,
    TransferKind,
    TransferStatus,
)
from chibo.people.party_rules import months_between
from chibo.people.selectors import person_memberships_for, person_positions_for

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


@dataclass(frozen=True)
class TimelineEvent:
    day: datetime.date
    kind: str  # admission, membership, status, transfer, position
    title: str
    detail: str = ""
    # Events of one day in the order they happen: admitted before taking part, etc.
    order: int = 5


@dataclass(frozen=True)
class PartyAge:
    since: datetime.date
    years: int
    months: int
    gap_days: int
    # False for a probationary member: party age counts only once they are official.
    counted: bool
    official_from: datetime.date | None = None


def party_age(*, person: Person, today: datetime.date | None = None) -> PartyAge | None:
    """Party age from the date of the (first) admission decision to today, or to the day the
    membership ended, less the gaps between one party membership and the next (removal,
    expulsion, leaving and coming back, time between units). Điều lệ Đảng, Điều 5.4;
    24-QĐ/TW 4.5.1; Hướng dẫn 01-HD/TW (2021) 5.3 for readmitted members."""
    day = today or timezone.localdate()
    memberships = list(
        Membership.objects.filter(person=person, family=Family.PARTY).order_by("started_on", "pk")
    )
    admitted = [m.joined_on for m in memberships if m.joined_on is not None]
    if not admitted:
        return None
    since = min(admitted)
    current = next((m for m in memberships if m.is_current), None)
    if current is not None and current.status == MembershipStatus.PROBATIONARY:
        return PartyAge(
            since=since,
            years=0,
            months=0,
            gap_days=0,
            counted=False,
            official_from=probation_end(current),
        )
    gap_days = 0
    previous_end: datetime.date | None = None
    for membership in memberships:
        if previous_end is not None and membership.started_on > previous_end:
            gap_days += (membership.started_on - previous_end).days
        previous_end = membership.ended_on
    end = day if current is not None else max((m.ended_on or day) for m in memberships)
    months = months_between(since, end - datetime.timedelta(days=gap_days))
    return PartyAge(
        since=since, years=months // 12, months=months % 12, gap_days=gap_days, counted=True
    )


def _sees_everything(user: AnyUser, person: Person) -> bool:
    scope = scope_for(user)
    return scope.everything or scope.person_id == person.pk


def person_timeline_for(*, user: AnyUser, person: Person) -> list[TimelineEvent]:
    """Everything of the person's life in organisations that the user may read, oldest
    first. A bounded number of queries, whatever the length of the story."""
    whole = _sees_everything(user, person)
    memberships = list(person_memberships_for(user=user, person=person))
    positions = list(person_positions_for(user=user, person=person))
    admissions_qs = Admission.objects.filter(person=person)
    transfers_qs = Transfer.objects.filter(person=person)
    if not whole:
        admissions_qs = admissions_qs.visible_to(user)
        transfers_qs = transfers_qs.visible_to(user)
    admissions = list(admissions_qs.order_by("listed_on", "pk"))
    transfers = list(transfers_qs.order_by("cause_on", "pk"))
    by_id = {m.pk: m for m in Membership.objects.filter(person=person)}
    names = org_names_for(
        user,
        [m.org_id for m in by_id.values()]
        + [p.org_id for p in positions]
        + [a.org_id for a in admissions]
        + [a.decided_by_id for a in admissions]
        + [t.org_id for t in transfers]
        + [t.target_id for t in transfers],
        own_record=whole,
    )
    events: list[TimelineEvent] = []
    events += _admission_events(admissions, names)
    decided = {a.decision_on for a in admissions if a.decision_on}
    arrived = {t.arrived_id for t in transfers if t.arrived_id}
    events += _membership_events(memberships, by_id, names, decided, arrived)
    events += _status_events(memberships)
    events += _transfer_events(transfers, names)
    for position in positions:
        where = org_name(names, position.org_id)
        title = position.get_title_display()
        events.append(
            TimelineEvent(
                position.started_on,
                "position",
                _("Giữ chức %(title)s, %(org)s") % {"title": title, "org": where},
            )
        )
        if position.ended_on:
            events.append(
                TimelineEvent(
                    position.ended_on,
                    "position",
                    _("Thôi giữ chức %(title)s, %(org)s") % {"title": title, "org": where},
                )
            )
    unique: dict[tuple[datetime.date, str], TimelineEvent] = {}
    for event in events:
        unique.setdefault((event.day, event.title), event)
    return sorted(unique.values(), key=lambda event: (event.day, event.order))


def _admission_events(admissions: list[Admission], names: dict[int, str]) -> list[TimelineEvent]:
    events = []
    for a in admissions:
        cell = org_name(names, a.org_id)
        events.append(
            TimelineEvent(
                a.listed_on,
                "admission",
                _("Vào danh sách quần chúng ưu tú của %(org)s") % {"org": cell},
                a.note,
            )
        )
        if a.course_completed_on:
            events.append(
                TimelineEvent(
                    a.course_completed_on,
                    "admission",
                    _("Học xong lớp bồi dưỡng nhận thức về Đảng"),
                    _("Giấy chứng nhận số %(number)s") % {"number": a.course_certificate},
                )
            )
        if a.cell_resolution_on:
            events.append(
                TimelineEvent(
                    a.cell_resolution_on,
                    "admission",
                    _("Chi bộ đề nghị kết nạp"),
                    _("Nghị quyết số %(number)s") % {"number": a.cell_resolution_number},
                )
            )
        if a.decision_on:
            events.append(
                TimelineEvent(
                    a.decision_on,
                    "admission",
                    _("Được kết nạp vào Đảng (đảng viên dự bị)"),
                    _("Quyết định số %(number)s của %(org)s")
                    % {"number": a.decision_number, "org": names[a.decided_by_id]}
                    if a.decided_by_id in names
                    else _("Quyết định số %(number)s") % {"number": a.decision_number},
                )
            )
        if a.ceremony_on:
            events.append(
                TimelineEvent(
                    a.ceremony_on, "admission", _("Lễ kết nạp tại %(org)s") % {"org": cell}
                )
            )
        if a.stopped_on:
            events.append(
                TimelineEvent(a.stopped_on, "admission", _("Dừng xem xét kết nạp"), a.stop_reason)
            )
    return events


def _membership_events(
    memberships: list[Membership],
    by_id: dict[int, Membership],
    names: dict[int, str],
    decided: set[datetime.date],
    arrived: set[int],
) -> list[TimelineEvent]:
    events = []
    for m in memberships:
        where = org_name(names, m.org_id)
        previous = by_id.get(m.previous_id) if m.previous_id else None
        if m.pk in arrived:
            pass  # the transfer's own event says it
        elif previous is not None and previous.end_reason in (EndReason.MERGED, EndReason.SPLIT):
            events.append(
                TimelineEvent(
                    m.started_on,
                    "membership",
                    _("Sinh hoạt tại %(org)s (%(why)s)")
                    % {"org": where, "why": EndReason(previous.end_reason).label.lower()},
                )
            )
        else:
            events.append(
                TimelineEvent(
                    m.started_on, "membership", _("Sinh hoạt tại %(org)s") % {"org": where}
                )
            )
        if m.family == Family.PARTY and m.joined_on and m.joined_on not in decided:
            events.append(
                TimelineEvent(
                    m.joined_on, "membership", _("Vào Đảng (ngày quyết định kết nạp)"), order=1
                )
            )
        elif m.family != Family.PARTY and m.joined_on:
            events.append(
                TimelineEvent(
                    m.joined_on,
                    "membership",
                    _("Vào %(family)s") % {"family": Family(m.family).label},
                )
            )
        if m.official_on:
            events.append(TimelineEvent(m.official_on, "membership", _("Đảng viên chính thức")))
    return events


def _status_events(memberships: list[Membership]) -> list[TimelineEvent]:
    """Changes of standing, from the audit trail of the memberships the reader sees, and
    from the rows themselves for records written before any audit (a seed, an import)."""
    ids = [m.pk for m in memberships]
    events = []
    seen: set[tuple[int, str]] = set()
    entries = AuditEntry.objects.filter(
        subject_type=Membership._meta.label_lower, subject_id__in=ids
    ).filter(~Q(before={}))
    for entry in entries.order_by("at", "pk"):
        before, after = entry.before.get("status"), entry.after.get("status")
        if not after or before == after or after not in MembershipStatus.values:
            continue
        raw = entry.after.get("status_changed_on")
        day = datetime.date.fromisoformat(raw) if raw else entry.at.date()
        events.append(_status_event(day, after, entry.after))
        seen.add((entry.subject_id, after))
    for m in memberships:
        if m.status_changed_on and (m.pk, m.status) not in seen:
            values = {"status_reason": m.status_reason, "decision_number": m.decision_number}
            events.append(_status_event(m.status_changed_on, m.status, values))
    return events


def _status_event(day: datetime.date, status: str, values: Mapping[str, object]) -> TimelineEvent:
    parts = []
    if values.get("status_reason"):
        parts.append(str(values["status_reason"]))
    if values.get("decision_number"):
        parts.append(_("Số quyết định: %(number)s") % {"number": values["decision_number"]})
    title = str(MembershipStatus(status).label)
    if status == MembershipStatus.OFFICIAL:
        title = _("Đảng viên chính thức")
    return TimelineEvent(day, "status", title, " · ".join(parts))


def _transfer_events(transfers: list[Transfer], names: dict[int, str]) -> list[TimelineEvent]:
    events = []
    for t in transfers:
        home = org_name(names, t.org_id)
        where = org_name(names, t.target_id, t.target_text)
        kind = t.get_kind_display()
        events.append(
            TimelineEvent(
                t.cause_on,
                "transfer",
                _("%(kind)s từ %(home)s đến %(where)s")
                % {"kind": kind, "home": home, "where": where},
                t.reason,
            )
        )
        if t.introduced_on:
            events.append(
                TimelineEvent(
                    t.introduced_on,
                    "transfer",
                    _("Giới thiệu sinh hoạt đảng đến %(where)s") % {"where": where},
                    _("Giấy giới thiệu số %(number)s") % {"number": t.letter_number},
                )
            )
        if t.received_on:
            events.append(
                TimelineEvent(
                    t.received_on,
                    "transfer",
                    _("Sinh hoạt tạm thời tại %(where)s") % {"where": where}
                    if t.kind == TransferKind.TEMPORARY
                    else _("Chuyển sinh hoạt chính thức về %(where)s") % {"where": where},
                )
            )
        if t.returned_on:
            events.append(
                TimelineEvent(
                    t.returned_on,
                    "transfer",
                    _("Trở về sinh hoạt tại %(home)s") % {"home": home},
                )
            )
        if t.cancelled_on and t.status == TransferStatus.CANCELLED:
            events.append(
                TimelineEvent(
                    t.cancelled_on, "transfer", _("Hủy việc chuyển sinh hoạt"), t.cancel_reason
                )
            )
    return events
