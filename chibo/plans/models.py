"""Study themes pushed down the tree (chuyên đề học tập), and what units and members do with them.

A theme is issued by a committee for its whole subtree: the annual theme (chuyên đề năm) or
the term-wide one (chuyên đề toàn khóa) of a congress term. Cells also pick issued themes as
the topics of their thematic meetings (chibo.meetings builds on this app, never the reverse).

Around the themes: documents (the unit's library, with who has read what), each unit's plan
for a theme (what, when, who), its study sessions (date, attendees), question-and-answer
study material used as a short quiz; and every member's yearly commitment (bản cam kết tu
dưỡng, rèn luyện, phấn đấu) with the personal plan of studying and following, approved by
the unit officer and reported on at mid-year and at year end.

The rules come from Chỉ thị 05-CT/TW (15/5/2016) of the Politburo and Kết luận 01-KL/TW
(18/5/2021) which continues it: every cadre and party member writes, each year, a
commitment and a personal plan tied to their position and tasks, and the result counts in
the year-end evaluation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.roles import Role
from chibo.core.scoping import ScopedQuerySet, scope_for
from chibo.orgs.models import Family, Org
from chibo.orgs.tree import ReachingQuerySet
from chibo.people.models import Person
from chibo.plans.files import DocumentStorage, stored_name

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

_Row = TypeVar("_Row", bound=models.Model)


class ThemeKind(models.TextChoices):
    ANNUAL = "annual", _("Chuyên đề năm")
    TERM = "term", _("Chuyên đề toàn khóa")


class ThemeQuerySet(ReachingQuerySet["Theme"]):
    def covering(self, year: int) -> Self:
        return self.filter(year__lte=year, end_year__gte=year)


class Theme(models.Model):
    """Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="themes")
    kind = models.CharField(_("loại"), max_length=8, choices=ThemeKind.choices)
    title = models.CharField(_("tên chuyên đề"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    # A term-wide theme covers the congress term (e.g. 2025–2030); an annual one, its year.
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    summary = models.TextField(_("nội dung chính"), blank=True)
    issued_on = models.DateField(_("ngày ban hành"), default=timezone.localdate)
    document_number = models.CharField(_("số văn bản"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyên đề")
        verbose_name_plural = _("chuyên đề")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["org", "year"])]

    def __str__(self) -> str:
        return self.title

    def covers(self, year: int) -> bool:
        return self.year <= year <= self.end_year


# --- documents and who has read them ---------------------------------------------------


class DocumentKind(models.TextChoices):
    PLAN = "plan", _("Kế hoạch")
    GUIDE = "guide", _("Hướng dẫn")
    RESOLUTION = "resolution", _("Nghị quyết")
    DIRECTIVE = "directive", _("Chỉ thị")
    CONCLUSION = "conclusion", _("Kết luận")
    MATERIAL = "material", _("Tài liệu học tập")
    OTHER = "other", _("Văn bản khác")


class DocumentQuerySet(ReachingQuerySet["Document"]):
    pass


class Document(models.Model):
    """A document of a unit's library: issued by `org` for its subtree, perhaps as the
    material of a theme. Numbered like `238-NQ/ĐU` when it is an official document."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="documents")
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("chuyên đề"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("loại văn bản"), max_length=12, choices=DocumentKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=40, blank=True)
    title = models.CharField(_("trích yếu, tên tài liệu"), max_length=300)
    issued_on = models.DateField(_("ngày ban hành"), default=timezone.localdate)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.URLField(_("đường dẫn toàn văn"), blank=True)
    # --- the attached file (PDF, Word, Excel, OpenDocument, a scan) ---------------------
    # Kept outside every URL; sent only by the scoped download view. `file_name` is the
    # name the issuer gave it, which the download restores.
    file = models.FileField(
        _("tệp đính kèm"),
        storage=DocumentStorage(),
        upload_to=stored_name,
        max_length=200,
        blank=True,
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("dung lượng"), default=0)
    # --- end of the attached file ----------------------------------------------------------
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản, tài liệu")
        verbose_name_plural = _("văn bản, tài liệu")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["org", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class DocumentRead(models.Model):
    """A member's confirmation that they read a document. `org` is the reader's unit when
    they confirmed: it scopes the row and counts it for that unit."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reads")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="document_reads")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet["DocumentRead"].as_manager()

    class Meta:
        verbose_name = _("xác nhận đã đọc")
        constraints = [
            models.UniqueConstraint(fields=["document", "person"], name="document_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.document_id}"


# --- a unit's plan for a theme, and its study sessions ----------------------------------


class UnitPlan(models.Model):
    """Kế hoạch của đơn vị thực hiện chuyên đề trong một năm."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="unit_plans")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="unit_plans")
    year = models.PositiveSmallIntegerField(_("năm"))
    summary = models.TextField(_("mục đích, yêu cầu"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet["UnitPlan"].as_manager()

    class Meta:
        verbose_name = _("kế hoạch thực hiện chuyên đề")
        constraints = [
            models.UniqueConstraint(fields=["org", "theme", "year"], name="unit_plan_once")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} · {self.theme_id} · {self.year}"


class PlanItem(models.Model):
    """One line of a unit's plan: what is done, by when, by whom."""

    plan = models.ForeignKey(UnitPlan, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    what = models.CharField(_("nội dung công việc"), max_length=300)
    due_on = models.DateField(_("thời gian hoàn thành"))
    who = models.CharField(_("người thực hiện, phụ trách"), max_length=200)

    class Meta:
        verbose_name = _("nội dung kế hoạch")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.what


class StudySession(models.Model):
    """Buổi học tập, quán triệt chuyên đề của đơn vị, with who attended."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="study_sessions")
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("chuyên đề"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="study_sessions",
    )
    held_on = models.DateField(_("ngày học tập"))
    title = models.CharField(_("nội dung buổi học"), max_length=300)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet["StudySession"].as_manager()

    class Meta:
        verbose_name = _("buổi học tập chuyên đề")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["org", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} {self.title}"


class StudyAttendance(models.Model):
    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="study_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.person_id}"


# --- question-and-answer material, as a quiz ---------------------------------------------


class QuizQuestion(models.Model):
    """A question of the theme's "hỏi – đáp" material; its choices make it a quiz item."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    question = models.CharField(_("câu hỏi"), max_length=500)
    answer = models.TextField(_("trả lời"))

    class Meta:
        verbose_name = _("câu hỏi – đáp")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.question


class QuizChoice(models.Model):
    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("phương án"), max_length=300)
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class QuizAttempt(models.Model):
    """A member's answers to a theme's quiz; taking it again replaces the answers and
    counts the attempt. `org` is the member's unit, which counts the result."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="attempts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="quiz_attempts")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("số câu đúng"))
    total = models.PositiveSmallIntegerField(_("số câu"))
    answers = models.JSONField(default=dict)
    attempts = models.PositiveSmallIntegerField(default=1)
    taken_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet["QuizAttempt"].as_manager()

    class Meta:
        verbose_name = _("bài trả lời câu hỏi")
        constraints = [models.UniqueConstraint(fields=["theme", "person"], name="quiz_once")]
        indexes = [models.Index(fields=["theme", "org"])]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.score}/{self.total}"


# --- commitments and personal plans --------------------------------------------------------


class CommitmentStatus(models.TextChoices):
    DRAFT = "draft", _("Đang viết")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Trả lại để sửa")
    APPROVED = "approved", _("Đã duyệt")


class ItemKind(models.TextChoices):
    COMMITMENT = "commitment", _("Cam kết tu dưỡng, rèn luyện, phấn đấu")
    PLAN = "plan", _("Kế hoạch cá nhân học tập và làm theo")


class ItemResult(models.TextChoices):
    DONE = "done", _("Đã thực hiện")
    PARTLY = "partly", _("Thực hiện một phần")
    NOT_DONE = "not_done", _("Chưa thực hiện")


class ReportPeriod(models.TextChoices):
    MID = "mid", _("Sơ kết 6 tháng")
    END = "end", _("Cuối năm")


class CommitmentQuerySet(ScopedQuerySet["Commitment"]):
    def visible_to(self, user: AnyUser, min_role: Role = Role.VIEWER) -> Self:
        """Commitments of the user's readable subtrees, and the user's own."""
        scope = scope_for(user)
        if scope.everything:
            return self
        query = scope.subtree_q("org__path", max(min_role, Role.VIEWER))
        if min_role <= Role.MEMBER and scope.person_id is not None:
            query |= Q(person_id=scope.person_id)
        return self.filter(query)


class Commitment(models.Model):
    """Bản cam kết tu dưỡng, rèn luyện, phấn đấu and kế hoạch cá nhân of one member for one
    year, in one organisation system (a party member who is also in the women's union
    commits in each). `org` is the unit that reviews it: the member's unit when written."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="commitments")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="commitments")
    family = models.CharField(_("hệ thống"), max_length=16, choices=Family.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.DRAFT,
    )
    job_position = models.CharField(_("vị trí việc làm, nhiệm vụ được giao"), max_length=200)
    pledge = models.TextField(_("lời cam kết chung"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("ý kiến của bí thư, người phụ trách"), blank=True)
    mid_reported_at = models.DateTimeField(null=True, blank=True)
    mid_comment = models.TextField(_("nhận xét sơ kết 6 tháng"), blank=True)
    end_reported_at = models.DateTimeField(null=True, blank=True)
    end_comment = models.TextField(_("nhận xét cuối năm"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản cam kết")
        verbose_name_plural = _("bản cam kết")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "family"], name="commitment_one_per_year"
            )
        ]
        indexes = [models.Index(fields=["org", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.year}"

    @property
    def editable(self) -> bool:
        """The member still writes it: a draft, or returned by the officer."""
        return self.status in (CommitmentStatus.DRAFT, CommitmentStatus.RETURNED)

    def reported_at(self, period: str) -> object:
        return self.mid_reported_at if period == ReportPeriod.MID else self.end_reported_at


class CommitmentItem(models.Model):
    """One line of a commitment or of the personal plan, with its self-reports."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("loại"), max_length=12, choices=ItemKind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("nội dung"), max_length=500)
    mid_result = models.CharField(
        _("tự đánh giá 6 tháng"), max_length=10, choices=ItemResult.choices, blank=True
    )
    mid_evidence = models.CharField(_("minh chứng 6 tháng"), max_length=500, blank=True)
    end_result = models.CharField(
        _("tự đánh giá cuối năm"), max_length=10, choices=ItemResult.choices, blank=True
    )
    end_evidence = models.CharField(_("minh chứng cuối năm"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("nội dung cam kết")
        ordering = ["kind", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    def result(self, period: str) -> str:
        return self.mid_result if period == ReportPeriod.MID else self.end_result

    def evidence(self, period: str) -> str:
        return self.mid_evidence if period == ReportPeriod.MID else self.end_evidence
