"""Quy định 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị về kiểm điểm và đánh giá, xếp loại
chất lượng đối với tập thể, cá nhân trong hệ thống chính trị (4 chương, 19 điều), with the
Ban Tổ chức Trung ương's Hướng dẫn 43-HD/BTCTW ngày 31/10/2025, which replaced Hướng dẫn
25-HD/BTCTW ngày 10/11/2023 (its tiểu mục 7.12).

It replaced Quy định 124-QĐ/TW and governs rounds from 2025. Individuals and collectives are
scored on 100 points over a framework of criteria — five annexes, one per group (collectives;
leaders managed by the Centre; leaders at each level; individuals without a post and members
not working in the political system), each "Nhóm tiêu chí chung (30 điểm) và nhóm tiêu chí
về kết quả thực hiện nhiệm vụ (70 điểm)" — and the total gives the grade (Điều 11) together
with conditions on the tasks behind it. Each rule below says which clause it rests on and
how sure that is; the pages and quoted sentences are in docs/evaluation.md, "Sources
checked".
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from chibo.evaluation.models import Grade
from chibo.evaluation.rules.base import Criterion, TaskResults
from chibo.evaluation.rules.common import PartyRuleSet
from chibo.evaluation.rules.units import PARTY_UNIT_CRITERIA_366

CODE = "qd366_2025"

# Điều 11, khoản 1-4: the lowest total of each grade, best first; below the last, not
# completing. "đạt từ 90 điểm trở lên" (khoản 1), "từ 70 điểm đến dưới 90 điểm" (khoản 2),
# "từ 50 điểm đến dưới 70 điểm" (khoản 3).
SCORE_BANDS: tuple[tuple[Decimal, Grade], ...] = (
    (Decimal("90"), Grade.EXCELLENT),
    (Decimal("70"), Grade.GOOD),
    (Decimal("50"), Grade.PASS),
)
MAX_SCORE = Decimal("100")
# Điều 11, khoản 1: "Hoàn thành 100% các nhiệm vụ được giao, đúng hạn, bảo đảm chất
# lượng, hiệu quả, trong đó có ít nhất 30% nhiệm vụ hoàn thành vượt mức yêu cầu".
EXCEEDED_SHARE_FOR_EXCELLENT = Decimal("0.30")
# Điều 11, khoản 3, for collectives: "Hoàn thành 100% nhiệm vụ được giao; số nhiệm vụ chưa
# bảo đảm tiến độ không quá 20%" (as reported; the wording for individuals was not found and
# is assumed the same).
LATE_SHARE_FOR_PASS = Decimal("0.20")


class Qd366(PartyRuleSet):
    """Quy định 366-QĐ/TW: 100 points, grade bands and task conditions."""

    code = CODE
    title = _("Quy định 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị")
    first_year = 2025
    last_year = None
    scored = True

    # The annex for individuals without a post and party members: common criteria 30 points
    # — the three titles are the regulation's ("phẩm chất chính trị, đạo đức, lối sống,
    # thực hiện trách nhiệm nêu gương; tư duy đổi mới, chiến lược, khát vọng cống hiến, dám
    # nghĩ, dám làm; tự phê bình và phê bình, tự soi, tự sửa, khắc phục hạn chế, khuyết
    # điểm") — and task results 70 points. The annex's points per criterion were not found:
    # 10 + 10 + 10 and 50 + 20 are this project's split.
    member_criteria = (
        Criterion(
            "politics_ethics",
            _("Phẩm chất chính trị, đạo đức, lối sống; thực hiện trách nhiệm nêu gương"),
            max_points=Decimal("10"),
        ),
        Criterion(
            "innovation",
            _("Tư duy đổi mới, chiến lược, khát vọng cống hiến, dám nghĩ, dám làm"),
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

    # No quota was found in Quy định 366 or in what was read of Hướng dẫn 43; the 20% of
    # those graded good, per grassroots organisation, is Hướng dẫn 21-HD/BTCTW (2019), điểm
    # 2.3 a, kept (Nghị định 335/2025/NĐ-CP keeps the same 20% of "Hoàn thành tốt nhiệm vụ"
    # for civil servants).
    excellent_quota = Decimal("0.20")
    quota_base_grades = (Grade.GOOD,)

    # The exclusions of Quy định 124-QĐ/TW, Điều 5, khoản 2, carried over: the matching
    # clause of Quy định 366 / Hướng dẫn 43 was not found, and the citation says so.
    exempt_citation = _(
        "Được miễn công tác và sinh hoạt đảng: không kiểm điểm, không xếp loại (như Quy "
        "định 124-QĐ/TW, Điều 5, khoản 2; chưa đối chiếu được Quy định 366-QĐ/TW)"
    )
    suspended_citation = _(
        "Đang bị đình chỉ sinh hoạt đảng: không kiểm điểm, không xếp loại (như Quy định "
        "124-QĐ/TW, Điều 5, khoản 2; chưa đối chiếu được Quy định 366-QĐ/TW)"
    )
    new_member_citation = _(
        "Kết nạp chưa đủ 6 tháng tại ngày tính của đợt: không kiểm điểm, không xếp loại "
        "(như Quy định 124-QĐ/TW, Điều 5, khoản 2; chưa đối chiếu được Quy định 366-QĐ/TW)"
    )
    not_active_citation = _("Không còn sinh hoạt đảng tại ngày tính của đợt đánh giá")
    sick_leave_citation = _(
        "Nghỉ ốm từ 3 tháng trở lên trong năm: không xếp loại “Hoàn thành tốt nhiệm vụ” "
        "trở lên (quy tắc của Chibo theo Nghị định 90/2020/NĐ-CP, Điều 2, khoản 3; chưa "
        "thấy trong Quy định 366-QĐ/TW)"
    )
    # Điều 11, khoản 4 for individuals was not found; the rule of Quy định 124-QĐ/TW, Điều
    # 12 is carried over (Nghị định 335/2025/NĐ-CP likewise fails a civil servant
    # disciplined in the year).
    discipline_citation = _(
        "Bị xử lý kỷ luật trong năm đánh giá: xếp loại “Không hoàn thành nhiệm vụ” (như "
        "Quy định 124-QĐ/TW, Điều 12; chưa đối chiếu được Quy định 366-QĐ/TW, Điều 11)"
    )
    discipline_remedied_citation = _(
        "Bị kỷ luật trong năm nhưng tự phát hiện, khắc phục xong hậu quả: không bị xếp "
        "“Không hoàn thành nhiệm vụ” (như Quy định 124-QĐ/TW, Điều 12); Chibo không cho "
        "xếp “Hoàn thành xuất sắc nhiệm vụ”"
    )
    quota_citation = _(
        "Số đảng viên “Hoàn thành xuất sắc nhiệm vụ” không vượt quá 20% số được xếp loại "
        "“Hoàn thành tốt nhiệm vụ” trong từng tổ chức cơ sở đảng (Hướng dẫn 21-HD/BTCTW, "
        "điểm 2.3, giữ nguyên)"
    )

    def grade_for_score(self, score: Decimal) -> Grade:
        """The grade of a total on the 100-point sheet (Quy định 366-QĐ/TW, Điều 11): "đạt
        từ 90 điểm trở lên" "Hoàn thành xuất sắc nhiệm vụ" (khoản 1), "từ 70 điểm đến dưới
        90 điểm" "Hoàn thành tốt nhiệm vụ" (khoản 2), "từ 50 điểm đến dưới 70 điểm" "Hoàn
        thành nhiệm vụ" (khoản 3), under 50 "Không hoàn thành nhiệm vụ" (khoản 4; its
        wording was not found, under 50 follows from khoản 3). Decimal comparison, so 89.99
        is good and 90 is excellent. A total outside 0-100 is a programming error (the
        sheet is checked by `score_sheet_total`): ValueError."""
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
        """The grade of a total together with the task conditions of Quy định 366-QĐ/TW,
        Điều 11: the grade its band gives, lowered until the tasks meet that grade's
        conditions (the score alone never forbids a lower grade; the conditions forbid a
        higher one whatever the score).

        - Excellent (khoản 1): for an individual without a post "Hoàn thành 100% các nhiệm
          vụ được giao, đúng hạn, bảo đảm chất lượng, hiệu quả, trong đó có ít nhất 30%
          nhiệm vụ hoàn thành vượt mức yêu cầu" and "Đã khắc phục 100% các hạn chế, khuyết
          điểm"; for a collective also "Không có đơn vị trực thuộc ... hoặc thành viên của
          tập thể lãnh đạo, quản lý bị kỷ luật".
        - Good (khoản 2): every assigned task completed on time with the quality required.
        - Pass (khoản 3): every assigned task completed, at most 20% of them behind
          schedule (quoted for collectives; assumed for individuals).
        - Otherwise not completing the tasks (khoản 4).

        The conditions for leaders (their units' results) are not modelled: the members
        graded here are graded as individuals without a post.
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
