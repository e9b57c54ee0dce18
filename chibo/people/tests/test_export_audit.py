"""Every export leaves one audit entry: who, which org, which filters, how many people,
which format, which way out; officers read it in the org's history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from chibo.core.models import AuditEntry
from chibo.people.models import Membership
from chibo.people.selectors import ON_ROLL_STATUSES


def exports() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).order_by("pk"))


def on_roll(code: str, **extra: Any) -> int:
    return Membership.objects.filter(
        org__code=code, ended_on__isnull=True, status__in=ON_ROLL_STATUSES, **extra
    ).count()


def test_a_page_download_is_audited_with_its_filters_and_size(demo):
    client = demo.client("bithu1")
    response = client.get("/orgs/DU-DT-CB01/members/export.xlsx?status=official&q=")
    b"".join(response.streaming_content)
    [entry] = exports()
    cell = demo.org("DU-DT-CB01")
    official = on_roll("DU-DT-CB01", status="official")
    assert entry.actor == demo.user("bithu1")
    assert entry.org_id == cell.pk and entry.subject_type == "orgs.org"
    assert entry.subject_id == cell.pk and entry.person_id is None
    assert entry.after["format"] == "xlsx" and entry.after["via"] == "page"
    assert entry.after["records"] == official > 0
    assert entry.after["filters"] == {"query": "", "status": "official", "descendants": False}
    assert entry.after["file"].startswith("danh-sach-dang-vien-DU-DT-CB01-")
    assert entry.summary == (
        f"Xuất danh sách đảng viên của {cell.name}: {official} người, tệp Excel "
        "(tư cách: Chính thức)"
    )


def test_a_csv_download_of_the_subtree_is_audited(demo):
    client = demo.client("danguy")
    response = client.get("/orgs/DU-DT/members/export.csv?descendants=on&q=nguyen")
    [entry] = exports()
    assert entry.actor == demo.user("danguy")
    assert entry.after["format"] == "csv"
    assert entry.after["filters"] == {"query": "nguyen", "status": "", "descendants": True}
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert entry.after["records"] == len(lines) - 1 > 0
    assert "gồm cả các đơn vị trực thuộc" in entry.summary
    assert "tên khớp với “nguyen”" in entry.summary


def test_refused_downloads_write_no_entry(demo):
    assert demo.client("bithu2").get("/orgs/DU-DT-CB01/members/export.xlsx").status_code == 404
    assert demo.client("dangvien1").get("/orgs/DU-DT-CB01/members/export.csv").status_code == 403
    response = demo.client("bithu1").get("/orgs/DU-DT-CB01/members/export.xlsx?status=bogus")
    assert response.status_code == 302
    assert exports() == []


def test_the_command_line_is_audited_as_the_server_account(demo, tmp_path: Path):
    out = tmp_path / "ds.csv"
    call_command("export", "members", "--org", "DU-DT-CB02", "-o", str(out))
    assert out.exists()
    [entry] = exports()
    assert entry.actor is None
    assert entry.org_id == demo.org("DU-DT-CB02").pk
    assert entry.after["via"] == "command" and entry.after["format"] == "csv"
    assert entry.after["records"] == on_roll("DU-DT-CB02")
    assert "server_account" in entry.after
    assert entry.summary.endswith("bằng dòng lệnh trên máy chủ")


def test_a_failed_command_writes_neither_file_nor_entry(demo, tmp_path: Path):
    out = tmp_path / "missing" / "ds.xlsx"
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command("export", "members", "--org", "DU-DT-CB02", "-o", str(out))
    assert not out.exists() and exports() == []


def test_the_fee_report_is_audited(demo):
    client = demo.client("danguy")
    response = client.get("/orgs/DU-DT/fees/export/", {"period": "2025", "format": "csv"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [entry] = exports()
    assert entry.actor == demo.user("danguy")
    assert entry.org_id == demo.org("DU-DT").pk
    assert entry.after["format"] == "csv" and entry.after["what"] == "báo cáo thu đảng phí"
    assert entry.after["filters"] == {"first": "2025-01-01", "last": "2025-12-01"}
    assert entry.after["records"] > 0
    assert "(Năm 2025)" in entry.summary


def test_officers_read_the_exports_in_the_org_history(demo):
    client = demo.client("bithu1")
    b"".join(client.get("/orgs/DU-DT-CB01/members/export.xlsx").streaming_content)
    [entry] = exports()
    for username, code in (("bithu1", "DU-DT-CB01"), ("danguy", "DU-DT")):
        page = demo.client(username).get(f"/orgs/{code}/").content.decode()
        assert entry.summary in page, username
    # Not the secretary of another cell, nor a plain member.
    assert entry.summary not in demo.client("bithu2").get("/orgs/DU-DT-CB02/").content.decode()
    assert entry.summary not in demo.client("dangvien1").get("/orgs/DU-DT-CB01/").content.decode()
