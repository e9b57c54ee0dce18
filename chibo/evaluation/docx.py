"""The committee's decision list (danh sách kèm theo quyết định xếp loại) as a Word
document in the party's document format.

Hướng dẫn 36-HD/VPTW (03/4/2018) of the Central Party Office on the format of party
documents, drawn by chibo.core.docx (whose docstring cites it): A4; the text area 25 mm
from the top and bottom, 35 mm from the left and 15 mm from the right; Times New Roman
14 pt; on the left the name of the organisation above in capitals and the issuing
organisation in bold capitals with an asterisk below; on the right "ĐẢNG CỘNG SẢN VIỆT NAM"
15 pt bold, underlined, and under it the place and date in italics; the document's name
centred in bold capitals (15-16 pt). A list that accompanies a decision says so under its
name ("Kèm theo Quyết định số … ngày …"). A mass organisation's list takes the national
heading and the state margins instead."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from chibo.core.docx import (
    NOTE_SIZE,
    TITLE_SIZE,
    add_heading,
    add_line,
    cell_text,
    document_bytes,
    new_document,
    place_name,
)
from chibo.evaluation.models import Grade, MemberEvaluation, Round, RoundStatus
from chibo.evaluation.stats import PARTY_GRADES
from chibo.orgs import divisions
from chibo.orgs.models import Family, Org


@dataclass(frozen=True)
class DecisionLine:
    name: str
    unit: str
    grade: str  # the grade's label, or the rule that excluded the member
    excluded: bool


def decision_lines(*, round_: Round, org: Org) -> list[DecisionLine]:
    """The round's members within `org`, by grade (excellent first), then cell, then
    name; those not graded last, with the rule. One query."""
    rows = (
        MemberEvaluation.objects.filter(round=round_, org__path__startswith=org.path)
        .values_list(
            "person__full_name", "org__name", "decided_grade", "excluded_rule", "org__path"
        )
        .order_by("org__path", "person__sort_key", "pk")
    )
    rank = {grade: index for index, grade in enumerate(PARTY_GRADES)}
    lines: list[tuple[int, DecisionLine]] = []
    for name, unit, grade, excluded_rule, _path in rows:
        if excluded_rule:
            lines.append((len(rank), DecisionLine(name, unit, excluded_rule, True)))
        elif grade in rank:
            lines.append((rank[grade], DecisionLine(name, unit, str(Grade(grade).label), False)))
    # A stable sort keeps the cell and name order inside each grade.
    lines.sort(key=lambda item: item[0])
    return [line for _rank, line in lines]


def _place(org: Org) -> str:
    return place_name(
        divisions.ward_name(org.ward_code) or divisions.province_name(org.province_code)
    )


def _parent_name(org: Org) -> str | None:
    parent = Org.objects.filter(path=org.parent_path).first() if org.depth > 1 else None
    return parent.name if parent is not None else None


def decision_docx(*, round_: Round, org: Org, day: datetime.date) -> tuple[bytes, int]:
    """The decision list as DOCX bytes, and how many members it names."""
    lines = decision_lines(round_=round_, org=org)
    party = org.family == Family.PARTY
    document = new_document(party=party)
    add_heading(
        document,
        parent=_parent_name(org),
        unit=org.name,
        party=party,
        place=_place(org),
        day=day,
    )
    document.add_paragraph()
    if round_.status == RoundStatus.OPEN:
        add_line(document, _("DỰ THẢO"), bold=True, size=Pt(13))
    add_line(document, _("DANH SÁCH"), bold=True, size=TITLE_SIZE)
    add_line(
        document,
        _("đảng viên được đánh giá, xếp loại chất lượng năm %(year)s") % {"year": round_.year},
        bold=True,
    )
    add_line(
        document,
        _("(Kèm theo Quyết định số ……… ngày …/…/%(next)s của %(org)s)")
        % {"next": round_.year + 1, "org": org.name},
        italic=True,
        size=Pt(13),
    )
    document.add_paragraph()

    graded = [line for line in lines if not line.excluded]
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(14), Mm(62), Mm(48), Mm(40))
    for cell, title, width in zip(
        table.rows[0].cells,
        (_("STT"), _("Họ và tên"), _("Chi bộ"), _("Mức xếp loại")),
        widths,
        strict=True,
    ):
        cell.width = width
        cell_text(cell, title, bold=True, center=True)
    for number, line in enumerate(graded, 1):
        cells = table.add_row().cells
        for cell, text, width in zip(
            cells, (str(number), line.name, line.unit, line.grade), widths, strict=True
        ):
            cell.width = width
            cell_text(cell, text, center=text == str(number))
    document.add_paragraph()
    counts = dict.fromkeys((str(Grade(g).label) for g in PARTY_GRADES), 0)
    for line in graded:
        counts[line.grade] = counts.get(line.grade, 0) + 1
    summary = "; ".join(f"{label}: {count}" for label, count in counts.items())
    add_line(
        document,
        _("Tổng số: %(count)s đồng chí (%(summary)s).")
        % {"count": len(graded), "summary": summary},
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    excluded = [line for line in lines if line.excluded]
    if excluded:
        add_line(
            document,
            _("Đảng viên không xếp loại chất lượng:"),
            bold=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
        )
        for line in excluded:
            add_line(
                document,
                f"- {line.name} ({line.unit}): {line.grade}.",
                align=WD_ALIGN_PARAGRAPH.LEFT,
            )

    document.add_paragraph()
    signatures = document.add_table(rows=1, cols=2)
    _blank, signer = signatures.rows[0].cells
    signer.paragraphs[0].text = ""
    add_line(signer, _("T/M %(org)s") % {"org": _committee_of(org).upper()}, bold=True)
    add_line(signer, _("BÍ THƯ"), bold=True)
    add_line(signer, _("(Ký, ghi rõ họ tên)"), italic=True, size=NOTE_SIZE)
    return document_bytes(document), len(lines)


def _committee_of(org: Org) -> str:
    """Who signs: the executive committee of a party organisation (đảng ủy), the cell
    itself (chi bộ), or the organisation's own name for a mass organisation."""
    if org.family == Family.PARTY and org.name.startswith("Đảng bộ"):
        return _("Đảng ủy")
    return org.name


def decision_filename(*, round_: Round, org: Org) -> str:
    return f"danh-sach-xep-loai-{round_.year}-{org.code}.docx"
