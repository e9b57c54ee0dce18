"""Party fees (đảng phí): what each member's fee is based on, what they paid for which
month, and the good reasons recorded for months left unpaid.

Months are stored as the first day of the month. Fees follow the person, not the unit:
a member who moves keeps their arrears; each row also names the unit (`org`) that
recorded it, which scopes it and gives a cell its collection totals. Nothing is deleted:
a basis is superseded by a newer one, a payment entered by mistake is voided, a good
reason withdrawn, each with who and when.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.scoping import ScopedQuerySet
from chibo.fees.rules.base import Area, FeeCategory, FeeFacts, WageRegion
from chibo.orgs.models import Org
from chibo.people.models import Person


class FeeBasisQuerySet(ScopedQuerySet["FeeBasis"]):
    def active(self) -> Self:
        return self.filter(superseded_at__isnull=True)


class FeeBasis(models.Model):
    """Căn cứ tính đảng phí: a member's category and income, valid from a month until the
    next basis of the same member."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="fee_bases")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("áp dụng từ tháng"))
    category = models.CharField(_("đối tượng"), max_length=16, choices=FeeCategory.choices)
    salary = models.PositiveBigIntegerField(_("tiền lương"), default=0)
    allowances = models.PositiveBigIntegerField(_("phụ cấp"), default=0)
    pension = models.PositiveBigIntegerField(_("lương hưu, trợ cấp"), default=0)
    benefit = models.PositiveBigIntegerField(_("trợ cấp ốm đau, thai sản"), default=0)
    area = models.CharField(_("khu vực nơi ở"), max_length=16, choices=Area.choices, blank=True)
    wage_region = models.PositiveSmallIntegerField(
        _("vùng lương tối thiểu"), choices=WageRegion.choices, null=True, blank=True
    )
    voluntary_amount = models.PositiveIntegerField(_("tự nguyện đóng hằng tháng"), default=0)
    relief_percent = models.PositiveSmallIntegerField(_("mức miễn, giảm (%)"), default=0)
    relief_until = models.DateField(_("miễn, giảm đến hết tháng"), null=True, blank=True)
    relief_reason = models.CharField(_("lý do miễn, giảm"), max_length=300, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=40, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = FeeBasisQuerySet.as_manager()

    class Meta:
        verbose_name = _("căn cứ tính đảng phí")
        verbose_name_plural = _("căn cứ tính đảng phí")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "valid_from"],
                condition=Q(superseded_at__isnull=True),
                name="fee_basis_one_per_month",
            )
        ]
        indexes = [models.Index(fields=["person", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.valid_from:%m/%Y} · {self.category}"

    def facts(self) -> FeeFacts:
        return FeeFacts(
            category=self.category,
            salary=self.salary,
            allowances=self.allowances,
            pension=self.pension,
            benefit=self.benefit,
            area=self.area,
            wage_region=self.wage_region,
            voluntary=self.voluntary_amount,
            relief_percent=self.relief_percent,
            relief_until=self.relief_until,
        )


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Tiền mặt nộp chi bộ")
    PORTAL = "portal", _("Cổng Dịch vụ công Quốc gia")
    BANK = "bank", _("Chuyển khoản")


class FeePaymentQuerySet(ScopedQuerySet["FeePayment"]):
    def valid(self) -> Self:
        return self.filter(voided_at__isnull=True)


class FeePayment(models.Model):
    """One member's fee for one month, as collected."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="fee_payments")
    # The unit that collected it.
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("tháng"))
    amount = models.PositiveIntegerField(_("số tiền"))
    paid_on = models.DateField(_("ngày nộp"))
    method = models.CharField(
        _("hình thức"), max_length=8, choices=PaymentMethod.choices, default=PaymentMethod.CASH
    )
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)

    objects = FeePaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản nộp đảng phí")
        verbose_name_plural = _("khoản nộp đảng phí")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month"],
                condition=Q(voided_at__isnull=True),
                name="fee_payment_one_per_month",
            )
        ]
        indexes = [
            models.Index(fields=["person", "month"]),
            models.Index(fields=["org", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.month:%m/%Y} · {self.amount}"

    @property
    def in_advance(self) -> bool:
        """Paid before the month it is for began (đóng trước)."""
        return self.paid_on < self.month


class FeeExcuseQuerySet(ScopedQuerySet["FeeExcuse"]):
    def valid(self) -> Self:
        return self.filter(withdrawn_at__isnull=True)


class FeeExcuse(models.Model):
    """Lý do chính đáng: why a member did not pay for a month. A month with a good reason
    does not count towards the three months that lead to removal."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="fee_excuses")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("tháng"))
    reason = models.CharField(_("lý do chính đáng"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = FeeExcuseQuerySet.as_manager()

    class Meta:
        verbose_name = _("lý do chưa nộp đảng phí")
        verbose_name_plural = _("lý do chưa nộp đảng phí")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month"],
                condition=Q(withdrawn_at__isnull=True),
                name="fee_excuse_one_per_month",
            )
        ]
        indexes = [models.Index(fields=["person", "month"])]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.month:%m/%Y} · {self.reason[:40]}"
