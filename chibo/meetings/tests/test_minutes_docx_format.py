"""The DOCX of the minutes keeps the margins of its document system: Hướng dẫn 36-HD/VPTW
for a party cell, the state's (Nghị định 30/2020/NĐ-CP) for a mass organisation's branch."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from docx.shared import Mm, Pt

from chibo.meetings.minutes_docx import minutes_docx
from chibo.meetings.models import Meeting, MeetingKind, Minutes
from chibo.orgs.models import Org


def docx_of(org: Org, kind: str) -> Any:
    start = timezone.make_aware(datetime.datetime(2026, 3, 10, 8, 0))
    meeting = Meeting.objects.create(
        org=org,
        kind=kind,
        period=datetime.date(2026, 3, 1),
        starts_at=start,
        location="Nhà văn hóa",
    )
    minutes = Minutes.objects.create(
        meeting=meeting, started_at=start, ended_at=start + datetime.timedelta(minutes=100)
    )
    return Document(io.BytesIO(minutes_docx(meeting=meeting, minutes=minutes)))


def margins_mm(document: Any) -> tuple[int, ...]:
    section = document.sections[0]
    edges = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    return tuple(round(edge / Mm(1)) for edge in edges)


@pytest.mark.django_db
def test_a_party_cells_minutes_have_the_party_margins_and_sizes(personas: Any) -> None:
    document = docx_of(personas.cell_a, MeetingKind.REGULAR)
    assert margins_mm(document) == (25, 25, 35, 15)
    runs = {
        run.text: run
        for table in document.tables
        for cell in table.rows[0].cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
    }
    heading = runs["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert heading.bold and heading.font.size == Pt(15)
    title = next(r for p in document.paragraphs for r in p.runs if r.text == "BIÊN BẢN")
    assert title.bold and title.font.size == Pt(16)
    assert document.styles["Normal"].font.size == Pt(14)


@pytest.mark.django_db
def test_a_womens_branch_keeps_the_state_margins(personas: Any) -> None:
    document = docx_of(personas.women_a, MeetingKind.BRANCH)
    assert margins_mm(document) == (20, 20, 30, 15)
