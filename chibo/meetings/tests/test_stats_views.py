"""The statistics and warnings pages, their hooks on other pages, and the API, on the demo.

The demo has no meetings of its own in the test database: a few months of meetings of
two Đại Từ cells are written here, with the roll call's counts, and unexcused absences
for two members of bithu1's cell.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chibo.core.api_auth import api_token_create
from chibo.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from chibo.orgs.models import Org
from chibo.people.models import Membership, MembershipStatus

YEAR = timezone.localdate().year - 1


def held(org: Org, month: int, kind: str = MeetingKind.REGULAR, present: int = 20) -> Meeting:
    return Meeting.objects.create(
        org=org,
        kind=kind,
        status=MeetingStatus.HELD,
        period=datetime.date(YEAR, month, 1),
        starts_at=timezone.make_aware(datetime.datetime(YEAR, month, 12, 19)),
        expected_count=25,
        present_count=present,
    )


@pytest.fixture
def meetings(demo: Any) -> dict[str, Any]:
    cb01, cb02 = demo.org("DU-DT-CB01"), demo.org("DU-DT-CB02")
    members = list(
        Membership.objects.filter(
            org=cb01, ended_on__isnull=True, status=MembershipStatus.OFFICIAL
        ).order_by("person__sort_key")[:2]
    )
    for month in range(1, 13):
        meeting = held(cb01, month, present=22)
        if month in (2, 5, 9):
            Attendance.objects.create(
                meeting=meeting, person=members[0].person, status=AttendanceStatus.UNEXCUSED
            )
        if month in (3, 4):
            Attendance.objects.create(
                meeting=meeting, person=members[1].person, status=AttendanceStatus.UNEXCUSED
            )
        if month not in (6, 7):
            held(cb02, month, present=15)
    held(cb01, 3, MeetingKind.THEMATIC)
    return {"removal": members[0].person, "warning": members[1].person}


def test_the_committee_reads_its_statistics(demo: Any, meetings: dict[str, Any]) -> None:
    response = demo.client("danguy").get("/orgs/DU-DT/meetings/stats/", {"year": YEAR})
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Thống kê sinh hoạt năm {YEAR}" in text
    assert text.count("<svg") == 3
    stats = response.context["stats"]
    assert stats.held_unit_months == 12 + 10
    # 18 cells all year, and the two cells of Hà Thượng merged away on 1 July 2025.
    assert stats.units == 20
    assert stats.due_unit_months == 18 * 12 + (2 * 7 if YEAR == 2025 else 0)
    assert [item.org.code for item in stats.missed][:2] == ["DU-DT-CB03", "DU-DT-CB04"]
    assert stats.missed_count == 17  # every cell but CB01
    assert "DU-DT-CB02" in {child.org.code for child in stats.children}
    assert response.context["absence_counts"] == (1, 1)


def test_a_viewer_reads_the_province_and_a_member_is_refused(
    demo: Any, meetings: dict[str, Any]
) -> None:
    assert demo.client("tinhuy").get("/orgs/TU-TN/meetings/stats/").status_code == 200
    assert demo.client("dangvien1").get("/orgs/DU-DT-CB01/meetings/stats/").status_code == 403
    assert demo.client("bithu1").get("/orgs/DU-DT-CB02/meetings/stats/").status_code == 404
    assert demo.client("bithu1").get("/orgs/DU-DT-CB02/meetings/warnings/").status_code == 404
    assert demo.client("danguy").get("/orgs/DU-HLHPN/meetings/stats/").status_code == 404


def test_a_bad_year_is_named(demo: Any) -> None:
    response = demo.client("danguy").get("/orgs/DU-DT/meetings/stats/", {"year": "hai"})
    assert response.status_code == 200
    assert "Năm “hai” không hợp lệ" in response.content.decode()
    assert response.context["year"] == timezone.localdate().year


def test_the_cell_sees_its_warnings(demo: Any, meetings: dict[str, Any]) -> None:
    response = demo.client("bithu1").get("/orgs/DU-DT-CB01/meetings/warnings/", {"year": YEAR})
    assert response.status_code == 200
    text = response.content.decode()
    assert meetings["removal"].full_name in text and meetings["warning"].full_name in text
    assert "Xem xét đề nghị xóa tên" in text and "Cảnh báo sớm" in text
    women = demo.client("chihoi1").get("/orgs/HLHPN-DT-CH01/meetings/warnings/")
    assert "chỉ áp dụng cho đảng viên" in women.content.decode()


def test_pages_run_the_same_queries_for_few_and_many_meetings(
    demo: Any, meetings: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = demo.client("danguy")
    client.get("/orgs/DU-DT/meetings/stats/", {"year": YEAR})  # sessions, caches
    with django_assert_max_num_queries(60) as few:
        client.get("/orgs/DU-DT/meetings/stats/", {"year": YEAR})
        client.get("/orgs/DU-DT/meetings/warnings/", {"year": YEAR})
    for code in ("DU-DT-CB05", "DU-DT-CB06", "DU-DT-CB07"):
        for month in range(1, 13):
            held(demo.org(code), month)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/orgs/DU-DT/meetings/stats/", {"year": YEAR})
        client.get("/orgs/DU-DT/meetings/warnings/", {"year": YEAR})


def test_hooks_on_the_org_page_and_the_home_page(demo: Any, meetings: dict[str, Any]) -> None:
    Meeting.objects.filter(period__year=YEAR).update(
        period=datetime.date(timezone.localdate().year, 1, 1)
    )
    page = demo.client("danguy").get("/orgs/DU-DT/").content.decode()
    assert "/orgs/DU-DT/meetings/stats/" in page
    assert "vắng từ 3 tháng trong năm (báo cấp ủy)" not in page  # all in one month now
    member_page = demo.client("dangvien1").get("/orgs/DU-DT-CB01/").content.decode()
    assert "/meetings/stats/" not in member_page


def test_the_unit_card_warns_the_cell(demo: Any, meetings: dict[str, Any]) -> None:
    this_year = timezone.localdate().year
    for meeting in Meeting.objects.filter(period__year=YEAR):
        meeting.period = meeting.period.replace(year=this_year)
        meeting.save(update_fields=["period"])
    home = demo.client("bithu1").get("/").content.decode()
    assert "vắng không lý do từ 3 tháng năm" in home
    assert "vắng 2 tháng (nhắc chi bộ)" in home
    committee = demo.client("danguy").get("/").content.decode()
    assert "vắng 2 tháng (nhắc chi bộ)" not in committee


def response_context_due(demo: Any) -> int:
    page = demo.client("danguy").get("/orgs/DU-DT/meetings/stats/", {"year": YEAR})
    due: int = page.context["stats"].due_unit_months
    return due


def _api(demo: Any, username: str) -> Client:
    key = api_token_create(user=demo.user(username)).key
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_api_gives_the_same_figures(demo: Any, meetings: dict[str, Any]) -> None:
    response = _api(demo, "danguy").get("/api/v1/orgs/DU-DT/meeting-stats", {"year": YEAR})
    assert response.status_code == 200
    data = response.json()
    assert data["org"]["code"] == "DU-DT" and data["year"] == YEAR
    assert data["held_unit_months"] == 22
    assert data["due_unit_months"] == response_context_due(demo)
    assert [m["held_units"] for m in data["months"]][5:7] == [1, 1]
    assert data["missed_count"] == 17 and len(data["children"]) == 20
    assert data["absences"] == {"warning": 1, "removal": 1}
    assert data["attendance_percent"] == round(100 * (12 * 22 + 10 * 15 + 20) / (23 * 25), 1)


def test_the_api_refuses_outside_and_names_a_bad_year(demo: Any) -> None:
    client = _api(demo, "bithu1")
    assert client.get("/api/v1/orgs/DU-DT-CB02/meeting-stats").status_code == 404
    assert _api(demo, "dangvien1").get("/api/v1/orgs/DU-DT-CB01/meeting-stats").status_code == 403
    bad = client.get("/api/v1/orgs/DU-DT-CB01/meeting-stats", {"year": "1890"})
    assert bad.status_code == 422
    [problem] = bad.json()["detail"]
    assert problem["loc"] == ["query", "year"] and "1890" in problem["message"]
