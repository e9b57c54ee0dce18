"""Year-end evaluation and grading (kiểm điểm, đánh giá, xếp loại chất lượng).

A committee opens a round for a year over its subtree and the round names the rule set
that year requires (a module in chibo/evaluation/rules/, chosen by its code, never by
`if year > …` in the code). Units are graded before their members, lower levels before
higher. Every step keeps who and when; a decision locks, and reopening it needs a reason
and leaves an audit entry. Two officers saving the same evaluation are told apart by
`revision`: the second save of stale data is refused.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.scoping import ScopedQuerySet
from chibo.orgs.models import Org
from chibo.people.models import Membership, Person


class Grade(models.TextChoices):
    """Grades of party members and party organisations, and the scale of mass-organisation
    units (vững mạnh … yếu), in one list so one column holds either."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    PASS = "pass", _("Hoàn thành nhiệm vụ")
    FAIL = "fail", _("Không hoàn thành nhiệm vụ")
    STRONG = "strong", _("Vững mạnh")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    WEAK = "weak", _("Yếu")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang đánh giá")
    FINALISED = "finalised", _("Đã hoàn thành")


class Step(models.TextChoices):
    SELF = "self", _("Tự đánh giá")
    PROPOSED = "proposed", _("Chi bộ đề xuất")
    DECIDED = "decided", _("Cấp ủy quyết định")


class RoundQuerySet(ScopedQuerySet["Round"]):
    def open(self) -> Self:
        return self.filter(status=RoundStatus.OPEN)


class Round(models.Model):
    """Đợt đánh giá, xếp loại: one year over a committee's subtree."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="evaluation_rounds")
    year = models.PositiveSmallIntegerField(_("năm"))
    # The code of a rule set module (chibo/evaluation/rules), e.g. "qd366_2025".
    rule_set = models.CharField(_("quy định áp dụng"), max_length=32)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    # The day the round counts from: "admitted less than 6 months before the round".
    reference_date = models.DateField(_("ngày tính"))
    units_self_due = models.DateField(_("hạn tập thể tự đánh giá"), null=True, blank=True)
    units_decision_due = models.DateField(_("hạn xếp loại tập thể"), null=True, blank=True)
    members_self_due = models.DateField(_("hạn đảng viên tự đánh giá"), null=True, blank=True)
    proposals_due = models.DateField(_("hạn chi bộ đề xuất"), null=True, blank=True)
    decisions_due = models.DateField(_("hạn cấp ủy quyết định"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt đánh giá, xếp loại")
        verbose_name_plural = _("đợt đánh giá, xếp loại")
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="evaluation_round_one_per_year")
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.org_id} · {self.year}"


class _Assessed(models.Model):
    """What a member's and a unit's evaluation share: the three steps, the lock, the
    revision, and the rule that excluded or capped it."""

    step = models.CharField(_("bước"), max_length=10, choices=Step.choices, default=Step.SELF)
    # Listed but not graded (exempt, suspended, admitted < 6 months before ...): which rule.
    excluded_rule = models.CharField(_("không xếp loại theo"), max_length=200, blank=True)
    # Highest grade allowed, and the rule that caps it (sick leave ≥ 3 months, discipline ...).
    cap_grade = models.CharField(max_length=10, choices=Grade.choices, blank=True)
    cap_rule = models.CharField(_("giới hạn mức xếp loại theo"), max_length=200, blank=True)
    # Self-assessment: free text per criterion {"criterion code": "text"} and the score sheet
    # {"criterion code": points} when the rule set scores on 100 points.
    self_text = models.JSONField(default=dict, blank=True)
    strengths = models.TextField(_("ưu điểm"), blank=True)
    shortcomings = models.TextField(_("hạn chế, khuyết điểm"), blank=True)
    score_sheet = models.JSONField(default=dict, blank=True)
    self_score = models.DecimalField(
        _("điểm tự chấm"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    self_grade = models.CharField(
        _("tự xếp loại"), max_length=10, choices=Grade.choices, blank=True
    )
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    # The cell's (or the unit above's) collective comments and proposal.
    review_comment = models.TextField(_("nhận xét của tập thể"), blank=True)
    proposed_score = models.DecimalField(
        _("điểm đề xuất"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    proposed_grade = models.CharField(
        _("mức đề xuất"), max_length=10, choices=Grade.choices, blank=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    # The committee's decision.
    decided_grade = models.CharField(
        _("mức xếp loại"), max_length=10, choices=Grade.choices, blank=True
    )
    decision_note = models.TextField(_("ghi chú quyết định"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    @property
    def is_excluded(self) -> bool:
        return bool(self.excluded_rule)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class MemberEvaluation(_Assessed):
    """One member's evaluation in a round, kept at the cell the member belonged to."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="member_evaluations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="evaluations")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    # The unit that evaluates the member (their cell); scopes the row and rolls it up.
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="member_evaluations")

    # --- EV-FLOW, migration 0002: facts the cell records for the rules ------------------
    # Months of sick leave in the year: 3 or more caps the grade below good.
    sick_leave_months = models.PositiveSmallIntegerField(_("số tháng nghỉ ốm"), default=0)
    # The discipline in the year, with its decision ("Khiển trách, QĐ số 12-QĐ/ĐU ngày …");
    # non-empty means disciplined, which rules out excellent.
    discipline = models.TextField(_("kỷ luật trong năm"), blank=True)
    # --- end EV-FLOW ----------------------------------------------------------------------

    objects = ScopedQuerySet["MemberEvaluation"].as_manager()

    class Meta:
        verbose_name = _("đánh giá đảng viên")
        verbose_name_plural = _("đánh giá đảng viên")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="member_evaluation_once")
        ]
        # excluded_rule is the last key so that the statistics of a year are read from
        # the index alone (chibo.evaluation.stats.evaluation_stats_for_all).
        indexes = [models.Index(fields=["round", "org", "decided_grade", "excluded_rule"])]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.person_id}"


class UnitEvaluation(_Assessed):
    """One unit's evaluation in a round: a cell or grassroots party organisation on the
    four grades, a mass-organisation unit on its own scale."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="unit_evaluations")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="unit_evaluations")

    objects = ScopedQuerySet["UnitEvaluation"].as_manager()

    class Meta:
        verbose_name = _("đánh giá tập thể")
        verbose_name_plural = _("đánh giá tập thể")
        constraints = [
            models.UniqueConstraint(fields=["round", "org"], name="unit_evaluation_once")
        ]
        indexes = [models.Index(fields=["round", "decided_grade"])]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.org_id}"
