"""Criteria and grades of units: party cells and grassroots party organisations take the four
grades of the regulation (with the collective's criteria), mass-organisation units (a
women's union branch, a farmers' association …) their own four-step scale: vững mạnh, khá,
trung bình, yếu.

Sources (docs/evaluation.md, "Sources checked"):

- Party units are graded on the same four grades as members: Quy định 124-QĐ/TW, Điều 11
  (step 1: "từng tổ chức, tập thể, cá nhân tự phân tích chất lượng và xếp loại vào 1 trong 4
  mức theo quy định tại Điều 12") and Quy định 366-QĐ/TW, Điều 11, whose grades are given
  for "tập thể, cá nhân" alike. Verified from quoting pages.
- The party criteria follow each regulation's framework for collectives (Quy định
  124-QĐ/TW, Điều 10; Quy định 366-QĐ/TW, the annex for collectives: 30 points of common
  criteria, 70 of task results). The titles and the points per criterion (10 + 10 + 10,
  60 + 10) are this project's: the annexes' detailed criteria were not found.
- The mass-organisation scale (vững mạnh, khá, trung bình, yếu) is the issue's: not found in
  any text. The women's union grades its grassroots organisations under its own guidance
  (Hướng dẫn 13/HD-ĐCT-TC ngày 01/9/2017 của Đoàn Chủ tịch Trung ương Hội LHPN Việt Nam;
  its scale was not read), and one district report of 2011 grades branches "xuất sắc,
  mạnh, khá" (trung bình) — a different scale. The criteria are this project's summary of
  what a union branch reports on.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from chibo.evaluation.models import Grade
from chibo.evaluation.rules.base import Criterion

PARTY = "party"

# The scale of mass-organisation units, best first.
MASS_ORG_SCALE: tuple[Grade, ...] = (Grade.STRONG, Grade.FAIR, Grade.AVERAGE, Grade.WEAK)

PARTY_UNIT_CRITERIA_124: tuple[Criterion, ...] = (
    Criterion(
        "party_building",
        _("Công tác xây dựng Đảng, xây dựng hệ thống chính trị"),
        guidance=_("Củng cố tổ chức, nâng cao chất lượng sinh hoạt, phát triển đảng viên."),
    ),
    Criterion(
        "leadership",
        _("Năng lực lãnh đạo, tổ chức thực hiện nhiệm vụ chính trị"),
        guidance=_("Kết quả các chỉ tiêu, nhiệm vụ được giao trong năm."),
    ),
    Criterion(
        "inspection",
        _("Công tác kiểm tra, giám sát, kỷ luật; phòng, chống tham nhũng, tiêu cực"),
    ),
    Criterion(
        "principles",
        _("Thực hiện nguyên tắc tập trung dân chủ, tự phê bình và phê bình; đoàn kết nội bộ"),
    ),
    Criterion(
        "remedy",
        _("Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra"),
    ),
)

PARTY_UNIT_CRITERIA_366: tuple[Criterion, ...] = (
    # Common criteria: 30 points.
    Criterion(
        "party_building",
        _("Công tác xây dựng Đảng, xây dựng hệ thống chính trị"),
        max_points=Decimal("10"),
    ),
    Criterion(
        "principles",
        _("Thực hiện nguyên tắc tập trung dân chủ, đoàn kết nội bộ, tự phê bình và phê bình"),
        max_points=Decimal("10"),
    ),
    Criterion(
        "inspection",
        _("Kiểm tra, giám sát, kỷ luật; phòng, chống tham nhũng, lãng phí, tiêu cực"),
        max_points=Decimal("10"),
    ),
    # Task results: 70 points.
    Criterion(
        "results",
        _("Kết quả thực hiện các nhiệm vụ được giao (số lượng, tiến độ, chất lượng)"),
        max_points=Decimal("60"),
    ),
    Criterion(
        "remedy",
        _("Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra"),
        max_points=Decimal("10"),
    ),
)

MASS_ORG_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "outreach",
        _("Tuyên truyền, vận động, tập hợp hội viên"),
    ),
    Criterion(
        "support",
        _("Chăm lo, hỗ trợ hội viên; tham gia phát triển kinh tế - xã hội ở địa bàn"),
    ),
    Criterion(
        "organisation",
        _("Xây dựng tổ chức hội, phát triển hội viên, sinh hoạt định kỳ"),
    ),
    Criterion(
        "participation",
        _("Tham gia xây dựng Đảng, chính quyền; giám sát và phản biện xã hội"),
    ),
)


def is_party(family: str) -> bool:
    return family == PARTY


def mass_org_grade_allowed(grade: str) -> bool:
    return grade in MASS_ORG_SCALE
