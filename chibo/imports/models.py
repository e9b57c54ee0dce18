"""An import of a member sheet: the uploaded file, its column mapping, and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.scoping import ScopedQuerySet
from chibo.orgs.models import Org


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Chờ xem trước và xác nhận")
    QUEUED = "queued", _("Đang chờ chạy")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã nhập xong")
    FAILED = "failed", _("Không nhập được")
    CANCELLED = "cancelled", _("Đã hủy")


OPEN_STATUSES = (ImportStatus.UPLOADED, ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportJobQuerySet(ScopedQuerySet["ImportJob"]):
    pass


class ImportJob(models.Model):
    """One uploaded sheet on its way into an org's rolls. The file itself is kept in a
    private folder (never under a URL) until the import ends, then deleted."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    stored_name = models.CharField(max_length=80, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    file_format = models.CharField(_("định dạng"), max_length=8)
    header_row = models.PositiveIntegerField(null=True, blank=True)
    # Field key per column of the sheet ("" for a column left out), as confirmed.
    mapping = models.JSONField(default=list, blank=True)
    # Row number -> "new" or the id of the person the row updates (name + birth matches).
    decisions = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first errors found (row, column, message), for the result page.
    errors = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập danh sách")
        verbose_name_plural = _("lần nhập danh sách")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} → {self.org}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
