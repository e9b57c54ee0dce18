"""Quy định 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị về kiểm điểm và đánh giá, xếp loại
chất lượng đối với tập thể, cá nhân trong hệ thống chính trị, with the Ban Tổ chức Trung
ương's Hướng dẫn 43-HD/BTCTW (31/10/2025), which replaced Hướng dẫn 25-HD/BTCTW (2023).

It replaced Quy định 124-QĐ/TW and governs rounds from 2025. Individuals and collectives are
scored on 100 points over a framework of criteria (its annexes: 30 points of common
criteria, 70 points of task results), and the total gives the grade (Điều 11) together with
conditions on the tasks behind it. What was and was not verified against the texts is
listed in docs/evaluation.md, "Rule sets".
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from chibo.evaluation.models import Grade
from chibo.evaluation.rules.base import Criterion, TaskResults
from chibo.evaluation.rules.common import PartyRuleSet
from chibo.evaluation.rules.units import PARTY_UNIT_CRITERIA_366

CODE = "qd366_2025"

# Điều 11: the lowest total of each grade, best first; below the last, not completing.
SCORE_BANDS: tuple[tuple[Decimal, Grade], ...] = (
    (Decimal("90"), Grade.EXCELLENT),
    (Decimal("70"), Grade.GOOD),
    (Decimal("50"), Grade.PASS),
)
MAX_SCORE = Decimal("100")
# Điều 11, khoản 1: at least 30% of the tasks completed beyond the requirement.
EXCEEDED_SHARE_FOR_EXCELLENT = Decimal("0.30")
# Điều 11, khoản 3: at most 20% of the tasks behind schedule.
LATE_SHARE_FOR_PASS = Decimal("0.20")


class Qd366(PartyRuleSet):
    """Quy định 366-QĐ/TW: 100 points, grade bands and task conditions."""

    code = CODE
    title = _("Quy định 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị")
    first_year = 2025
    last_year = None
    scored = True

    # The annex for individuals not holding leadership posts and party members: common
    # criteria 30 points (political quality, ethics, lifestyle and setting an example;
    # innovative thinking and the will to contribute; self-criticism and criticism), task
    # results 70 points. The split inside each group is this project's (see the docs).
    member_criteria = (
        Criterion(
            "politics_ethics",
            _("Phẩm chất chính trị, đạo đức, lối sống; thực hiện trách nhiệm nêu gương"),
            max_points=Decimal("10"),
        ),
        Criterion(
            "innovation",
            _("Tư duy đổi mới, khát vọng cống hiến, dám nghĩ, dám làm"),
            max_points=Decimal("10"),
        ),
        Criterion(
            "self_criticism",
            _("Tự phê bình và phê bình; tự soi, tự sửa, khắc phục hạn chế, khuyết điểm"),
            max_points=Decimal("10"),
        ),
        Criterion(
            "results",
            _("Kết quả thực hiện nhiệm vụ được giao"),
            max_points=Decimal("50"),
            guidance=_(
                "Số lượng, tiến độ, chất lượng, sản phẩm cụ thể của các nhiệm vụ chi bộ, cơ "
                "quan giao trong năm."
            ),
        ),
        Criterion(
            "party_duties",
            _("Thực hiện nhiệm vụ đảng viên"),
            max_points=Decimal("20"),
            guidance=_(
                "Sinh hoạt chi bộ, đóng đảng phí, thực hiện cam kết tu dưỡng, rèn luyện; giữ "
                "mối liên hệ với chi ủy và nhân dân nơi cư trú."
            ),
        ),
    )
    unit_criteria = PARTY_UNIT_CRITERIA_366

    excellent_quota = Decimal("0.20")
    quota_base_grades = (Grade.GOOD,)

    exempt_citation = _(
        "Được miễn công tác và sinh hoạt đảng: không đánh giá, xếp loại (Hướng dẫn "
        "43-HD/BTCTW ngày 31/10/2025)"
    )
    suspended_citation = _(
        "Đang bị đình chỉ sinh hoạt đảng: không đánh giá, xếp loại (Hướng dẫn 43-HD/BTCTW)"
    )
    new_member_citation = _(
        "Kết nạp chưa đủ 6 tháng tại ngày tính: vẫn kiểm điểm nhưng không xếp loại (Hướng "
        "dẫn 43-HD/BTCTW)"
    )
    not_active_citation = _("Không còn sinh hoạt đảng tại ngày tính của đợt đánh giá")
    sick_leave_citation = _(
        "Nghỉ ốm từ 3 tháng trở lên trong năm: không xếp loại mức “Hoàn thành tốt nhiệm "
        "vụ” trở lên (Hướng dẫn 43-HD/BTCTW)"
    )
    discipline_citation = _(
        "Bị xử lý kỷ luật trong năm đánh giá: xếp loại “Không hoàn thành nhiệm vụ” (Quy "
        "định 366-QĐ/TW, Điều 11, khoản 4)"
    )
    discipline_remedied_citation = _(
        "Bị kỷ luật trong năm nhưng tự phát hiện, khắc phục xong hậu quả: không xếp loại "
        "“Hoàn thành xuất sắc nhiệm vụ” (Quy định 366-QĐ/TW, Điều 11)"
    )
    quota_citation = _(
        "Số đảng viên “Hoàn thành xuất sắc nhiệm vụ” không vượt quá 20% số được xếp loại "
        "“Hoàn thành tốt nhiệm vụ” trong mỗi tổ chức cơ sở đảng (Quy định 366-QĐ/TW, Điều 11)"
    )

    def grade_for_score(self, score: Decimal) -> Grade:
        """The grade of a total on the 100-point sheet (Điều 11): from 90 points "Hoàn thành
        xuất sắc nhiệm vụ" (khoản 1), from 70 to under 90 "Hoàn thành tốt nhiệm vụ"
        (khoản 2), from 50 to under 70 "Hoàn thành nhiệm vụ" (khoản 3), under 50 "Không
        hoàn thành nhiệm vụ" (khoản 4). Decimal comparison, so 89.99 is good and 90 is
        excellent. A total outside 0-100 is a programming error (the sheet is checked by
        `score_sheet_total`): ValueError."""
        if not isinstance(score, Decimal) or not score.is_finite():
            raise ValueError(f"score must be a finite Decimal, not {score!r}")
        if score < 0 or score > MAX_SCORE:
            raise ValueError(f"score {score} is outside 0-{MAX_SCORE}")
        for lowest, grade in SCORE_BANDS:
            if score >= lowest:
                return grade
        return Grade.FAIL

    def grade_for_score_and_conditions(
        self, score: Decimal, tasks: TaskResults, *, collective: bool = False
    ) -> Grade:
        """The grade of a total together with the task conditions of Điều 11: the grade its
        band gives, lowered until the tasks meet that grade's conditions.

        - Excellent (khoản 1): every assigned task completed on time with the quality
          required, at least 30% of them beyond the requirement, and every shortcoming
          pointed out before remedied; for a collective also no unit under it nor member of
          its leading collective disciplined.
        - Good (khoản 2): every assigned task completed on time with the quality required.
        - Pass (khoản 3): every assigned task completed, at most 20% of them behind schedule.
        - Otherwise not completing the tasks (khoản 4).
        """
        grade = self.grade_for_score(score)
        for candidate in self.member_grades()[self.member_grades().index(grade) :]:
            if self.task_conditions_met(candidate, tasks, collective=collective):
                return candidate
        return Grade.FAIL

    def task_conditions_met(
        self, grade: Grade, tasks: TaskResults, *, collective: bool = False
    ) -> bool:
        """Whether `tasks` meet the conditions Điều 11 sets for `grade` (see
        `grade_for_score_and_conditions`)."""
        all_completed = tasks.completed == tasks.assigned
        all_on_time = all_completed and tasks.on_time == tasks.assigned
        if grade == Grade.EXCELLENT:
            return (
                all_on_time
                and Decimal(tasks.exceeded) >= EXCEEDED_SHARE_FOR_EXCELLENT * tasks.assigned
                and tasks.shortcomings_remedied
                and not (collective and tasks.member_disciplined)
            )
        if grade == Grade.GOOD:
            return all_on_time
        if grade == Grade.PASS:
            late = tasks.assigned - tasks.on_time
            return all_completed and Decimal(late) <= LATE_SHARE_FOR_PASS * tasks.assigned
        return grade == Grade.FAIL


RULES = Qd366()
