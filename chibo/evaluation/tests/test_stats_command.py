"""`chibo stats evaluation`: JSON and XLSX, and the Vietnamese errors that exit non-zero."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from chibo.core.models import AuditEntry
from chibo.evaluation.tests.stats_data import StatsData, make_stats_data
from chibo.orgs.models import Org


@pytest.fixture
def data(demo: Any) -> StatsData:
    return make_stats_data()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("stats", "evaluation", *args, stdout=out)
    return out.getvalue()


def test_json_to_the_screen(data: StatsData) -> None:
    body = json.loads(run("--year", "2024", "--org", "DU-DT"))
    assert body["members"]["good_or_above_percent"] == 85.71
    assert body["members"]["excluded"] == 1
    assert len(body["children"]) == 18
    assert body["provisional"] is False


def test_json_to_a_file(data: StatsData, tmp_path: Path) -> None:
    target = tmp_path / "xep-loai.json"
    said = run("--year", "2025", "--org", "DU-DT", "-o", str(target))
    assert "Đã ghi thống kê xếp loại năm 2025" in said
    body = json.loads(target.read_text(encoding="utf-8"))
    assert body["provisional"] is True and body["members"]["pending"] == 4


def test_xlsx(data: StatsData, tmp_path: Path) -> None:
    target = tmp_path / "xep-loai.xlsx"
    run("--year", "2024", "--org", "TU-TN", "--format", "xlsx", "-o", str(target))
    workbook = load_workbook(target, read_only=True)
    rows = [row for row in workbook.worksheets[0].iter_rows(values_only=True) if len(row) > 6]
    workbook.close()
    province = Org.objects.get(code="TU-TN").name
    total = next(row for row in rows if row[1] == province)
    assert total[2:6] == (15, 14, 1, 0) and total[14] == 85.71
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert entry.after["via"] == "command" and entry.actor is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "2024", "--org", "KHONG-CO"), "Không có tổ chức nào mã “KHONG-CO”."),
        (("--year", "2024", "--org", "DU-HLHPN"), "Chưa có đợt đánh giá, xếp loại năm 2024"),
        (("--year", "năm ngoái", "--org", "DU-DT"), "Năm “năm ngoái” không hợp lệ"),
        (("--year", "2024", "--org", "DU-DT", "--format", "xlsx"), "Hãy cho tên tệp kết quả"),
    ],
)
def test_errors_in_vietnamese(data: StatsData, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)


def test_the_console_script_exits_non_zero(data: StatsData) -> None:
    from chibo.evaluation.management.commands.stats import Command

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["chibo", "stats", "evaluation", "--year", "2024", "--org", "X"])
    assert exited.value.code != 0
