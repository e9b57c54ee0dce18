"""The proof that scoping holds on every page and every API route.

The test walks every URL pattern of the project and every operation of the API and,
for each demo persona, asks for objects outside the persona's subtree: the answer must
be 404, and a form posted with them must write nothing. The forms of the persona's own
pages are posted with an outside object in every field that names one (BODY_REFS), and
personas that only read post the forms an officer is shown: refused, nothing written.
Lists must not name orgs or people outside the subtree, and every persona must get its
own objects (so the test cannot pass by refusing everything). See docs/access-matrix.md.

What a persona may see is written down here from the demo's description (READS), not
computed by the scoping layer under test.

A route this file does not know fails `test_every_route_is_covered`: a new page or API
operation must either be listed as public or take only URL arguments that KWARGS knows
how to fill with an object inside and outside a persona's scope.
"""

from __future__ import annotations

import datetime
import functools
import html
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import openpyxl
import pytest
from django.apps import apps
from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

import chibo
from chibo.api import api
from chibo.core.api_auth import api_token_create
from chibo.core.models import User
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.services import org_create
from chibo.people.admissions import admission_open
from chibo.people.models import (
    Admission,
    Membership,
    MembershipStatus,
    Person,
    Position,
    Title,
    Transfer,
)
from chibo.people.services import (
    PersonData,
    membership_create,
    person_create,
    position_assign,
)
from chibo.people.transfers import TransferRequest, transfer_request

PERSONAS = ("bithu1", "bithu2", "dangvien1", "chihoi1", "danguy", "tinhuy")

# Subtrees each persona reads (positions and grants of the demo). Their own units as
# plain members come from their memberships.
READS: dict[str, tuple[str, ...]] = {
    "bithu1": ("DU-DT-CB01",),
    "bithu2": ("DU-DT-CB02",),
    "dangvien1": (),
    "chihoi1": ("HLHPN-DT-CH01",),
    "danguy": ("DU-DT", "HLHPN-DT"),
    "tinhuy": ("TU-TN", "HLHPN-TN"),
}

# Subtrees where each persona is an officer or above: where it changes things, such as
# offices. Positions are fetched only among those the user may change, so a position in a
# subtree the persona merely reads is outside too (404), like anything in another subtree.
WRITES: dict[str, tuple[str, ...]] = {
    "bithu1": ("DU-DT-CB01",),
    "bithu2": ("DU-DT-CB02",),
    "dangvien1": (),
    "chihoi1": ("HLHPN-DT-CH01",),
    "danguy": ("DU-DT",),
    "tinhuy": (),
}

# The outside orgs one would try first (the sibling cell, the committee above, the other
# organisation), tried before the sweep over every other org; the province the test
# builds outside every demo root is added for everyone.
NAMED_OUTSIDE: dict[str, tuple[str, ...]] = {
    "bithu1": ("DU-DT-CB02", "DU-DT", "HLHPN-DT-CH01", "DU-HLHPN-CB1"),
    "bithu2": ("DU-DT-CB01", "DU-DT", "HLHPN-DT-CH02"),
    "dangvien1": ("DU-DT-CB02", "DU-DT", "HLHPN-DT-CH01"),
    "chihoi1": ("DU-DT-CB01", "DU-DT", "HLHPN-DT-CH02", "HLHPN-DT"),
    "danguy": ("DU-HLHPN", "DU-HLHPN-CB1", "DBK-TN", "TU-TN", "HLHPN-TN"),
    "tinhuy": (),
}

# One org each persona opens, for the sanity checks.
INSIDE_ORG: dict[str, str] = {
    "bithu1": "DU-DT-CB01",
    "bithu2": "DU-DT-CB02",
    "dangvien1": "DU-DT-CB01",
    "chihoi1": "HLHPN-DT-CH01",
    "danguy": "DU-DT-CB05",
    "tinhuy": "DU-HLHPN-CB1",
}

# Routes anyone may call, logged in or not. Page routes by pattern, API by method + path.
PUBLIC_PAGES = {
    "login/": "the login form",
    "logout/": "logging out",
    "i18n/setlang/": "choosing the language",
    "api/v1/": "django-ninja's root, a 404 that lets it reverse its own URLs",
    "api/v1/^": "any other path under the API: the API's JSON 404, the same for everyone",
    "api/v1/openapi.json": "the API description",
    "calendar/<str:token>.ics": (
        "a member's private iCalendar feed: calendar programs cannot log in, so the long "
        "random token in the URL is the key; an unknown or revoked token answers 404 "
        "(tested in chibo/meetings/tests/test_reminders.py)"
    ),
    "orgs/divisions/<int:province>/communes.json": (
        "the official communes of a province for the place picker: the same list for "
        "everyone, no org or person in it (login required, see SIGNED_IN_PUBLIC)"
    ),
}
# Public routes that still want a login.
SIGNED_IN_PUBLIC = {"orgs/divisions/<int:province>/communes.json": {"province": 19}}
PUBLIC_API = {
    ("POST", "/api/v1/auth/token"): "exchanging a password for a token",
    ("GET", "/api/v1/openapi.json"): "the API description",
}
API_PREFIX = "api/v1/"

# Fields a form route may expect; a view that lets an outsider through would find
# enough here to write something, which the test would then see.
POST_DATA = {
    "full_name": "Tôn Thất Xâm Nhập",
    "family_name": "Tôn Thất",
    "middle_name": "Xâm",
    "given_name": "Nhập",
    "gender": "male",
    "birth_date": "01/01/1980",
    "status": "official",
    "joined_on": "01/01/2010",
    "official_on": "01/01/2011",
    "m-status": "removed",
    "m-reason": "Thử quyền",
    "reason": "Thử quyền",
    "action": "grant",
    "role": "50",
    "confirm": "on",
    "on": "01/07/2025",
    "title": "committee_member",
    "started_on": "01/07/2025",
    "ended_on": "01/07/2025",
    "code-0": "XAM-NHAP-1",
    "name-0": "Chi bộ Xâm Nhập",
    "rows": "1",
    "password1": "Xam-Nhap-2025!",
    "password2": "Xam-Nhap-2025!",
}

# Form fields that name an object, by the kind of object: a URL argument of KWARGS, or
# one of BODY_KINDS for objects no URL names. The matrix posts outside objects in them
# (and a value naming nothing) on routes opened with inside objects: a form must not move,
# merge, grant, publish or end anything its user cannot see. A prefixed field
# ("agenda-person") counts by its last part. A new form field naming an object belongs here.
BODY_REFS: dict[str, str] = {
    "target": "code",
    "org": "code",
    "person": "person_id",
    "owner_person": "person_id",
    "preparer": "person_id",
    "chair": "person_id",
    "minute_taker": "person_id",
    "attendee": "person_id",
    "document": "document_id",
    "theme": "theme_id",
    "topic": "topic_id",
    "initiative": "initiative_id",
    "assignment": "assignment",
    "grant": "grant",
    "indicator": "indicator",
    "payment": "payment",
    "excuse": "excuse",
    "evaluation": "evaluation",
}
# A value naming no object at all: answered like an unknown one (200 with an error, or
# 404), never a server error.
NOT_AN_ID = "abc"

# Bodies for API operations that write, by (method, path): required before such an
# operation is covered, so that a 404 is not merely a 422 for an empty body.
API_WRITE_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/meetings/{meeting_id}/absence-notices"): {"reason": "Bận việc nhà"},
    ("POST", "/api/v1/orgs/{code}/meetings"): {
        "kind": "regular",
        "starts_at": "2026-12-05T19:00:00+07:00",
    },
    ("POST", "/api/v1/meetings/{meeting_id}/attendance"): {"entries": []},
    ("POST", "/api/v1/orgs/{code}/initiatives"): {
        "kind": "model",
        "title": "Hũ gạo tình thương",
        "tasks": "Mỗi tuần góp một nắm gạo",
        "starts_on": "2026-01-05",
        "indicators": [{"kind": "tiet-kiem-gao", "unit": "kg", "target": "100"}],
    },
}

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

OUTSIDER_ROOT = "NGOAI-TINH"
OUTSIDER_CELL = "NGOAI-TINH-CB01"
OUTSIDER_NAME = "Khổng Ngoại Tỉnh"
OUTSIDER_CANDIDATE = "Khổng Thị Ứng Viên"


# --- what each persona may see, from the data ----------------------------------------


@dataclass
class Sight:
    """Orgs and people a persona may open, read or see named, computed from READS.

    A plain member opens their unit without reading its roll, yet its page may name the
    unit's officers: people of one's own units are "mentionable", not "readable".
    """

    username: str
    user: User
    person_id: int | None
    readable_orgs: set[str]
    openable_orgs: set[str]
    readable_people: set[int]
    mentionable_people: set[int]
    outside_orgs: list[str]
    outside_people: list[int]
    inside_org: str
    inside_people: list[int]
    own_units: set[str] = field(default_factory=set)
    writable_orgs: set[str] = field(default_factory=set)
    inside_positions: list[int] = field(default_factory=list)
    outside_positions: list[int] = field(default_factory=list)
    client: Client = field(repr=False, default_factory=Client)
    api_client: Client = field(repr=False, default_factory=Client)
    _leak_pattern: re.Pattern[str] | None = field(repr=False, default=None)

    def leak_pattern(self) -> re.Pattern[str] | None:
        """One regex matching any code or name of an org or person outside the scope."""
        if self._leak_pattern is None:
            self._leak_pattern = _leak_pattern(self)
        return self._leak_pattern


def _current_memberships() -> list[tuple[int, str]]:
    return list(
        Membership.objects.filter(ended_on__isnull=True).values_list("person_id", "org__code")
    )


def _tracked_candidates() -> list[tuple[int, str]]:
    """(person, cell) of everyone a cell tracks for admission: readers of the cell open
    the candidate's record, though the candidate is on no party roll."""
    return list(Admission.objects.values_list("person_id", "org__code"))


def _closed_by_status() -> list[tuple[int, str]]:
    """(person, unit) of members a unit took off its roll (removed, deceased…): the unit's
    readers still open their records."""
    return list(
        Membership.objects.filter(ended_on__isnull=False, end_reason="status").values_list(
            "person_id", "org__code"
        )
    )


def _incoming_transfers() -> list[tuple[int, str]]:
    """(person, unit) of members being transferred into a unit, or staying there for a
    while: the unit's readers see their names, not their records."""
    return list(
        Transfer.objects.filter(target__isnull=False)
        .exclude(status__in=["cancelled", "returned"])
        .values_list("person_id", "target__code")
    )


def sight_for(username: str, inside_code: str | None = None) -> Sight:
    """What `username` sees; `inside_code` opens another of its orgs than INSIDE_ORG's."""
    user = User.objects.get(username=username)
    person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    orgs = list(Org.objects.values_list("code", "path"))
    read_paths = [path for code, path in orgs if code in READS[username]]
    assert len(read_paths) == len(READS[username]), f"READS of {username} names unknown orgs"
    readable = {code for code, path in orgs if any(path.startswith(r) for r in read_paths)}
    memberships = _current_memberships() + _tracked_candidates() + _closed_by_status()
    own_units = {code for pid, code in memberships if pid == person_id}
    openable = readable | own_units
    readable_people = {pid for pid, code in memberships if code in readable}
    mentionable = readable_people | {pid for pid, code in memberships if code in own_units}
    mentionable |= {pid for pid, code in _incoming_transfers() if code in readable}
    if person_id is not None:
        readable_people.add(person_id)
        mentionable.add(person_id)

    named = list(NAMED_OUTSIDE[username])
    for code in named:
        assert code not in openable, f"NAMED_OUTSIDE[{username!r}] lists {code}, which it opens"
    sweep = [code for code, _path in orgs if code not in openable and code not in named]
    outside_orgs = named + sweep

    # One person per org the persona does not read (their own unit included, for a plain
    # member does not open colleagues' profiles), plus someone on no roll at all.
    outside_people: list[int] = []
    seen_orgs: set[str] = set()
    for pid, code in sorted(memberships):
        if pid in readable_people or code in seen_orgs or code in readable:
            continue
        seen_orgs.add(code)
        outside_people.append(pid)
    rolled = {pid for pid, _code in memberships}
    nobody = Person.objects.exclude(pk__in=rolled).values_list("pk", flat=True).first()
    if nobody is not None and nobody != person_id:
        outside_people.append(nobody)

    inside_code = inside_code or INSIDE_ORG[username]
    assert inside_code in openable, f"INSIDE_ORG[{username!r}] = {inside_code} is not opened"
    others = sorted(pid for pid, code in memberships if code == inside_code and pid != person_id)
    inside_people = ([person_id] if person_id else []) + (
        others[:1] if inside_code in readable else []
    )
    return Sight(
        username=username,
        user=user,
        person_id=person_id,
        readable_orgs=readable,
        openable_orgs=openable,
        readable_people=readable_people,
        mentionable_people=mentionable,
        outside_orgs=outside_orgs,
        outside_people=outside_people,
        inside_org=inside_code,
        inside_people=inside_people,
        own_units=own_units,
        **_position_sight(username, orgs, inside_code),
    )


def _position_sight(username: str, orgs: list[tuple[str, str]], inside_code: str) -> dict[str, Any]:
    """Positions the persona may change (in the inside org, if it manages it) and one
    position of every org it does not manage, readable or not."""
    write_paths = [path for code, path in orgs if code in WRITES[username]]
    assert len(write_paths) == len(WRITES[username]), f"WRITES of {username} names unknown orgs"
    writable = {code for code, path in orgs if any(path.startswith(w) for w in write_paths)}
    positions = list(Position.objects.order_by("pk").values_list("pk", "org__code"))
    inside = [pk for pk, code in positions if code == inside_code and code in writable][:1]
    outside: list[int] = []
    seen: set[str] = set()
    for pk, code in positions:
        if code not in writable and code not in seen:
            seen.add(code)
            outside.append(pk)
    return {"writable_orgs": writable, "inside_positions": inside, "outside_positions": outside}


@functools.cache
def interface_text() -> str:
    """Every template and source file of the app, but the demo's own data."""
    root = Path(chibo.__file__).parent
    data_files = {"demo.py", "names.py", "seeding.py"}
    texts = [
        path.read_text(encoding="utf-8")
        for pattern in ("**/*.html", "**/*.py")
        for path in root.glob(pattern)
        if path.name not in data_files and "tests" not in path.parts
    ]
    return unicodedata.normalize("NFC", "\n".join(texts))


def _leak_pattern(sight: Sight) -> re.Pattern[str] | None:
    orgs = list(Org.objects.values_list("code", "name"))
    people = list(Person.objects.values_list("pk", "full_name"))
    inside = [code for code, _name in orgs if code in sight.openable_orgs]
    inside += [name for code, name in orgs if code in sight.openable_orgs]
    inside += [name for pk, name in people if pk in sight.mentionable_people]
    outside = {code for code, _name in orgs if code not in sight.openable_orgs}
    outside |= {name for code, name in orgs if code not in sight.openable_orgs}
    outside |= {name for pk, name in people if pk not in sight.mentionable_people}
    inside_text = "\n".join(inside)
    # A namesake inside the scope may be shown, and an example in a help text is no leak:
    # only names that neither someone inside nor the interface itself bears can leak.
    interface = interface_text()
    terms = sorted(
        (t for t in outside if t and t not in inside_text and t not in interface),
        key=len,
        reverse=True,
    )
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in terms)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def response_body(response: Any) -> bytes:
    """The bytes of a response, streamed (downloads) or not; read once, then kept."""
    if not getattr(response, "streaming", False):
        return bytes(response.content)
    if not hasattr(response, "matrix_body"):
        response.matrix_body = b"".join(response.streaming_content)
    return bytes(response.matrix_body)


def spreadsheet_text(body: bytes) -> str:
    """Every cell of every sheet of an XLSX download, one line per row."""
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    lines = [
        "\t".join("" if value is None else str(value) for value in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return "\n".join(lines)


def response_text(response: Any, reflected: str = "") -> str:
    """What a response shows, minus what the request itself put there: form field values
    (a search box shows what was typed) and the URL asked for. Downloads (XLSX, CSV) are
    read cell by cell: a file names people as much as a page does."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/json"):
        text = json.dumps(json.loads(response.content), ensure_ascii=False)
    elif content_type.startswith(XLSX_TYPE):
        text = spreadsheet_text(response_body(response))
    elif content_type.startswith("text/csv"):
        text = response_body(response).decode("utf-8-sig")
    else:
        # A page, or a file downloaded as it is (a meeting's PDF): read as text either way.
        body = response_body(response).decode(errors="replace")
        text = re.sub(r'\svalue="[^"]*"', ' value=""', body)
        text = html.unescape(text)
    if reflected:
        text = text.replace(reflected, "")
    return unicodedata.normalize("NFC", text)


# --- every route of the project ------------------------------------------------------


@dataclass(frozen=True)
class PageRoute:
    route: str
    kwargs: tuple[str, ...]

    def url(self, **values: Any) -> str:
        path = self.route
        for name, value in values.items():
            path = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), path)
        return "/" + path.lstrip("^").rstrip("$")


@dataclass(frozen=True)
class ApiRoute:
    method: str
    path: str
    kwargs: tuple[str, ...]

    def url(self, **values: Any) -> str:
        path = self.path
        for name, value in values.items():
            path = path.replace("{" + name + "}", str(value))
        return path


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[PageRoute]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        else:
            kwargs = tuple(_kwarg_names(route))
            yield PageRoute(route=route, kwargs=kwargs)


def _kwarg_names(route: str) -> list[str]:
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]


def all_page_routes() -> list[PageRoute]:
    return list(_walk(get_resolver().url_patterns))


def all_api_routes() -> list[ApiRoute]:
    schema = api.get_openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        for method in operations:
            routes.append(
                ApiRoute(
                    method=method.upper(),
                    path=path,
                    kwargs=tuple(re.findall(r"{(\w+)}", path)),
                )
            )
    return routes


def page_routes() -> list[PageRoute]:
    """Pages (not the API's own URL patterns) that are not public."""
    return [
        r
        for r in all_page_routes()
        if r.route not in PUBLIC_PAGES and not r.route.startswith(API_PREFIX)
    ]


def api_routes() -> list[ApiRoute]:
    return [r for r in all_api_routes() if (r.method, r.path) not in PUBLIC_API]


# --- how to fill each URL argument ---------------------------------------------------


@dataclass(frozen=True)
class Kwarg:
    """How to pick values for one URL argument, inside and outside a persona's scope."""

    inside: Callable[[Sight], list[Any]]
    outside: Callable[[Sight], list[Any]]


KWARGS: dict[str, Kwarg] = {
    "code": Kwarg(
        inside=lambda s: [s.inside_org],
        outside=lambda s: s.outside_orgs,
    ),
    "person_id": Kwarg(
        inside=lambda s: s.inside_people,
        outside=lambda s: s.outside_people,
    ),
    "position_id": Kwarg(
        inside=lambda s: s.inside_positions,
        outside=lambda s: s.outside_positions,
    ),
    # Admissions are read by the readers of the cell tracking them; transfers by the
    # readers of either end.
    "admission_id": Kwarg(
        inside=lambda s: _admissions(s, inside=True)[:2],
        outside=lambda s: _admissions(s, inside=False),
    ),
    "transfer_id": Kwarg(
        inside=lambda s: _transfers(s, inside=True)[:2],
        outside=lambda s: _transfers(s, inside=False),
    ),
    # A file format is no object: nothing lies outside. Every format is opened with the
    # org inside; the orgs outside are tried with the first.
    "fmt": Kwarg(
        inside=lambda s: ["xlsx", "csv"],
        outside=lambda s: [],
    ),
    # A meeting belongs to its unit: members open their own unit's, readers their subtree's.
    "meeting_id": Kwarg(
        inside=lambda s: [_meeting(s.inside_org)],
        outside=lambda s: [_meeting(code) for code in [*s.outside_orgs[:4], OUTSIDER_CELL]],
    ),
    # Minutes are read with their meeting: a version of another meeting is outside, even
    # of a meeting the persona opens.
    "minutes_id": Kwarg(
        inside=lambda s: [_minutes(s.inside_org)],
        outside=lambda s: [_minutes(code) for code in [*s.outside_orgs[:4], OUTSIDER_CELL]],
    ),
    # Topics are read by the readers of their unit (a plain member reads the meetings, not
    # the register); documents by those readers, and by the unit's members once published.
    "topic_id": Kwarg(
        inside=lambda s: [_topic(s.inside_org)] if s.inside_org in s.readable_orgs else [],
        outside=lambda s: [_topic(code) for code in [*s.outside_orgs[:4], OUTSIDER_CELL]],
    ),
    "document_id": Kwarg(
        inside=lambda s: [_document(s.inside_org)],
        outside=lambda s: [_document(code) for code in [*s.outside_orgs[:4], OUTSIDER_CELL]],
    ),
    # A background export is its asker's alone: outside are the persona's own jobs on orgs
    # it does not read, and everyone else's, even on its own org.
    "export_id": Kwarg(
        inside=lambda s: (
            [_export_job(s.username, s.inside_org)] if s.inside_org in s.readable_orgs else []
        ),
        outside=lambda s: [
            *(_export_job(s.username, code) for code in [*s.outside_orgs[:4], OUTSIDER_CELL]),
            _export_job("admin" if s.username != "admin" else "tinhuy", s.inside_org),
        ],
    ),
    # Themes and library documents reach the units under the org that issued them: inside
    # are those reaching the persona's inside org, outside every other (never 404 by luck).
    "theme_id": Kwarg(
        inside=lambda s: _reaching("theme", s, inside=True)[:2],
        outside=lambda s: _reaching("theme", s, inside=False),
    ),
    "entry_id": Kwarg(
        inside=lambda s: _reaching("document", s, inside=True)[:2],
        outside=lambda s: _reaching("document", s, inside=False),
    ),
    # Commitments are read by their writer and by the readers of the unit reviewing them.
    "commitment_id": Kwarg(
        inside=lambda s: _commitments(s, inside=True)[:2],
        outside=lambda s: _commitments(s, inside=False),
    ),
    # Models are read by their unit's members and the readers of its subtree.
    "initiative_id": Kwarg(
        inside=lambda s: _initiatives(s, inside=True)[:2],
        outside=lambda s: _initiatives(s, inside=False),
    ),
    # Results and fund rows are read with their model; officers of its unit void them.
    "result_id": Kwarg(
        inside=lambda s: _initiative_rows("result", s, inside=True)[:2],
        outside=lambda s: _initiative_rows("result", s, inside=False),
    ),
    "contribution_id": Kwarg(
        inside=lambda s: _initiative_rows("contribution", s, inside=True)[:2],
        outside=lambda s: _initiative_rows("contribution", s, inside=False),
    ),
    "payout_id": Kwarg(
        inside=lambda s: _initiative_rows("payout", s, inside=True)[:2],
        outside=lambda s: _initiative_rows("payout", s, inside=False),
    ),
    # Movements reach the units under the committee that launched them: inside are those
    # launched above the persona's inside org, outside those neither in nor above its orgs.
    "movement_id": Kwarg(
        inside=lambda s: _movements(s, inside=True)[:2],
        outside=lambda s: _movements(s, inside=False),
    ),
    # Imports of member sheets belong to the org they fill; one is made for each org tried.
    "job_id": Kwarg(
        inside=lambda s: [_import_job(s.inside_org)],
        outside=lambda s: [_import_job(code) for code in [*s.outside_orgs[:4], OUTSIDER_CELL]],
    ),
    # Evaluation rounds are reached by those who open an org in their subtree (a cell's
    # secretary opens the commune's round to reach the cell): inside is the round over the
    # persona's inside org, outside every round whose subtree it opens nothing of.
    "round_id": Kwarg(
        inside=lambda s: _rounds(s, inside=True),
        outside=lambda s: _rounds(s, inside=False),
    ),
    # A member's evaluation is read by the member and the readers of the unit keeping it.
    "evaluation_id": Kwarg(
        inside=lambda s: _evaluations(s, inside=True),
        outside=lambda s: _evaluations(s, inside=False),
    ),
}


# Objects that forms name in their bodies though no URL does: only outside values are
# needed (the inside ones are those the page itself offers).
BODY_KINDS: dict[str, Kwarg] = {
    # A committee's assignment of a member to follow a cell: outside, those of cells the
    # persona does not manage.
    "assignment": Kwarg(inside=lambda s: [], outside=lambda s: _assignments(s)),
    "grant": Kwarg(inside=lambda s: [], outside=lambda s: _grants(s)),
    "indicator": Kwarg(
        inside=lambda s: [],
        outside=lambda s: _unit_rows("initiatives.Indicator", "initiative__org__code", s),
    ),
    "payment": Kwarg(
        inside=lambda s: [], outside=lambda s: _unit_rows("fees.FeePayment", "org__code", s)
    ),
    "excuse": Kwarg(
        inside=lambda s: [], outside=lambda s: _unit_rows("fees.FeeExcuse", "org__code", s)
    ),
    "evaluation": Kwarg(
        inside=lambda s: [],
        outside=lambda s: _unit_rows("evaluation.MemberEvaluation", "org__code", s),
    ),
}


def ref_kind(field_name: str) -> Kwarg | None:
    """How to fill a posted field that names an object, or None for any other field."""
    kind = BODY_REFS.get(field_name) or BODY_REFS.get(field_name.rsplit("-", 1)[-1])
    if kind is None:
        return None
    return KWARGS.get(kind) or BODY_KINDS[kind]


def _unit_rows(label: str, code_field: str, sight: Sight) -> list[int]:
    """Rows of a model owned by orgs the persona does not open."""
    rows = apps.get_model(label).objects.order_by("pk").values_list("pk", code_field)
    return [pk for pk, code in rows if code not in sight.openable_orgs]


def _assignments(sight: Sight) -> list[int]:
    from chibo.meetings.models import AttendanceAssignment

    rows = AttendanceAssignment.objects.order_by("pk").values_list("pk", "org__code")
    return [pk for pk, code in rows if code not in sight.writable_orgs]


def _grants(sight: Sight) -> list[int]:
    from chibo.orgs.models import Grant

    rows = Grant.objects.order_by("pk").values_list("pk", "org__code")
    return [pk for pk, code in rows if code not in sight.writable_orgs]


def _meeting(code: str) -> int:
    """A planned meeting of the org, a week ahead (members may still send a notice)."""
    from django.utils import timezone

    from chibo.meetings.models import Meeting

    starts_at = timezone.now() + datetime.timedelta(days=7)
    meeting, _created = Meeting.objects.get_or_create(
        org=Org.objects.get(code=code),
        kind="regular",
        defaults={"period": starts_at.date().replace(day=1), "starts_at": starts_at},
    )
    return meeting.pk


def _export_job(username: str, code: str) -> int:
    """A job as the page queues it, run by the task: a file for what its user reads."""
    from chibo.downloads.models import ExportJob
    from chibo.downloads.services import export_job_run

    job, created = ExportJob.objects.get_or_create(
        org=Org.objects.get(code=code),
        created_by=User.objects.get(username=username),
        kind="members",
        file_format="xlsx",
        defaults={"filename": "danh-sach.xlsx"},
    )
    if created:
        export_job_run(job_id=job.pk)
    return job.pk


def _minutes(code: str) -> int:
    """The first version of the minutes of the org's meeting."""
    from chibo.meetings.models import Minutes

    minutes, _created = Minutes.objects.get_or_create(meeting_id=_meeting(code), number=1)
    return minutes.pk


def _topic(code: str) -> int:
    """A thematic topic of the org, submitted to the committee above."""
    from chibo.meetings.models import TopicRegistration

    topic, _created = TopicRegistration.objects.get_or_create(
        org=Org.objects.get(code=code),
        year=datetime.date.today().year,
        month=6,
        defaults={"title": "Chuyên đề thử quyền", "status": "submitted"},
    )
    return topic.pk


def _document(code: str) -> int:
    """A published document, with its file, of the org's meeting."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from chibo.meetings.documents import document_storage
    from chibo.meetings.models import MeetingDocument

    document, created = MeetingDocument.objects.get_or_create(
        meeting_id=_meeting(code),
        title="Tài liệu thử quyền",
        defaults={"published_at": timezone.now()},
    )
    if created:
        document.file.name = document_storage().save(
            f"matrix/{document.pk}.pdf", ContentFile(b"%PDF-1.4 thu quyen")
        )
        document.save(update_fields=["file"])
    return document.pk


def _reaching(kind: str, sight: Sight, *, inside: bool) -> list[int]:
    from chibo.orgs.tree import ancestor_paths
    from chibo.plans.models import Document, Theme

    model = Theme if kind == "theme" else Document
    above = set(ancestor_paths(Org.objects.get(code=sight.inside_org).path, include_self=True))
    rows = model.objects.order_by("pk").values_list("pk", "org__path")
    return [pk for pk, path in rows if (path in above) == inside]


def _commitments(sight: Sight, *, inside: bool) -> list[int]:
    from chibo.plans.models import Commitment

    rows = Commitment.objects.order_by("pk").values_list("pk", "org__code", "person_id")
    return [
        pk
        for pk, code, person_id in rows
        if (code in sight.readable_orgs or person_id == sight.person_id) == inside
    ]


def _initiatives(sight: Sight, *, inside: bool) -> list[int]:
    from chibo.initiatives.models import Initiative

    rows = Initiative.objects.order_by("pk").values_list("pk", "org__code")
    return [pk for pk, code in rows if (code in sight.openable_orgs) == inside]


def _initiative_rows(kind: str, sight: Sight, *, inside: bool) -> list[int]:
    from chibo.initiatives.models import FundContribution, FundPayout, ResultEntry

    rows: Any
    if kind == "result":
        rows = ResultEntry.objects.values_list("pk", "indicator__initiative__org__code")
    elif kind == "contribution":
        rows = FundContribution.objects.values_list("pk", "fund__initiative__org__code")
    else:
        rows = FundPayout.objects.values_list("pk", "fund__initiative__org__code")
    return [pk for pk, code in rows.order_by("pk") if (code in sight.openable_orgs) == inside]


def _movements(sight: Sight, *, inside: bool) -> list[int]:
    from chibo.initiatives.models import Movement

    orgs = dict(Org.objects.values_list("code", "path"))
    inside_path = orgs[sight.inside_org]
    opened = [orgs[code] for code in sight.openable_orgs]
    rows = Movement.objects.order_by("pk").values_list("pk", "org__code", "org__path")
    if inside:
        return [
            pk for pk, _code, path in rows if inside_path.startswith(path) and path != inside_path
        ]
    return [
        pk
        for pk, code, path in rows
        if code not in sight.readable_orgs and not any(o.startswith(path) for o in opened)
    ]


def _import_job(code: str) -> int:
    from chibo.imports.models import ImportJob

    job, _created = ImportJob.objects.get_or_create(
        org=Org.objects.get(code=code), filename="danh-sach.xlsx", file_format="xlsx"
    )
    return job.pk


# Orgs the matrix opens an evaluation round for: the commune, the women's union's party
# cell committee, the commune's women's union and the outsider's province.
EVALUATION_ROUND_ORGS = ("DU-DT", "DU-HLHPN", "HLHPN-DT", OUTSIDER_ROOT)


def _rounds(sight: Sight, *, inside: bool) -> list[int]:
    from chibo.evaluation.models import Round

    paths = dict(Org.objects.values_list("code", "path"))
    opened = [paths[code] for code in sight.openable_orgs]
    rows = list(Round.objects.order_by("pk").values_list("pk", "org__path"))
    if inside:
        return [pk for pk, path in rows if paths[sight.inside_org].startswith(path)][:1]
    return [pk for pk, path in rows if not any(o.startswith(path) for o in opened)]


def _evaluations(sight: Sight, *, inside: bool) -> list[int]:
    from chibo.evaluation.models import MemberEvaluation

    rows = list(MemberEvaluation.objects.order_by("pk").values_list("pk", "org__code", "person_id"))
    if inside:
        own = [pk for pk, _code, pid in rows if pid == sight.person_id][:1]
        other = [
            pk
            for pk, code, pid in rows
            if code == sight.inside_org and code in sight.readable_orgs and pid != sight.person_id
        ]
        return own + other[:1]
    seen: set[str] = set()
    outside: list[int] = []
    for pk, code, pid in rows:
        if code in sight.readable_orgs or pid == sight.person_id or code in seen:
            continue
        seen.add(code)
        outside.append(pk)
    return outside


def _admissions(sight: Sight, *, inside: bool) -> list[int]:
    rows = Admission.objects.order_by("pk").values_list("pk", "org__code")
    return [pk for pk, code in rows if (code in sight.readable_orgs) == inside]


def _transfers(sight: Sight, *, inside: bool) -> list[int]:
    rows = Transfer.objects.order_by("pk").values_list("pk", "org__code", "target__code")
    return [
        pk
        for pk, home, target in rows
        if (home in sight.readable_orgs or target in sight.readable_orgs) == inside
    ]


def url_variants(route: PageRoute | ApiRoute, sight: Sight) -> Iterator[tuple[str, str, bool]]:
    """(url, description, inside?) for one route: everything inside, then each argument
    in turn outside while the others stay inside."""
    if not route.kwargs:
        yield route.url(), "no arguments", True
        return
    inside = {name: KWARGS[name].inside(sight) for name in route.kwargs}
    if all(inside.values()):
        for index in range(max(len(v) for v in inside.values())):
            values = {name: v[min(index, len(v) - 1)] for name, v in inside.items()}
            yield route.url(**values), f"inside {values}", True
    for name in route.kwargs:
        base = {other: v[0] for other, v in inside.items() if other != name and v}
        for value in KWARGS[name].outside(sight):
            values = {**base, name: value}
            yield route.url(**values), f"{name}={value} outside", False


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def meeting_documents_dir(settings: Any, tmp_path: Path) -> None:
    """Meeting documents are written under the data folder: the test's own."""
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def outsider(demo: Any) -> Person:
    """A province of its own, outside every demo root: outside even for tinhuy."""
    root = org_create(
        parent=None,
        code=OUTSIDER_ROOT,
        name="Đảng bộ tỉnh Ngoài Cuộc",
        family=Family.PARTY,
        level=Level.PROVINCE,
    )
    cell = org_create(
        parent=root,
        code=OUTSIDER_CELL,
        name="Chi bộ thôn Ngoài Cuộc",
        family=Family.PARTY,
        level=Level.BRANCH,
    )
    person = person_create(data=PersonData(full_name=OUTSIDER_NAME), org_id=cell.pk)
    membership_create(
        person=person,
        org=cell,
        status=MembershipStatus.OFFICIAL,
        joined_on=datetime.date(2001, 1, 1),
    )
    position_assign(person=person, org=cell, title=Title.SECRETARY)
    # A candidate and a transfer of its own, outside every persona's scope.
    today = datetime.date.today()
    admission_open(
        org=cell,
        data=PersonData(
            full_name=OUTSIDER_CANDIDATE, gender="female", birth_date=datetime.date(1995, 6, 1)
        ),
        listed_on=today,
    )
    transfer_request(
        membership=Membership.objects.get(person=person, ended_on__isnull=True),
        request=TransferRequest(
            kind="official",
            cause_on=today,
            reason="Chuyển công tác",
            target_text="Chi bộ ở một tỉnh khác",
        ),
    )
    return person


@pytest.fixture(autouse=True)
def private_export_dir(settings: Any, tmp_path: Path) -> None:
    """Files of background exports go to a folder of the test's own."""
    settings.EXPORT_DIR = tmp_path / "private-exports"


@pytest.fixture
def fee_records(demo: Any, outsider: Person) -> None:
    """Party-fee rows, so that the fee pages are walked with something in them: the
    outsider's, and a month of a bithu1's-cell member paid at bithu2's cell (a member who
    moved keeps their account; where they paid is named only to those who see it)."""
    from chibo.fees.models import FeeBasis, FeeExcuse, FeePayment
    from chibo.fees.rules.base import add_months

    year_ago = add_months(datetime.date.today().replace(day=1), -12)
    cb01 = Org.objects.get(code="DU-DT-CB01")
    member = (
        Membership.objects.filter(org=cb01, ended_on__isnull=True, person__user__isnull=True)
        .order_by("person__sort_key")
        .first()
    )
    assert member is not None
    rows = [
        (outsider, Org.objects.get(code=OUTSIDER_CELL), None),
        (member.person, cb01, Org.objects.get(code="DU-DT-CB02")),
    ]
    for person, org, paid_at in rows:
        FeeBasis.objects.create(
            person=person,
            org=org,
            valid_from=year_ago,
            category="other",
            area="elsewhere",
            wage_region=3,
        )
        FeePayment.objects.create(
            person=person,
            org=paid_at or org,
            month=year_ago,
            amount=6_000,
            paid_on=year_ago,
            collected_by=User.objects.get(username="bithu2") if paid_at else None,
        )
        FeeExcuse.objects.create(
            person=person, org=org, month=add_months(year_ago, 1), reason="Ốm nặng"
        )


@pytest.fixture
def plan_records(demo: Any, outsider: Person) -> None:
    """Themes and documents issued by the province, the women's union and the outsider's
    province, and a commitment of every persona and of the outsider, so that the study
    pages are walked with something inside and outside each persona's scope."""
    from django.core.files.base import ContentFile

    from chibo.plans.models import Commitment, Document, Theme

    year = datetime.date.today().year
    for code in ("TU-TN", "HLHPN-TN", "DU-DT", OUTSIDER_ROOT):
        org = Org.objects.get(code=code)
        theme = Theme.objects.create(
            org=org, kind="annual", title=f"Chuyên đề năm {year}", year=year, end_year=year
        )
        document = Document.objects.create(
            org=org, theme=theme, kind="plan", title="Kế hoạch học tập", body="Nội dung."
        )
        # With its file, so the download route is walked inside and outside the scope.
        document.file.save("Kế hoạch.pdf", ContentFile(b"%PDF-1.4 thu quyen"), save=False)
        document.file_name = "Kế hoạch.pdf"
        document.save(update_fields=["file", "file_name"])
    seen: set[int] = set()
    for username in (*PERSONAS, "admin"):
        person = Person.objects.filter(user__username=username).first()
        if person is not None:
            seen.add(person.pk)
    memberships = list(
        Membership.objects.filter(ended_on__isnull=True)
        .filter(person_id__in=[*seen, outsider.pk])
        .select_related("org")
    )
    memberships.append(
        Membership.objects.filter(org__code="DU-HLHPN-CB1", ended_on__isnull=True).first()
    )
    for membership in memberships:
        if membership is None:
            continue
        Commitment.objects.get_or_create(
            person_id=membership.person_id,
            year=year,
            family=membership.family,
            defaults={"org": membership.org, "job_position": "Đảng viên", "status": "submitted"},
        )


@pytest.fixture
def initiative_records(demo: Any, outsider: Person) -> None:
    """A savings model with its fund in every persona's inside org, in sibling units and
    in the outsider's cell; movements launched at every level; an award of the outsider,
    so that the models, emulation and honours pages are walked with something inside and
    outside each persona's scope."""
    from decimal import Decimal

    from chibo.initiatives.models import (
        Award,
        Criterion,
        FundContribution,
        FundPayout,
        Indicator,
        IndicatorKind,
        Initiative,
        MeasureUnit,
        Movement,
        ResultEntry,
        SavingsFund,
    )
    from chibo.initiatives.services import catalogue_ensure

    catalogue_ensure()
    day = datetime.date(datetime.date.today().year, 1, 5)
    kind = IndicatorKind.objects.get(code="tiet-kiem-gao")
    kg = MeasureUnit.objects.get(code="kg")
    dong = MeasureUnit.objects.get(code="dong")
    codes = (
        "DU-DT-CB01", "DU-DT-CB02", "DU-DT-CB05", "HLHPN-DT-CH01", "HLHPN-DT-CH02",
        "DU-HLHPN-CB1", OUTSIDER_CELL,
    )  # fmt: skip
    for code in codes:
        org = Org.objects.get(code=code)
        initiative = Initiative.objects.create(
            org=org, kind="savings", title="Hũ gạo thử quyền", title_folded="hu gao thu quyen",
            tasks="Góp gạo", ward_code=org.ward_code, starts_on=day,
        )  # fmt: skip
        indicator = Indicator.objects.create(
            initiative=initiative, kind=kind, unit=kg, target=Decimal(100)
        )
        ResultEntry.objects.create(indicator=indicator, on=day, quantity=Decimal(5), unit=kg)
        fund = SavingsFund.objects.create(initiative=initiative, unit=dong)
        FundPayout.objects.create(
            fund=fund, beneficiary="Hộ thử quyền", on=day, amount=Decimal(1), reason="Thử"
        )
        member = Membership.objects.filter(org=org, ended_on__isnull=True).first()
        assert member is not None
        FundContribution.objects.create(
            fund=fund, person=member.person, on=day, quantity=Decimal(1000), unit=dong,
            value=Decimal(1000),
        )  # fmt: skip
    for code in ("TU-TN", "HLHPN-TN", "DU-DT", "HLHPN-DT", "DU-HLHPN", OUTSIDER_ROOT):
        movement = Movement.objects.create(
            org=Org.objects.get(code=code), title="Phong trào thử quyền", year=day.year,
            starts_on=day, ends_on=day.replace(month=12, day=31),
        )  # fmt: skip
        Criterion.objects.create(movement=movement, name="Tiêu chí thử", max_points=10)
    Award.objects.create(
        org=Org.objects.get(code=OUTSIDER_CELL), person=outsider, form="certificate",
        level="base", issuer="Ban Thường vụ thử", decision_number="1-QĐ/THU", decided_on=day,
        reason="Thử quyền",
    )  # fmt: skip


@pytest.fixture
def assignment_records(demo: Any, outsider: Person) -> None:
    """Committee members assigned to follow cells: one in danguy's cell (its form to end
    it is walked), others in cells outside most personas' scope."""
    from chibo.meetings.models import AttendanceAssignment

    # Each assigned person belongs where their cell's readers may see them named.
    for code in ("DU-DT-CB05", "DU-HLHPN-CB1", "HLHPN-DT-CH02", OUTSIDER_CELL):
        org = Org.objects.get(code=code)
        member = Membership.objects.filter(org=org, ended_on__isnull=True).order_by("pk").first()
        assert member is not None
        AttendanceAssignment.objects.create(org=org, person_id=member.person_id)


@pytest.fixture
def evaluation_records(demo: Any, outsider: Person) -> Iterator[None]:
    """Evaluation rounds over the commune, another party committee, the women's union and
    the outsider's province, under the workflow tests' own rule set."""
    from chibo.evaluation.rules import _REGISTRY, register
    from chibo.evaluation.services import round_open
    from chibo.evaluation.tests.flow_rules import FLOW_YEAR, FlowRules

    rules = register(FlowRules())
    admin = User.objects.get(username="admin")
    for code in EVALUATION_ROUND_ORGS:
        round_open(
            user=admin,
            org=Org.objects.get(code=code),
            year=FLOW_YEAR,
            reference_date=datetime.date(FLOW_YEAR, 12, 1),
        )
    yield
    _REGISTRY.pop(rules.code, None)


@pytest.fixture
def sight(
    request: pytest.FixtureRequest,
    outsider: Person,
    fee_records: None,
    plan_records: None,
    initiative_records: None,
    evaluation_records: None,
    assignment_records: None,
) -> Sight:
    username, inside_code = (
        request.param if isinstance(request.param, tuple) else (request.param, None)
    )
    found = sight_for(username, inside_code)
    # Rows the URL arguments name are made before a check counts rows, not during it.
    for name in ("meeting_id", "minutes_id", "topic_id", "document_id", "export_id", "job_id"):
        if name in KWARGS:
            KWARGS[name].inside(found)
            KWARGS[name].outside(found)
    assert OUTSIDER_ROOT in found.outside_orgs
    assert outsider.pk in found.outside_people
    assert Position.objects.get(person=outsider).pk in found.outside_positions
    found.client.force_login(found.user)
    key = api_token_create(user=found.user).key
    found.api_client = Client(headers={"Authorization": f"Bearer {key}"})
    return found


def row_counts() -> dict[str, int]:
    """Rows of every table of every app (a new app is counted without being named), but
    the log-in machinery's own: sessions and failed log-in attempts are no writes."""
    from chibo.core.models import AuditEntry

    skipped = {"sessions", "axes"}
    models = [m for m in apps.get_models() if m._meta.app_label not in skipped]
    counts = {m._meta.label: m._default_manager.count() for m in models}
    # A download opened on the way (a GET) writes its audit entry: reading, not a form.
    counts["core.AuditEntry"] = AuditEntry.objects.exclude(action="export").count()
    return counts


# --- the forms a page offers ------------------------------------------------------------


@dataclass
class PostForm:
    """One `<form method="post">` of a page: what a browser would send, field by field."""

    url: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def bodies(self, username: str) -> list[dict[str, Any]]:
        """The body for each named submit button (one body when there is none): the
        page's own values, POST_DATA where the page leaves a field empty."""
        base: dict[str, Any] = {**POST_DATA, "username": username}
        for name, values in self.fields.items():
            if any(values):
                base[name] = values if len(values) > 1 else values[0]
        buttons = list(dict.fromkeys(self.buttons))[:4]
        return [{**base, name: value} for name, value in buttons] or [base]


class _FormParser(HTMLParser):
    # Fields a page leaves empty get a plausible value, so that a form is not refused as
    # incomplete before its object reference is looked at.
    FILLERS = {"date": "2026-07-01", "number": "1", "email": "xam.nhap@example.com"}

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[PostForm] = []
        self._form: PostForm | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = None
            if a.get("method", "get").lower() == "post":
                target = urljoin(self.url, a.get("action") or self.url)
                self._form = PostForm(url=urlsplit(target).path)
                self.forms.append(self._form)
            return
        form, name = self._form, a.get("name", "")
        if form is None:
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button"):
                form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                values = form.fields.setdefault(name, [])
                if "checked" in a:
                    values.append(a.get("value") or "on")
            elif kind != "file":
                value = a.get("value") or self.FILLERS.get(kind, "")
                if not value and kind in ("text", "search", "tel", ""):
                    value = "Thử quyền"
                form.fields.setdefault(name, []).append(value)
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._first_option = name, None
            form.fields.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None and value:
                self._first_option = value
            if "selected" in a:
                form.fields[self._select].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields.setdefault(name, []).append("")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form.fields[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._form is not None and self._select is not None:
            chosen = self._form.fields[self._select]
            if not chosen and self._first_option is not None:
                chosen.append(self._first_option)
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea is not None:
            if not self._form.fields[self._textarea][-1].strip():
                self._form.fields[self._textarea][-1] = "Thử quyền"
            self._textarea = None


def post_forms(response: Any, url: str) -> list[PostForm]:
    """The post forms of a page (none for anything but a page answered 200), but those
    of public routes every page has: logging out or choosing the language."""
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return []
    parser = _FormParser(url)
    parser.feed(response.content.decode(errors="replace"))
    return [
        form
        for form in parser.forms
        if form.url.startswith("/") and _route_of(form.url) not in PUBLIC_PAGES
    ]


def _route_of(path: str) -> str:
    try:
        return str(resolve(path).route)
    except Resolver404:
        return ""


# --- the checks ------------------------------------------------------------------------


def coverage_problems(pages: list[PageRoute], schema: dict[str, Any]) -> list[str]:
    """Why some route would escape the matrix; empty when every route is covered."""
    problems = []
    api_paths = set(schema["paths"])
    for page in pages:
        if page.route in PUBLIC_PAGES:
            continue
        if page.route.startswith(API_PREFIX):
            as_api = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", page.route)
            if as_api not in api_paths:
                problems.append(
                    f"URL pattern {page.route!r} is under the API but not in its schema"
                )
            continue
        for name in page.kwargs:
            if name not in KWARGS:
                problems.append(
                    f"page {page.route!r} takes <{name}>: add to KWARGS in {__name__} how to pick "
                    "a value inside and outside a persona's scope"
                )
    for path, operations in schema["paths"].items():
        for method_name, operation in operations.items():
            method = method_name.upper()
            if (method, path) in PUBLIC_API:
                continue
            if not operation.get("security"):
                problems.append(
                    f"API {method} {path} needs no token: require one, or list it in PUBLIC_API"
                )
            for name in re.findall(r"{(\w+)}", path):
                if name not in KWARGS:
                    problems.append(f"API {method} {path} takes {{{name}}}: add it to KWARGS")
            if method != "GET" and (method, path) not in API_WRITE_BODIES:
                problems.append(
                    f"API {method} {path} writes: add a valid body to API_WRITE_BODIES so that "
                    "the matrix can send it with objects outside the scope"
                )
    return problems


def test_every_route_is_covered() -> None:
    problems = coverage_problems(all_page_routes(), api.get_openapi_schema())
    assert not problems, "\n".join(problems)


def test_a_route_the_matrix_does_not_know_fails_it() -> None:
    from django.http import HttpRequest
    from django.urls import path
    from ninja import NinjaAPI

    # A kind of object no route takes (meetings have pages now): the matrix cannot fill it.

    def ballot(request: HttpRequest, ballot_id: int) -> HttpResponse:
        return HttpResponse()

    extra = NinjaAPI(urls_namespace="matrix-probe", docs_url=None)

    @extra.get("/ballots/{ballot_id}")
    def ballot_api(request: HttpRequest, ballot_id: int) -> dict[str, int]:
        return {"id": ballot_id}

    @extra.post("/orgs/{code}/notes", auth=api.auth)
    def note_api(request: HttpRequest, code: str) -> dict[str, str]:
        return {"code": code}

    patterns = [*get_resolver().url_patterns, path("ballots/<int:ballot_id>/", ballot)]
    problems = coverage_problems(
        list(_walk(patterns)), extra.get_openapi_schema(path_prefix="/api/")
    )
    text = "\n".join(problems)
    assert "page 'ballots/<int:ballot_id>/' takes <ballot_id>" in text
    assert "API GET /api/ballots/{ballot_id} needs no token" in text
    assert "API GET /api/ballots/{ballot_id} takes {ballot_id}" in text
    assert "API POST /api/orgs/{code}/notes writes" in text


def _probe_patterns() -> list[Any]:
    """Pages a later app might add: each pair does the same thing, once with the scoping
    it needs and once without."""
    from django.http import Http404, HttpRequest
    from django.shortcuts import redirect
    from django.urls import path

    from chibo.core.audit import audit_record
    from chibo.core.roles import Role
    from chibo.core.scoping import get_for, require_role
    from chibo.meetings.models import MeetingDocument
    from chibo.orgs.selectors import org_get_for

    def document_form(code: str) -> HttpResponse:
        inside = _document(code)
        return HttpResponse(
            f'<form method="post"><select name="document"><option value="{inside}">Tài liệu'
            '</option></select><button name="action" value="publish">Công bố</button></form>'
        )

    def publish(request: HttpRequest, code: str, scoped: bool) -> HttpResponse:
        org = org_get_for(user=request.user, code=code)
        if request.method != "POST":
            return document_form(org.code)
        require_role(request.user, org.path, Role.MEMBER)
        posted = request.POST.get("document", "")
        if scoped:
            document = get_for(MeetingDocument.objects.filter(meeting__org=org), pk=posted)
        else:
            # The bug the matrix must catch: the posted id is looked up in every org.
            found = MeetingDocument.objects.filter(pk=posted).first() if posted.isdigit() else None
            if found is None:
                raise Http404
            document = found
        audit_record(actor=None, action="update", subject=document, org_id=org.pk)
        return redirect(request.path)

    def rename(request: HttpRequest, code: str, scoped: bool) -> HttpResponse:
        org = org_get_for(user=request.user, code=code)
        if request.method != "POST":
            return HttpResponse(
                '<form method="post"><input name="name" value="Chi bộ"><button>Lưu</button></form>'
            )
        if scoped:
            require_role(request.user, org.path, Role.OFFICER)
        # Unscoped: the org is opened (a member may read it), but no role is asked to write.
        audit_record(actor=None, action="update", subject=org, org_id=org.pk)
        return redirect(request.path)

    return [
        path("matrix-probe/<str:code>/publish/", lambda r, code: publish(r, code, False)),
        path("matrix-probe/<str:code>/publish-ok/", lambda r, code: publish(r, code, True)),
        path("matrix-probe/<str:code>/rename/", lambda r, code: rename(r, code, False)),
        path("matrix-probe/<str:code>/rename-ok/", lambda r, code: rename(r, code, True)),
    ]


@pytest.mark.parametrize("sight", ["dangvien1"], indirect=True)
def test_the_matrix_catches_an_unscoped_field_and_a_missing_role_check(
    sight: Sight, settings: Any, monkeypatch: pytest.MonkeyPatch, officer_client: Client
) -> None:
    import sys
    import types
    from importlib import import_module

    module = types.ModuleType("matrix_probe_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        *import_module(settings.ROOT_URLCONF).urlpatterns,
        *_probe_patterns(),
    ]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    settings.ROOT_URLCONF = module.__name__
    probes = {r.route.split("/")[2]: [r] for r in page_routes() if "matrix-probe" in r.route}
    assert set(probes) == {"publish", "publish-ok", "rename", "rename-ok"}

    # (a) a posted field naming an object looked up outside the scope.
    problems, used = naming_problems(sight, probes["publish"])
    assert used, "the probe's document field was not tried"
    assert any("with document=" in p and ": 302" in p for p in problems), problems
    assert any("rows written" in p and "core.AuditEntry" in p for p in problems), problems
    assert naming_problems(sight, probes["publish-ok"])[0] == []

    # (b) a form that opens the org for a member but writes without asking for a role.
    problems = read_only_problems(sight, probes["rename"], [], officer_client)
    assert any("/rename/" in p and ": 302" in p for p in problems), problems
    assert any("rows written" in p for p in problems), problems
    assert read_only_problems(sight, probes["rename-ok"], [], officer_client) == []


def test_the_matrix_sees_the_routes_it_is_meant_for() -> None:
    routes = {r.route for r in page_routes()}
    assert {"", "orgs/", "orgs/<str:code>/", "people/<int:person_id>/"} <= routes
    paths = {(r.method, r.path) for r in api_routes()}
    assert ("GET", "/api/v1/orgs/{code}/members") in paths
    assert ("GET", "/api/v1/members/{person_id}") in paths


def test_pages_need_a_login(demo: Any) -> None:
    client = Client()
    for route in page_routes():
        values = {name: "DU-DT-CB01" if name == "code" else 1 for name in route.kwargs}
        response = client.get(route.url(**values))
        assert response.status_code in (302, 404), route.route
        if response.status_code == 302:
            assert response["Location"].startswith("/login/"), route.route
    public = {route.route for route in all_page_routes() if route.route in PUBLIC_PAGES}
    for route_text, arguments in SIGNED_IN_PUBLIC.items():
        assert route_text in public, route_text
        route = PageRoute(route=route_text, kwargs=tuple(arguments))
        response = client.get(route.url(**arguments))
        assert response.status_code == 302, route_text
        assert response["Location"].startswith("/login/"), route_text


def test_api_needs_a_token(demo: Any) -> None:
    client = Client()
    for route in api_routes():
        values = {name: "DU-DT-CB01" if name == "code" else 1 for name in route.kwargs}
        response = client.generic(route.method, route.url(**values))
        assert response.status_code == 401, f"{route.method} {route.path}"


def report(sight: Sight, problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problem(s) for {sight.username}:\n" + "\n".join(
        problems[:40]
    )


@pytest.mark.parametrize("sight", PERSONAS, indirect=True)
def test_pages_answer_404_outside_the_scope(sight: Sight) -> None:
    problems = []
    for route in page_routes():
        if not route.kwargs:
            continue
        for url, what, inside in url_variants(route, sight):
            if inside:
                continue
            response = sight.client.get(url)
            if response.status_code != 404:
                problems.append(f"GET {url} ({what}): {response.status_code}, expected 404")
    report(sight, problems)


@pytest.mark.parametrize("sight", PERSONAS, indirect=True)
def test_forms_posted_outside_the_scope_write_nothing(sight: Sight) -> None:
    problems = []
    before = row_counts()
    for route in page_routes():
        if not route.kwargs:
            continue
        for url, what, inside in url_variants(route, sight):
            if inside:
                continue
            data = {**POST_DATA, "username": sight.username, "org": sight.outside_orgs[0]}
            response = sight.client.post(url, data)
            # 405: the route takes no POST at all, so nothing can be written through it.
            if response.status_code not in (404, 405):
                problems.append(f"POST {url} ({what}): {response.status_code}, expected 404")
    after = row_counts()
    if after != before:
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        problems.append(f"rows written by posts outside the scope: {changed}")
    report(sight, problems)


def sample(values: list[Any]) -> list[Any]:
    """The first outside objects (the named ones) and the last (the test's own outsider)."""
    return values[:5] + [value for value in values[-2:] if value not in values[:5]]


def naming_problems(sight: Sight, routes: list[PageRoute]) -> tuple[list[str], list[str]]:
    """Problems, and the fields tried, when the persona posts the forms of its own pages
    with an outside object (or a value naming nothing) in a field that names an object."""
    problems = []
    used: list[str] = []
    before = row_counts()
    for route in routes:
        for url, what, inside in url_variants(route, sight):
            if not inside:
                continue
            for form in post_forms(sight.client.get(url), url):
                for name in form.fields:
                    kind = ref_kind(name)
                    if kind is None:
                        continue
                    used.append(f"{url} {name}")
                    for value in [*sample(kind.outside(sight)), NOT_AN_ID]:
                        for data in form.bodies(sight.username):
                            response = sight.client.post(form.url, {**data, name: value})
                            if response.status_code not in (200, 404):
                                problems.append(
                                    f"POST {form.url} ({what}) with {name}={value} "
                                    f"{ {k: data[k] for k, _v in form.buttons if k in data} }: "
                                    f"{response.status_code}, expected 200 or 404"
                                )
    after = row_counts()
    if after != before:
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        problems.append(f"rows written by forms naming outside objects: {changed}")
    return problems, used


@pytest.mark.parametrize("sight", PERSONAS, indirect=True)
def test_forms_naming_outside_objects_write_nothing(sight: Sight) -> None:
    """A form the persona may use, on its own objects, with an outside object chosen in
    one of its fields: shown again with an error (or 404), never carried out."""
    problems, used = naming_problems(sight, page_routes())
    if sight.username == "danguy":
        # The commune committee restructures its cells, ends assignments, publishes
        # documents: the check must have had those forms.
        for name in ("target", "document", "assignment"):
            assert any(u.endswith(f" {name}") for u in used), f"no form of danguy has {name}"
    report(sight, problems)


# Pages and API operations where a plain member writes about itself in its own unit: the
# read-only check leaves them to their own tests for the unit's members, and expects them
# refused to a reader who is no member there.
SELF_SERVICE: dict[str | tuple[str, str], str] = {
    "meetings/<int:meeting_id>/absence/": "a member's notice of absence from a meeting",
    ("POST", "/api/v1/meetings/{meeting_id}/absence-notices"): "the same, through the API",
    "orgs/<str:code>/plans/themes/<int:theme_id>/quiz/": "a member takes a theme's quiz",
    "orgs/<str:code>/library/<int:entry_id>/": "a member marks a document read",
    "orgs/<str:code>/commitments/write/": "a member writes their own commitment",
    "commitments/<int:commitment_id>/": "a member edits and submits their own commitment",
    "orgs/<str:code>/initiatives/new/": "a member registers a model of their own",
}
# What every user keeps for themselves, whatever their role: no org's data.
PERSONAL: dict[str, str] = {"calendar/": "the user's own calendar feed (a private link)"}
# URL arguments naming the inside org itself: a persona that writes somewhere else is
# checked only on routes taking these, since a person, admission or transfer it reads
# may lie where it does write.
ORG_ONLY_KWARGS = {"code", "fmt"}

# Personas, with an org they open without any right to change it: a reader above
# (tinhuy), a plain member in their own cell (dangvien1), a committee member on the
# women's union it watches with a VIEWER grant (danguy).
READ_ONLY_SIGHTS = [("tinhuy", None), ("dangvien1", None), ("danguy", "HLHPN-DT-CH01")]


def read_only_problems(
    sight: Sight, routes: list[PageRoute], api_list: list[ApiRoute], officer: Client
) -> list[str]:
    """Problems when a persona posts, on pages inside its scope, what an officer of the
    org would post (the forms `officer` is shown), and calls the API's writing operations:
    403 or 404 (405 where the route takes no post), and nothing written."""
    assert sight.inside_org not in sight.writable_orgs, f"{sight.username} writes there"
    own_unit = sight.inside_org in sight.own_units

    def checked(kwargs: tuple[str, ...]) -> bool:
        return not sight.writable_orgs or set(kwargs) <= ORG_ONLY_KWARGS

    # (url, what, body, strict): the forms an officer is shown must be refused (403,
    # 404); any other body may also be shown again with an error (200), or, on a self-
    # service route, with the reason a reader may not use it. Nothing may be written.
    calls: list[tuple[str, str, dict[str, Any], bool]] = []
    for route in routes:
        if route.route in PERSONAL or not checked(route.kwargs):
            continue
        if route.route in SELF_SERVICE and own_unit:
            continue
        strict = route.route not in SELF_SERVICE
        for url, what, inside in url_variants(route, sight):
            if not inside:
                continue
            forms = post_forms(officer.get(url), url)
            calls.append((url, what, {**POST_DATA, "username": sight.username}, False))
            calls += [
                (form.url, what, data, strict and _route_of(form.url) not in SELF_SERVICE)
                for form in forms
                for data in form.bodies(sight.username)
            ]
    problems = []
    before = row_counts()
    for url, what, data, strict in calls:
        response = sight.client.post(url, data)
        if response.status_code not in (403, 404, 405) and (strict or response.status_code != 200):
            shown = {k: v for k, v in data.items() if k not in POST_DATA and "csrf" not in k}
            problems.append(f"POST {url} ({what}) {shown}: {response.status_code}")
    for api_route in api_list:
        key = (api_route.method, api_route.path)
        if api_route.method == "GET" or not checked(api_route.kwargs):
            continue
        if key in SELF_SERVICE and own_unit:
            continue
        # A reader is told why it may not use a member's own operation: 422 is a refusal.
        refusals = (403, 404, 422) if key in SELF_SERVICE else (403, 404)
        body = API_WRITE_BODIES.get(key, {})
        for url, what, inside in url_variants(api_route, sight):
            if not inside:
                continue
            response = sight.api_client.generic(
                api_route.method, url, json.dumps(body), content_type="application/json"
            )
            if response.status_code not in refusals:
                problems.append(f"{api_route.method} {url} ({what}): {response.status_code}")
    after = row_counts()
    if after != before:
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        problems.append(f"rows written by a persona that may not write: {changed}")
    return problems


@pytest.fixture
def officer_client(demo: Any) -> Client:
    """Shown every form a page has: the superuser."""
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.mark.parametrize(
    "sight", READ_ONLY_SIGHTS, indirect=True, ids=[f"{u}-{c or 'own'}" for u, c in READ_ONLY_SIGHTS]
)
def test_read_only_personas_write_nothing(sight: Sight, officer_client: Client) -> None:
    report(sight, read_only_problems(sight, page_routes(), api_routes(), officer_client))


@pytest.mark.parametrize("sight", PERSONAS, indirect=True)
def test_api_answers_404_outside_the_scope(sight: Sight) -> None:
    problems = []
    before = row_counts()
    for route in api_routes():
        if not route.kwargs:
            continue
        body = API_WRITE_BODIES.get((route.method, route.path))
        for url, what, inside in url_variants(route, sight):
            if inside:
                continue
            if body is None:
                response = sight.api_client.generic(route.method, url)
            else:
                response = sight.api_client.generic(
                    route.method, url, json.dumps(body), content_type="application/json"
                )
            if response.status_code != 404 or set(response.json()) != {"detail"}:
                problems.append(
                    f"{route.method} {url} ({what}): {response.status_code} "
                    f"{response.content[:200]!r}, expected 404"
                )
    if row_counts() != before:
        problems.append("rows written by API calls outside the scope")
    report(sight, problems)


def leaks(sight: Sight, response: Any, what: str, reflected: str = "") -> list[str]:
    pattern = sight.leak_pattern()
    if pattern is None or response.status_code != 200:
        return []
    found = sorted(set(pattern.findall(response_text(response, reflected))))
    return [f"{what} names {found}, outside the scope"] if found else []


# Routes every persona must be able to open on its own objects: the proof that the other
# checks do not pass by refusing everything.
MUST_OPEN = {
    "",
    "orgs/",
    "orgs/<str:code>/",
    "people/<int:person_id>/",
    "/api/v1/orgs",
    "/api/v1/orgs/{code}",
    "/api/v1/members/{person_id}",
}
MUST_READ = {
    "orgs/<str:code>/members/",
    "orgs/<str:code>/fees/",
    "orgs/<str:code>/members/export.<exportfmt:fmt>",
    "/api/v1/orgs/{code}/members",
    "orgs/<str:code>/meetings/stats/",
    "orgs/<str:code>/meetings/warnings/",
    "/api/v1/orgs/{code}/meeting-stats",
    "orgs/<str:code>/initiatives/",
    "orgs/<str:code>/initiatives/overlaps/",
    "/api/v1/orgs/{code}/initiative-totals",
    "orgs/<str:code>/evaluation/stats/",
    "/api/v1/orgs/{code}/evaluation-stats",
}
NEEDS_PERSON = {"people/<int:person_id>/", "/api/v1/members/{person_id}"}


@pytest.mark.parametrize("sight", PERSONAS, indirect=True)
def test_own_objects_open_and_show_nothing_outside(sight: Sight) -> None:
    """Inside the scope: 200, or 403 where the role is too weak, never 404; and what is
    shown names nothing outside."""
    problems = []
    opened: set[str] = set()
    calls: list[tuple[str, Client, str, str]] = []
    for route in page_routes():
        calls += [
            (route.route, sight.client, url, what)
            for url, what, inside in url_variants(route, sight)
            if inside
        ]
    for api_route in api_routes():
        if api_route.method == "GET":
            calls += [
                (api_route.path, sight.api_client, url, what)
                for url, what, inside in url_variants(api_route, sight)
                if inside
            ]
    for name, client, url, what in calls:
        response = client.get(url)
        if response.status_code not in (200, 403):
            problems.append(f"GET {url} ({what}): {response.status_code}, expected 200 or 403")
        problems += leaks(sight, response, f"GET {url}")
        if response.status_code == 200:
            opened.add(name)
    expected = MUST_OPEN | (MUST_READ if sight.readable_orgs else set())
    if sight.person_id is None:
        expected -= NEEDS_PERSON
    if not expected <= opened:
        problems.append(f"refused on its own objects: {sorted(expected - opened)}")
    report(sight, problems)


@pytest.mark.parametrize("sight", PERSONAS, indirect=True)
def test_lists_name_nothing_outside_the_scope(sight: Sight) -> None:
    problems = []
    outside_names = [
        Org.objects.get(code=sight.outside_orgs[0]).name,
        OUTSIDER_NAME,
        Person.objects.get(pk=sight.outside_people[0]).full_name,
    ]
    queries: list[dict[str, str]] = [{}]
    queries += [{"q": name} for name in outside_names]
    queries += [{"q": "xom"}, {"q": "chi"}, {"open": sight.outside_orgs[0]}]
    for route in page_routes():
        if route.kwargs:
            continue
        for query in queries:
            response = sight.client.get(route.url(), query)
            what = f"GET {route.url()} {query}"
            if response.status_code not in (200, 404) or (
                not query and response.status_code != 200
            ):
                problems.append(f"{what}: {response.status_code}")
            reflected = response.wsgi_request.get_full_path()
            problems += leaks(sight, response, what, reflected)
    for api_route in api_routes():
        if api_route.kwargs or api_route.method != "GET":
            continue
        for query in [*queries, {"limit": "500"}]:
            response = sight.api_client.get(api_route.url(), query)
            what = f"GET {api_route.path} {query}"
            if response.status_code != 200:
                problems.append(f"{what}: {response.status_code}")
            problems += leaks(sight, response, what)
    report(sight, problems)


@pytest.mark.parametrize("sight", PERSONAS, indirect=True)
def test_api_org_list_is_exactly_what_the_persona_opens(sight: Sight) -> None:
    response = sight.api_client.get("/api/v1/orgs", {"limit": "500"})
    listed = {item["code"] for item in response.json()["items"]}
    assert listed == sight.openable_orgs


@pytest.mark.parametrize("sight", ["bithu1"], indirect=True)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_matrix_reads_names_in_downloads(sight: Sight, fmt: str) -> None:
    """A download that escaped its scope would be caught: the check reads the file."""
    from chibo.core.exporters import export_response
    from chibo.people.exports import MemberListExporter, operator

    other_cell = Org.objects.get(code="DU-DT-CB02")
    response = export_response(MemberListExporter(user=operator(), org=other_cell), fmt)
    found = leaks(sight, response, f"an unscoped {fmt} export")
    assert found and "DU-DT-CB02" in found[0]
