"""Models, work items and initiatives (mô hình, phần việc, sáng kiến) "làm theo Bác", their
measured results, savings funds, emulation movements, exemplars and awards.

Every model a unit or a member registers answers the four "rõ" of the movement (Chỉ thị
05-CT/TW, 15/5/2016; Kết luận 01-KL/TW, 18/5/2021; the phrase "rõ người, rõ việc, rõ địa
chỉ, rõ kết quả" is the motto the seed articles quote): who (the owner unit or member and
the participants), what (the tasks), where (commune, hamlet, beneficiaries) and what
result (indicators with a unit of measure and a target, and results entered over time).

Results are summed over any subtree by indicator kind ("tiết kiệm gạo: 45 tấn") in one
GROUP BY: every unit of measure carries its factor to the base unit of its dimension
(tấn → kg × 1000), so the conversion is a multiplication inside the SUM.

Nothing is deleted: results, contributions and payouts entered by mistake are voided,
with who and when; a model is stopped or finished, never removed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.roles import Role
from chibo.core.scoping import ScopedQuerySet, scope_for
from chibo.orgs.models import Org
from chibo.orgs.tree import ReachingQuerySet
from chibo.people.models import Person

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

# Quantities are kept to the thousandth (0,125 tấn) up to a thousand billion (đồng);
# factors to the base unit from a millionth to a billion (tỷ đồng → đồng).


_Row = TypeVar("_Row", bound=models.Model)


class UnitQuerySet(ScopedQuerySet[_Row]):
    """Rows owned by an org: readers of its subtree see them, and so do the members of
    the unit itself (a member reads their own unit's models, awards and movements)."""

    def visible_to(self, user: AnyUser, min_role: Role = Role.VIEWER) -> Self:
        scope = scope_for(user)
        if min_role <= Role.MEMBER:
            return self.filter(scope.units_q(self.scope_path_field))
        return self.filter(scope.subtree_q(self.scope_path_field, min_role))


# --- units of measure and kinds of indicator -----------------------------------------------


class Dimension(models.TextChoices):
    """What a quantity measures; sums are only ever made within one dimension."""

    MONEY = "money", _("Tiền")
    MASS = "mass", _("Khối lượng")
    VOLUME = "volume", _("Thể tích")
    ENERGY = "energy", _("Điện năng")
    HOUSEHOLDS = "households", _("Hộ")
    PEOPLE = "people", _("Người")
    SESSIONS = "sessions", _("Buổi, lượt")
    LENGTH = "length", _("Chiều dài")
    AREA = "area", _("Diện tích")
    COUNT = "count", _("Số lượng")


class MeasureUnit(models.Model):
    """A unit of measure: `factor` of them make one base unit of the dimension times
    factor (1 tấn = 1000 kg: factor 1000 in the mass dimension, whose base is kg)."""

    code = models.SlugField(_("mã"), max_length=24, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=40)
    symbol = models.CharField(_("ký hiệu"), max_length=16)
    dimension = models.CharField(_("loại đại lượng"), max_length=12, choices=Dimension.choices)
    factor = models.DecimalField(_("hệ số quy đổi về đơn vị gốc"), max_digits=20, decimal_places=6)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("đơn vị đo")
        verbose_name_plural = _("đơn vị đo")
        ordering = ["dimension", "factor", "code"]

    def __str__(self) -> str:
        return self.symbol

    @property
    def is_base(self) -> bool:
        return self.factor == Decimal(1)


class IndicatorKind(models.Model):
    """What an indicator counts across the tree ("tiết kiệm gạo", "hộ được hỗ trợ"): the
    roll-ups group by it, and its dimension fixes which units its indicators may use."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("chỉ tiêu"), max_length=80)
    dimension = models.CharField(_("loại đại lượng"), max_length=12, choices=Dimension.choices)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("loại chỉ tiêu")
        verbose_name_plural = _("loại chỉ tiêu")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


# --- models, work items, initiatives ---------------------------------------------------------


class InitiativeKind(models.TextChoices):
    MODEL = "model", _("Mô hình")
    WORK_ITEM = "work_item", _("Phần việc")
    INITIATIVE = "initiative", _("Sáng kiến")
    SAVINGS = "savings", _("Mô hình tiết kiệm, quỹ, hũ gạo")


class InitiativeStatus(models.TextChoices):
    RUNNING = "running", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    STOPPED = "stopped", _("Dừng thực hiện")


class InitiativeQuerySet(UnitQuerySet["Initiative"]):
    def during(self, start: object, end: object) -> Self:
        """Models whose period meets [start, end] (an open end runs on)."""
        open_or_later = Q(ends_on__isnull=True) | Q(ends_on__gte=start)
        return self.filter(starts_on__lte=end).filter(open_or_later)


class Initiative(models.Model):
    """Mô hình, phần việc, sáng kiến "làm theo Bác", with its four "rõ"."""

    # Rõ người: the unit that registered it (its owner, or the owner member's unit).
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="initiatives")
    kind = models.CharField(_("loại"), max_length=12, choices=InitiativeKind.choices)
    title = models.CharField(_("tên mô hình, phần việc"), max_length=200)
    # fold(title): what the overlap check compares, diacritics and case left out.
    title_folded = models.CharField(max_length=200, editable=False, db_index=True)
    owner_person = models.ForeignKey(
        Person,
        verbose_name=_("người phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    participants = models.CharField(_("người tham gia"), max_length=300, blank=True)
    participant_count = models.PositiveIntegerField(_("số người tham gia"), null=True, blank=True)
    # Rõ việc: one task a line.
    tasks = models.TextField(_("nội dung công việc"))
    # Rõ địa chỉ: the commune (official code after the 2025 reform), hamlet, beneficiaries.
    ward_code = models.PositiveIntegerField(_("xã, phường"), null=True, blank=True)
    hamlet = models.CharField(_("thôn, xóm, tổ dân phố"), max_length=120, blank=True)
    hamlet_folded = models.CharField(max_length=120, editable=False, blank=True)
    beneficiaries = models.CharField(_("đối tượng, hộ được hưởng lợi"), max_length=300, blank=True)
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"),
        max_length=12,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.RUNNING,
    )
    # Why the model was finished early or stopped, as the officer wrote it.
    status_reason = models.CharField(_("lý do đổi tình trạng"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mô hình, phần việc")
        verbose_name_plural = _("mô hình, phần việc")
        ordering = ["-starts_on", "title", "pk"]
        indexes = [
            models.Index(fields=["org", "starts_on"]),
            models.Index(fields=["ward_code", "starts_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def task_lines(self) -> list[str]:
        return [line.strip() for line in self.tasks.splitlines() if line.strip()]


class Indicator(models.Model):
    """Rõ kết quả: one measured result of a model, with its unit and target."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="indicators")
    kind = models.ForeignKey(
        IndicatorKind, verbose_name=_("loại chỉ tiêu"), on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("tên chỉ tiêu"), max_length=120, blank=True)
    unit = models.ForeignKey(
        MeasureUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.DecimalField(
        _("chỉ tiêu đăng ký"), null=True, blank=True, max_digits=18, decimal_places=3
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("chỉ tiêu kết quả")
        verbose_name_plural = _("chỉ tiêu kết quả")
        ordering = ["initiative", "position", "pk"]

    def __str__(self) -> str:
        return self.label or self.kind.name


class ResultEntryQuerySet(models.QuerySet["ResultEntry"]):
    def valid(self) -> Self:
        return self.filter(voided_at__isnull=True)


class ResultEntry(models.Model):
    """A result reported for an indicator on a day, in any unit of its dimension."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="entries")
    on = models.DateField(_("ngày ghi nhận"))
    quantity = models.DecimalField(_("kết quả"), max_digits=18, decimal_places=3)
    unit = models.ForeignKey(
        MeasureUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)

    objects = ResultEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["indicator", "on"])]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} · {self.quantity} {self.unit_id}"


# --- savings funds: rice jars, piggy banks, savings books -----------------------------------


class SavingsFund(models.Model):
    """The fund of a savings model ("hũ gạo tình thương", "nuôi heo đất"): contributions
    from members, in money or in kind, and support paid to named beneficiaries. Kept in
    one unit (`unit`, đồng usually); gifts in kind are converted at `in_kind_rate` đồng
    per `in_kind_unit` (the Hà Thượng jar: 1 kg of rice a member a year, "đến nay đã
    được quy ra tiền")."""

    initiative = models.OneToOneField(Initiative, on_delete=models.PROTECT, related_name="fund")
    unit = models.ForeignKey(
        MeasureUnit, verbose_name=_("đơn vị của quỹ"), on_delete=models.PROTECT, related_name="+"
    )
    in_kind_unit = models.ForeignKey(
        MeasureUnit,
        verbose_name=_("đóng góp bằng hiện vật"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    in_kind_rate = models.DecimalField(
        _("giá quy đổi một đơn vị hiện vật"),
        null=True,
        blank=True,
        max_digits=18,
        decimal_places=3,
    )

    class Meta:
        verbose_name = _("quỹ tiết kiệm")
        verbose_name_plural = _("quỹ tiết kiệm")

    def __str__(self) -> str:
        return str(self.initiative)


class FundRowQuerySet(models.QuerySet[_Row, _Row]):
    def valid(self) -> Self:
        return self.filter(voided_at__isnull=True)


class ContributionQuerySet(FundRowQuerySet["FundContribution"]):
    pass


class PayoutQuerySet(FundRowQuerySet["FundPayout"]):
    pass


class FundContribution(models.Model):
    """What one member put into the fund, as given and as counted in the fund's unit."""

    fund = models.ForeignKey(SavingsFund, on_delete=models.PROTECT, related_name="contributions")
    person = models.ForeignKey(
        Person, verbose_name=_("người đóng góp"), on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("ngày đóng góp"))
    quantity = models.DecimalField(_("số lượng"), max_digits=18, decimal_places=3)
    unit = models.ForeignKey(
        MeasureUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    # In the fund's unit, fixed when recorded (a later price change does not rewrite it).
    value = models.DecimalField(_("quy ra"), max_digits=18, decimal_places=3)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    void_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản đóng góp")
        verbose_name_plural = _("khoản đóng góp")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["fund", "on"])]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.value}"


class FundPayout(models.Model):
    """Support paid out of the fund to a named beneficiary."""

    fund = models.ForeignKey(SavingsFund, on_delete=models.PROTECT, related_name="payouts")
    beneficiary = models.CharField(_("người, hộ được hỗ trợ"), max_length=160)
    address = models.CharField(_("địa chỉ"), max_length=200, blank=True)
    on = models.DateField(_("ngày hỗ trợ"))
    amount = models.DecimalField(_("số tiền, số lượng hỗ trợ"), max_digits=18, decimal_places=3)
    reason = models.CharField(_("lý do hỗ trợ"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    void_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)

    objects = PayoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản hỗ trợ")
        verbose_name_plural = _("khoản hỗ trợ")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["fund", "on"])]

    def __str__(self) -> str:
        return f"{self.beneficiary} · {self.amount}"


# --- emulation movements --------------------------------------------------------------------


class MovementQuerySet(ReachingQuerySet["Movement"]):
    """Movements launched in the user's subtrees, and those launched above the user's own
    units: a movement reaches every unit below the committee that launched it."""


class Movement(models.Model):
    """Phong trào thi đua launched by a committee for the units of its subtree, with the
    criteria each unit scores itself on."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="movements")
    title = models.CharField(_("tên phong trào"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    description = models.TextField(_("nội dung"), blank=True)
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def max_total(self) -> int:
        return sum(c.max_points for c in self.criteria.all())


class Criterion(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="criteria")
    name = models.CharField(_("tiêu chí"), max_length=300)
    max_points = models.PositiveSmallIntegerField(_("điểm tối đa"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí thi đua")
        ordering = ["movement", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự chấm")
    SUBMITTED = "submitted", _("Đã gửi, chờ cấp ủy xác nhận")
    CONFIRMED = "confirmed", _("Cấp ủy đã xác nhận")


class ScoreSheetQuerySet(UnitQuerySet["ScoreSheet"]):
    pass


class ScoreSheet(models.Model):
    """Bảng chấm điểm thi đua of one unit in one movement."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="sheets")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="score_sheets")
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    self_total = models.PositiveSmallIntegerField(_("tự chấm"), default=0)
    confirmed_total = models.PositiveSmallIntegerField(_("cấp ủy xác nhận"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.CharField(_("nhận xét của cấp ủy"), max_length=500, blank=True)

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bảng chấm điểm thi đua")
        constraints = [
            models.UniqueConstraint(fields=["movement", "org"], name="score_sheet_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.movement_id} · {self.org_id}"


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.PositiveSmallIntegerField(_("tự chấm"), default=0)
    confirmed_points = models.PositiveSmallIntegerField(_("xác nhận"), null=True, blank=True)
    evidence = models.CharField(_("minh chứng"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("điểm theo tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_once_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} · {self.criterion_id}"


# --- exemplars and awards ---------------------------------------------------------------------


class ExemplarKind(models.TextChoices):
    GOOD_DEED = "good_deed", _("Người tốt, việc tốt")
    ADVANCED = "advanced", _("Điển hình tiên tiến")


class ExemplarQuerySet(UnitQuerySet["Exemplar"]):
    pass


class Exemplar(models.Model):
    """A good example: a member (`person`) or the unit itself (no person), with the story
    told and the evidence behind it."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="exemplars")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="exemplars"
    )
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.PROTECT, related_name="exemplars"
    )
    kind = models.CharField(_("loại"), max_length=12, choices=ExemplarKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=200)
    story = models.TextField(_("câu chuyện, việc làm"))
    evidence = models.TextField(_("minh chứng"), blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ExemplarQuerySet.as_manager()

    class Meta:
        verbose_name = _("gương điển hình")
        verbose_name_plural = _("gương điển hình")
        ordering = ["-year", "title", "pk"]
        indexes = [models.Index(fields=["org", "year"])]

    def __str__(self) -> str:
        return self.title


class AwardForm(models.TextChoices):
    """Hình thức khen thưởng and danh hiệu thi đua as named by the Luật Thi đua, khen
    thưởng số 06/2022/QH15 (in force from 01/01/2024); which article lists which form was
    not checked against the text, so only the names are relied upon."""

    CERTIFICATE = "certificate", _("Giấy khen")
    MERIT = "merit", _("Bằng khen")
    EMULATION_FLAG = "flag", _("Cờ thi đua")
    TITLE = "title", _("Danh hiệu thi đua")
    PRAISE = "praise", _("Biểu dương")


class AwardLevel(models.TextChoices):
    """Who signed it, from the commune up."""

    BASE = "base", _("Cấp cơ sở (xã, phường, đảng ủy cơ sở)")
    DISTRICT = "district", _("Cấp huyện, khối (trước 2025)")
    PROVINCE = "province", _("Cấp tỉnh")
    CENTRAL = "central", _("Trung ương, bộ, ngành")
    PRIME_MINISTER = "prime_minister", _("Thủ tướng Chính phủ")


class AwardQuerySet(UnitQuerySet["Award"]):
    pass


class Award(models.Model):
    """Khen thưởng to a member (`person`) or to a unit (no person; `org` is the unit).
    For a member, `org` is the unit where they were on the roll when awarded."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="awards")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    exemplar = models.ForeignKey(
        Exemplar, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    movement = models.ForeignKey(
        Movement, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    form = models.CharField(_("hình thức"), max_length=12, choices=AwardForm.choices)
    level = models.CharField(_("cấp khen"), max_length=16, choices=AwardLevel.choices)
    issuer = models.CharField(_("cơ quan khen thưởng"), max_length=200)
    decision_number = models.CharField(_("số quyết định"), max_length=40)
    decided_on = models.DateField(_("ngày quyết định"))
    reason = models.CharField(_("thành tích"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-decided_on", "pk"]
        indexes = [models.Index(fields=["org", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.decision_number}"
