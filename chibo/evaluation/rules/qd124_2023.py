"""Quy định 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị về kiểm điểm và đánh giá, xếp loại
chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị, with the Ban Tổ chức
Trung ương's Hướng dẫn 25-HD/BTCTW (2023).

It replaced Quy định 132-QĐ/TW (08/3/2018) from the 2023 round and was itself replaced by
Quy định 366-QĐ/TW (30/8/2025) from the 2025 round, so it governs the 2023 and 2024 rounds.

Grades are not scored: the cell proposes and the committee decides one of the four grades
(Điều 12) against the criteria framework (Điều 10). What was and was not verified against
the texts is listed in docs/evaluation.md, "Rule sets".
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from chibo.evaluation.models import Grade
from chibo.evaluation.rules.base import Criterion
from chibo.evaluation.rules.common import PartyRuleSet
from chibo.evaluation.rules.units import PARTY_UNIT_CRITERIA_124

CODE = "qd124_2023"


class Qd124(PartyRuleSet):
    """Quy định 124-QĐ/TW: four grades chosen by the collective, no score sheet."""

    code = CODE
    title = _("Quy định 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị")
    first_year = 2023
    last_year = 2024
    scored = False

    # Điều 10 (khung tiêu chí đánh giá), for individuals: the common criteria, the results
    # of the assigned duties, and the remedy of shortcomings pointed out before.
    member_criteria = (
        Criterion(
            "politics",
            _("Tư tưởng chính trị"),
            guidance=_(
                "Trung thành với chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh, đường lối của "
                "Đảng; chấp hành chủ trương, chính sách, pháp luật."
            ),
        ),
        Criterion(
            "ethics",
            _("Phẩm chất đạo đức, lối sống"),
            guidance=_(
                "Gương mẫu, giản dị; đấu tranh với biểu hiện suy thoái, quan liêu, tham "
                "nhũng, lãng phí, tiêu cực; thực hiện trách nhiệm nêu gương."
            ),
        ),
        Criterion(
            "discipline",
            _("Ý thức tổ chức kỷ luật"),
            guidance=_(
                "Chấp hành sự phân công của tổ chức; sinh hoạt chi bộ, đóng đảng phí đầy "
                "đủ; giữ mối liên hệ với nơi cư trú."
            ),
        ),
        Criterion(
            "work_style",
            _("Tác phong, lề lối làm việc"),
            guidance=_("Năng động, sáng tạo, dân chủ, gần dân, trách nhiệm với công việc."),
        ),
        Criterion(
            "results",
            _("Kết quả thực hiện chức trách, nhiệm vụ được giao"),
            guidance=_(
                "Nhiệm vụ chi bộ giao trong năm và việc thực hiện cam kết tu dưỡng, rèn "
                "luyện, phấn đấu; kết quả cụ thể, lượng hóa được."
            ),
        ),
        Criterion(
            "remedy",
            _("Kết quả khắc phục hạn chế, khuyết điểm"),
            guidance=_(
                "Những hạn chế, khuyết điểm đã được chỉ ra ở kỳ kiểm điểm trước hoặc được "
                "cấp có thẩm quyền kết luận."
            ),
        ),
    )
    unit_criteria = PARTY_UNIT_CRITERIA_124

    # Điều 12 and the guidance: at most 20% of those graded good, in each grassroots
    # party organisation.
    excellent_quota = Decimal("0.20")
    quota_base_grades = (Grade.GOOD,)

    exempt_citation = _(
        "Được miễn công tác và sinh hoạt đảng: không đánh giá, xếp loại (Quy định "
        "24-QĐ/TW, Điều 7; Hướng dẫn 25-HD/BTCTW)"
    )
    suspended_citation = _(
        "Đang bị đình chỉ sinh hoạt đảng: không đánh giá, xếp loại (Hướng dẫn 25-HD/BTCTW)"
    )
    new_member_citation = _(
        "Kết nạp chưa đủ 6 tháng tại ngày tính: vẫn kiểm điểm nhưng không xếp loại (Hướng "
        "dẫn 25-HD/BTCTW)"
    )
    not_active_citation = _("Không còn sinh hoạt đảng tại ngày tính của đợt đánh giá")
    sick_leave_citation = _(
        "Nghỉ ốm từ 3 tháng trở lên trong năm: không xếp loại mức “Hoàn thành tốt nhiệm "
        "vụ” trở lên (Hướng dẫn 25-HD/BTCTW)"
    )
    discipline_citation = _(
        "Bị xử lý kỷ luật trong năm đánh giá: xếp loại “Không hoàn thành nhiệm vụ” (Quy "
        "định 124-QĐ/TW, Điều 12, khoản 4, điểm 4.3 d)"
    )
    discipline_remedied_citation = _(
        "Bị kỷ luật trong năm nhưng tự phát hiện, khắc phục xong hậu quả: không xếp loại "
        "“Hoàn thành xuất sắc nhiệm vụ” (Quy định 124-QĐ/TW, Điều 12)"
    )
    quota_citation = _(
        "Số đảng viên “Hoàn thành xuất sắc nhiệm vụ” không vượt quá 20% số được xếp loại "
        "“Hoàn thành tốt nhiệm vụ” trong mỗi tổ chức cơ sở đảng (Quy định 124-QĐ/TW, Điều 12)"
    )

    def grade_for_score(self, score: Decimal) -> Grade:
        """Quy định 124-QĐ/TW has no score sheet (Điều 12 grades by criteria met), so a
        score cannot give a grade: the collective chooses among `member_grades()`."""
        raise NotImplementedError("Quy định 124-QĐ/TW has no score sheet")


RULES = Qd124()
