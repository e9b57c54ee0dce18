"""Quy định 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị về kiểm điểm và đánh giá, xếp loại
chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị, with the Ban Tổ chức
Trung ương's Hướng dẫn 25-HD/BTCTW ngày 10/11/2023.

It replaced Quy định 132-QĐ/TW (08/3/2018) from the 2023 round and was itself replaced by
Quy định 366-QĐ/TW (30/8/2025) from the 2025 round, so it governs the 2023 and 2024 rounds.

Grades are not scored: the cell proposes and the committee decides one of the four grades
(Điều 12: each collective and individual "tự phân tích chất lượng và xếp loại vào 1 trong 4
mức theo quy định tại Điều 12") against the criteria framework (Điều 10), in the three
steps of Điều 11 (self-assessment; appraisal and proposal; decision). Who is reviewed:
Điều 5, khoản 2. Each citation below says which clause it rests on; what was and was not
found in the texts is in docs/evaluation.md, "Sources checked".
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
    # of the assigned duties, and the remedy of shortcomings pointed out before. The titles
    # follow the criteria Hướng dẫn 21-HD/BTCTW (2019) names for members (tư tưởng chính
    # trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật; tác phong, lề lối làm việc;
    # kết quả khắc phục hạn chế, khuyết điểm); the wording of Điều 10 itself was not read.
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

    # At most 20% of those graded good, in each grassroots party organisation: Hướng dẫn
    # 21-HD/BTCTW (2019), điểm 2.3 a; not found in Quy định 124 itself nor in Hướng dẫn 25.
    excellent_quota = Decimal("0.20")
    quota_base_grades = (Grade.GOOD,)

    # Điều 5, khoản 2: "Đảng viên trong toàn Đảng (trừ đảng viên được miễn công tác và sinh
    # hoạt đảng; đảng viên bị đình chỉ sinh hoạt đảng; đảng viên mới kết nạp chưa đủ 6
    # tháng)". Each citation is stored on the evaluation (at most 200 characters).
    exempt_citation = _(
        "Được miễn công tác và sinh hoạt đảng: không kiểm điểm, không xếp loại (Quy định "
        "124-QĐ/TW, Điều 5, khoản 2)"
    )
    suspended_citation = _(
        "Đang bị đình chỉ sinh hoạt đảng: không kiểm điểm, không xếp loại (Quy định "
        "124-QĐ/TW, Điều 5, khoản 2)"
    )
    new_member_citation = _(
        "Kết nạp chưa đủ 6 tháng tại ngày tính của đợt: không kiểm điểm, không xếp loại "
        "(Quy định 124-QĐ/TW, Điều 5, khoản 2)"
    )
    not_active_citation = _("Không còn sinh hoạt đảng tại ngày tính của đợt đánh giá")
    # No party text found; the rule Nghị định 90/2020/NĐ-CP, Điều 2, khoản 3 sets for civil
    # servants, applied to members as the issue asks.
    sick_leave_citation = _(
        "Nghỉ ốm từ 3 tháng trở lên trong năm: không xếp loại “Hoàn thành tốt nhiệm vụ” "
        "trở lên (quy tắc của Chibo theo Nghị định 90/2020/NĐ-CP, Điều 2, khoản 3; chưa "
        "thấy trong Quy định 124-QĐ/TW)"
    )
    # Điều 12 (cases of "Không hoàn thành nhiệm vụ"): "Bị xử lý kỷ luật ... trong năm (trừ
    # trường hợp tự phát hiện và khắc phục xong hậu quả)"; likewise Hướng dẫn 21-HD/BTCTW.
    discipline_citation = _(
        "Bị xử lý kỷ luật trong năm đánh giá: xếp loại “Không hoàn thành nhiệm vụ” (Quy "
        "định 124-QĐ/TW, Điều 12)"
    )
    # The text only lifts the failing grade; capping at good is this project's reading.
    discipline_remedied_citation = _(
        "Bị kỷ luật trong năm nhưng tự phát hiện, khắc phục xong hậu quả: không bị xếp "
        "“Không hoàn thành nhiệm vụ” (Quy định 124-QĐ/TW, Điều 12); Chibo không cho xếp "
        "“Hoàn thành xuất sắc nhiệm vụ”"
    )
    quota_citation = _(
        "Số đảng viên “Hoàn thành xuất sắc nhiệm vụ” không vượt quá 20% số được xếp loại "
        "“Hoàn thành tốt nhiệm vụ” trong từng tổ chức cơ sở đảng (Hướng dẫn 21-HD/BTCTW, "
        "điểm 2.3)"
    )

    def grade_for_score(self, score: Decimal) -> Grade:
        """Quy định 124-QĐ/TW has no score sheet (Điều 12 grades by criteria met), so a
        score cannot give a grade: the collective chooses among `member_grades()`."""
        raise NotImplementedError("Quy định 124-QĐ/TW has no score sheet")


RULES = Qd124()
