"""A year of studying and following in the demo province, with the seed articles' figures.

- Themes: the province committee's annual theme and the term-wide theme of the Đại hội
  XIII term ("… về ý chí tự lực, tự cường và khát vọng phát triển đất nước phồn vinh,
  hạnh phúc", 2021–2025, from the Nam Định article), the provincial women's union's annual
  theme (from the Sóc Trăng article), each with its plan document; the women's theme is
  "hỏi – đáp" material, used as a quiz (the Sóc Trăng article: "các chuyên đề được xây
  dựng bằng hình thức hỏi – đáp triển khai đến 100% chi hội").
- Every cell of the commune and every women's branch has a plan for the theme but one
  (Chi bộ CB13 has not written it yet: the committee's page shows the gap); a study
  session each quarter with about nine in ten members present; most members took the
  quiz and confirmed reading the commune's plan.
- Commitments: 100% of the party members of the commune and of the women's union agency
  wrote their commitment and personal plan last year and this year (Hà Thượng and Sóc
  Trăng: "100% cán bộ, đảng viên … viết bản cam kết"); last year's were approved and
  reported on at mid-year and year end, with a few items partly done; this year's are
  approved but for a few waiting in bithu1's and bithu2's cells (dangvien1's among them),
  reported at mid-year, and at year end by those who already did once November began.

Idempotent: once the province has themes, nothing more is written. Everything goes in
with bulk_create, without audit entries (generated data, like the rest of the demo).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.orgs.models import Family, Level, Org
from chibo.people.models import Membership, Person
from chibo.plans.models import (
    Commitment,
    CommitmentItem,
    CommitmentStatus,
    Document,
    DocumentRead,
    ItemKind,
    ItemResult,
    PlanItem,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
    StudyAttendance,
    StudySession,
    Theme,
    ThemeKind,
    UnitPlan,
)
from chibo.plans.services import TAKING_PART

Progress = Callable[[str], None]
SEED = 20210518  # Kết luận 01-KL/TW, 18/5/2021
ROOT_CODE = "TU-TN"
WOMEN_ROOT_CODE = "HLHPN-TN"
COMMITTING_ROOTS = ("DU-DT", "DU-HLHPN")
# Cells whose commitment of the year still waits for the secretary: (cell, how many).
WAITING = {"DU-DT-CB01": 3, "DU-DT-CB02": 2}
NO_PLAN = "DU-DT-CB13"

TERM_THEME = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường "
    "và khát vọng phát triển đất nước phồn vinh, hạnh phúc"
)
ANNUAL_THEME = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về thực hành tiết kiệm, "
    "chống lãng phí, gần dân, trọng dân, vì Nhân dân phục vụ"
)
WOMEN_THEME = (
    "Nâng cao đạo đức và trách nhiệm của cán bộ, hội viên phụ nữ trong thực hiện nhiệm vụ "
    "được giao, rèn luyện phẩm chất “tự tin, tự trọng, trung hậu, đảm đang”"
)
QUESTIONS: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    (
        "Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo "
        "đức, phong cách Hồ Chí Minh được ban hành ngày nào?",
        "Ngày 15 tháng 5 năm 2016. Ngày 18/5/2021, Bộ Chính trị khóa XIII ban hành Kết luận "
        "số 01-KL/TW về tiếp tục thực hiện Chỉ thị này.",
        ("15/5/2016", "18/5/2021", "19/5/2016"),
        0,
    ),
    (
        "Mỗi cán bộ, đảng viên, hội viên xây dựng bản cam kết tu dưỡng, rèn luyện, phấn đấu "
        "gắn với điều gì?",
        "Gắn với vị trí việc làm, chức năng, nhiệm vụ được giao; kết quả thực hiện cam kết là "
        "căn cứ đánh giá, xếp loại cuối năm.",
        (
            "Vị trí việc làm, nhiệm vụ được giao",
            "Sở thích của từng người",
            "Chỉ tiêu của cấp trên giao cho cả chi hội",
        ),
        0,
    ),
    (
        "Phương châm thực hiện phần việc, mô hình làm theo Bác ở chi hội, chi đoàn là gì?",
        "“Rõ người, rõ việc, rõ địa chỉ, rõ kết quả”, tránh trùng lắp, chồng chéo giữa các "
        "mô hình của các tổ chức.",
        (
            "Rõ người, rõ việc, rõ địa chỉ, rõ kết quả",
            "Làm nhiều mô hình càng tốt",
            "Mỗi hội viên một mô hình riêng",
        ),
        0,
    ),
    (
        "Bốn phẩm chất Hội LHPN vận động mỗi hội viên, phụ nữ tu dưỡng, rèn luyện là gì?",
        "Tự tin, tự trọng, trung hậu, đảm đang.",
        (
            "Tự tin, tự trọng, trung hậu, đảm đang",
            "Yêu nước, đoàn kết, nhân ái, sáng tạo",
            "Cần, kiệm, liêm, chính",
        ),
        0,
    ),
    (
        "Mô hình “Hũ gạo tiết kiệm giúp đỡ hội viên nghèo” của Hội LHPN xã ban đầu vận động "
        "mỗi hội viên góp bao nhiêu gạo một năm?",
        "1 kg gạo mỗi hội viên mỗi năm; nay đã quy ra tiền để hỗ trợ hội viên nghèo và tặng "
        "sổ tiết kiệm cho gia đình có hoàn cảnh đặc biệt khó khăn.",
        ("1 kg", "5 kg", "10 kg"),
        0,
    ),
)

RURAL_ITEMS = (
    "Gương mẫu chấp hành chủ trương của Đảng, pháp luật của Nhà nước và quy ước của xóm",
    "Vận động gia đình và các hộ liền kề giữ vệ sinh môi trường, phân loại rác tại nguồn",
    "Tham gia đầy đủ sinh hoạt chi bộ, đóng đảng phí đúng kỳ",
    "Đóng góp ngày công, kinh phí làm đường bê tông xóm theo nghị quyết chi bộ",
    "Phát triển kinh tế gia đình, trồng và chăm sóc chè đúng quy trình an toàn",
    "Không để người thân vi phạm tệ nạn xã hội, không tổ chức cưới, tang lãng phí",
)
AGENCY_ITEMS = (
    "Hoàn thành đúng hạn, có chất lượng nhiệm vụ chuyên môn theo vị trí việc làm",
    "Thái độ gần dân, trọng dân; tiếp nhận và giải quyết hồ sơ đúng quy định, không gây phiền hà",
    "Thực hành tiết kiệm điện, nước, văn phòng phẩm tại cơ quan",
    "Không vi phạm những điều đảng viên không được làm; giữ gìn đoàn kết nội bộ",
    "Ứng dụng công nghệ thông tin trong công việc, giảm giấy tờ",
    "Tham gia đầy đủ sinh hoạt chi bộ, đóng đảng phí đúng kỳ",
)
PLAN_ITEMS = (
    "Đọc và ghi chép nội dung chuyên đề năm; liên hệ bản thân trong sinh hoạt chi bộ",
    "Đăng ký một việc làm cụ thể làm theo Bác và báo cáo kết quả mỗi quý",
    "Góp 1 kg gạo (hoặc tiền tương đương) vào “Hũ gạo tiết kiệm” giúp hộ khó khăn",
    "Tham gia trả lời câu hỏi tìm hiểu chuyên đề do cấp ủy tổ chức",
    "Giúp đỡ một hộ khó khăn trong xóm về cách làm ăn",
)
EVIDENCE = (
    "Chi bộ ghi nhận tại sinh hoạt tháng",
    "Có sổ ghi chép, báo cáo tại sinh hoạt chi bộ",
    "Xóm xác nhận; không có phản ánh",
    "Đã đóng góp, có danh sách của chi hội",
    "Hoàn thành đúng hạn, được cơ quan đánh giá tốt",
)


def _quiet(_message: str) -> None:
    """No progress messages (tests)."""


@dataclass
class _Member:
    membership: Membership
    person: Person


def seed_plans_demo(*, today: datetime.date | None = None, progress: Progress = _quiet) -> int:
    """Write the demo's themes, plans, sessions, quiz answers, reads and commitments unless
    they are there; the number of rows written."""
    today = today or timezone.localdate()
    root = Org.objects.filter(code=ROOT_CODE).first()
    women = Org.objects.filter(code=WOMEN_ROOT_CODE).first()
    if root is None or women is None:
        progress(_("Chưa có dữ liệu mẫu của tỉnh, bỏ qua học tập và cam kết mẫu."))
        return 0
    with transaction.atomic():
        if Theme.objects.filter(org__path__startswith=root.path).exists():
            progress(_("Học tập và cam kết mẫu đã có, không ghi thêm."))
            return 0
        return _Builder(root, women, today).build(progress)


class _Builder:
    def __init__(self, root: Org, women: Org, today: datetime.date) -> None:
        self.root = root
        self.women = women
        self.today = today
        self.year = today.year
        self.rng = random.Random(SEED)
        self.written = 0

    def _day(self, year: int, month: int, day: int) -> datetime.date:
        return min(datetime.date(year, month, day), self.today)

    def _units(self, roots: tuple[str, ...]) -> dict[Org, list[_Member]]:
        orgs = Org.objects.filter(code__in=roots)
        units: dict[Org, list[_Member]] = {}
        for org in orgs:
            memberships = (
                Membership.objects.current()
                .filter(org__path__startswith=org.path, status__in=TAKING_PART)
                .filter(org__level=Level.BRANCH)
                .select_related("person", "org")
                .order_by("org__path", "person__sort_key", "person_id")
            )
            for membership in memberships:
                units.setdefault(membership.org, []).append(
                    _Member(membership=membership, person=membership.person)
                )
        return units

    def themes(self) -> tuple[Theme, Theme, Theme]:
        commune = Org.objects.get(code="DU-DT")
        annual = Theme.objects.create(
            org=self.root, kind=ThemeKind.ANNUAL, title=ANNUAL_THEME, year=self.year,
            end_year=self.year, issued_on=self._day(self.year, 1, 20),
            document_number="86-KH/TU",
            summary="Cấp ủy các cấp đưa chuyên đề vào sinh hoạt chi bộ hằng tháng; 100% cán bộ, "
            "đảng viên xây dựng và thực hiện kế hoạch cá nhân, bản cam kết gắn với vị trí "
            "việc làm.",
        )  # fmt: skip
        term = Theme.objects.create(
            org=self.root, kind=ThemeKind.TERM, title=TERM_THEME, year=2021, end_year=2025,
            issued_on=datetime.date(2021, 9, 15), document_number="21-HD/TU",
        )  # fmt: skip
        women = Theme.objects.create(
            org=self.women, kind=ThemeKind.ANNUAL, title=WOMEN_THEME, year=self.year,
            end_year=self.year, issued_on=self._day(self.year, 2, 10),
            document_number="15-KH/HPN",
        )  # fmt: skip
        documents = [
            Document(org=self.root, theme=annual, kind="plan", number="86-KH/TU",
                     title=f"Kế hoạch học tập và làm theo Bác năm {self.year}",
                     issued_on=annual.issued_on, body=annual.summary),
            Document(org=commune, theme=annual, kind="plan", number="125-KH/ĐU",
                     title=f"Kế hoạch thực hiện chuyên đề năm {self.year} của Đảng ủy xã",
                     issued_on=self._day(self.year, 2, 5),
                     body="1. 100% chi bộ xây dựng kế hoạch thực hiện chuyên đề trước "
                     "ngày 15/3.\n2. 100% đảng viên viết bản cam kết và kế hoạch cá nhân.\n"
                     "3. Mỗi chi bộ sinh hoạt chuyên đề ít nhất mỗi quý một lần."),
            Document(org=commune, kind="resolution", number="238-NQ/ĐU",
                     title="Nghị quyết về nâng cao chất lượng sinh hoạt chi bộ",
                     issued_on=self._day(self.year, 3, 12),
                     body="Lấy chi bộ làm trung tâm, lấy đảng viên làm chủ thể."),
            Document(org=self.women, theme=women, kind="material", number="15-KH/HPN",
                     title="Tài liệu hỏi – đáp chuyên đề năm của Hội",
                     issued_on=women.issued_on,
                     body="Các câu hỏi – đáp dưới đây được triển khai đến 100% chi hội."),
        ]  # fmt: skip
        Document.objects.bulk_create(documents)
        self.plan_document = documents[1]
        self.written += 3 + len(documents)
        for theme in (annual, women):
            for order, (text, answer, choices, correct) in enumerate(QUESTIONS):
                question = QuizQuestion.objects.create(
                    theme=theme, order=order, question=text, answer=answer
                )
                QuizChoice.objects.bulk_create(
                    QuizChoice(question=question, order=i, text=t, correct=i == correct)
                    for i, t in enumerate(choices)
                )
                self.written += 1 + len(choices)
        return annual, term, women

    def plans(self, theme: Theme, units: dict[Org, list[_Member]]) -> None:
        items: list[PlanItem] = []
        for org in units:
            if org.code == NO_PLAN:
                continue
            plan = UnitPlan.objects.create(
                org=org,
                theme=theme,
                year=self.year,
                summary="Toàn thể thành viên học tập, liên hệ bản thân và đăng ký việc làm cụ thể.",
            )
            rows = (
                ("Quán triệt chuyên đề tại sinh hoạt định kỳ", (3, 5), "Bí thư, chi hội trưởng"),
                ("Viết bản cam kết, kế hoạch cá nhân", (3, 15), "Toàn thể thành viên"),
                ("Sinh hoạt chuyên đề, liên hệ bản thân", (6, 10), "Chi ủy, ban chấp hành"),
                ("Sơ kết 6 tháng việc làm theo Bác", (7, 10), "Bí thư, chi hội trưởng"),
                ("Tổng kết, đánh giá kết quả cam kết", (12, 10), "Chi ủy, ban chấp hành"),
            )
            items += [
                PlanItem(plan=plan, order=i, what=w, due_on=datetime.date(self.year, *d), who=p)
                for i, (w, d, p) in enumerate(rows)
            ]
        PlanItem.objects.bulk_create(items)
        self.written += len(items) + len(units)

    def sessions(self, theme: Theme, units: dict[Org, list[_Member]]) -> None:
        attendance: list[StudyAttendance] = []
        for org, members in units.items():
            for quarter, month in enumerate((3, 6, 9, 11), start=1):
                held = datetime.date(self.year, month, 10 + self.rng.randrange(8))
                if held > self.today:
                    break
                session = StudySession.objects.create(
                    org=org,
                    theme=theme,
                    held_on=held,
                    title=_("Học tập chuyên đề năm, quý %(q)s") % {"q": quarter},
                    place=org.hamlet or org.name,
                )
                share = self.rng.uniform(0.86, 0.97)
                attendance += [
                    StudyAttendance(session=session, person=m.person)
                    for m in members
                    if self.rng.random() < share
                ]
                self.written += 1
        StudyAttendance.objects.bulk_create(attendance, batch_size=2000)
        self.written += len(attendance)

    def quiz(self, theme: Theme, units: dict[Org, list[_Member]], share: float) -> None:
        questions = list(theme.questions.prefetch_related("choices"))
        attempts = []
        for org, members in units.items():
            for member in members:
                if member.person.user_id is not None or self.rng.random() > share:
                    continue  # the demo logins take the quiz themselves
                answers: dict[str, int] = {}
                score = 0
                for question in questions:
                    choices = list(question.choices.all())
                    right = self.rng.random() < 0.88
                    pick = next(c for c in choices if c.correct == right)
                    answers[str(question.pk)] = pick.pk
                    score += int(right)
                attempts.append(
                    QuizAttempt(theme=theme, person=member.person, org=org, score=score,
                                total=len(questions), answers=answers)
                )  # fmt: skip
        QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
        self.written += len(attempts)

    def reads(self, document: Document, units: dict[Org, list[_Member]], share: float) -> None:
        reads = [
            DocumentRead(document=document, person=m.person, org=org)
            for org, members in units.items()
            for m in members
            if m.person.user_id is None and self.rng.random() < share
        ]
        DocumentRead.objects.bulk_create(reads, batch_size=2000)
        self.written += len(reads)

    def _items(self, member: _Member) -> list[tuple[str, str]]:
        agency = bool(member.person.job_position) or member.membership.org.hamlet == ""
        pool = AGENCY_ITEMS if agency else RURAL_ITEMS
        picked: list[tuple[str, str]] = [
            (ItemKind.COMMITMENT, text) for text in self.rng.sample(pool, 3)
        ]
        return picked + [(ItemKind.PLAN, text) for text in self.rng.sample(PLAN_ITEMS, 2)]

    def commitments(self, units: dict[Org, list[_Member]]) -> None:
        now = timezone.now()
        last = self.year - 1
        # dangvien1's commitment waits for bithu1, who approves it in the demo.
        self.waiter = (
            Person.objects.filter(user__username="dangvien1").values_list("pk", flat=True).first()
        )
        rows: list[tuple[Commitment, list[tuple[str, str]], bool, bool]] = []
        for org, members in units.items():
            waiting = WAITING.get(org.code, 0)
            for index, member in enumerate(members):
                job = member.person.job_position or member.person.occupation or "Đảng viên"
                items = self._items(member)
                for year in (last, self.year):
                    if year < self.year and member.membership.started_on.year > last:
                        continue  # joined this year: no commitment of last year here
                    current = year == self.year
                    pending = current and (index < waiting or member.person.pk == self.waiter)
                    mid = not pending and (not current or self.today >= datetime.date(year, 7, 1))
                    late = datetime.date(year, 11, 1)
                    end_share = min(1.0, max(0.0, (self.today - late).days / 45))
                    end = not pending and (not current or self.rng.random() < end_share)
                    commitment = Commitment(
                        person=member.person, org=org, family=org.family, year=year,
                        status=CommitmentStatus.SUBMITTED if pending else CommitmentStatus.APPROVED,
                        job_position=job[:200],
                        pledge="Tôi xin hứa thực hiện nghiêm túc các nội dung đã cam kết.",
                        submitted_at=now, reviewed_at=None if pending else now,
                        mid_reported_at=now if mid else None,
                        mid_comment="Thực hiện tốt các nội dung đã đăng ký." if mid and not current
                        else "",
                        end_reported_at=now if end else None,
                        end_comment="Hoàn thành tốt cam kết." if end and not current else "",
                    )  # fmt: skip
                    rows.append((commitment, items, mid, end))
        Commitment.objects.bulk_create([row[0] for row in rows], batch_size=1000)
        items_out: list[CommitmentItem] = []
        for commitment, items, mid, end in rows:
            for order, (kind, text) in enumerate(items):
                items_out.append(
                    CommitmentItem(
                        commitment=commitment, kind=kind, order=order, text=text,
                        mid_result=self._result(0.8) if mid else "",
                        mid_evidence=self.rng.choice(EVIDENCE) if mid else "",
                        end_result=self._result(0.93) if end else "",
                        end_evidence=self.rng.choice(EVIDENCE) if end else "",
                    )
                )  # fmt: skip
        for item in items_out:
            if item.mid_result == ItemResult.NOT_DONE:
                item.mid_evidence = ""
            if item.end_result == ItemResult.NOT_DONE:
                item.end_evidence = ""
        CommitmentItem.objects.bulk_create(items_out, batch_size=2000)
        self.written += len(rows) + len(items_out)

    def _result(self, done: float) -> str:
        draw = self.rng.random()
        if draw < done:
            return ItemResult.DONE
        return ItemResult.PARTLY if draw < 0.995 else ItemResult.NOT_DONE

    def build(self, progress: Progress) -> int:
        annual, _term, women = self.themes()
        party = self._units(COMMITTING_ROOTS[:1])
        agency = self._units(COMMITTING_ROOTS[1:])
        branches = {
            org: members
            for org, members in self._units(("HLHPN-DT",)).items()
            if org.family == Family.WOMEN
        }
        self.plans(annual, party)
        self.plans(women, branches)
        self.sessions(annual, party)
        self.sessions(women, branches)
        self.quiz(annual, party, 0.82)
        self.quiz(women, branches, 0.9)
        self.reads(self.plan_document, party, 0.86)
        self.commitments(party | agency)
        progress(
            _("Học tập và cam kết mẫu: %(rows)s dòng (chuyên đề, kế hoạch, buổi học, cam kết).")
            % {"rows": self.written}
        )
        return self.written
