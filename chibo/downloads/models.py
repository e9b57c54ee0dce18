"""An export too large to make while the user waits: made by a background task into a
private folder, and handed only to the user who asked for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.scoping import ScopedQuerySet
from chibo.orgs.models import Org


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ chạy")
    RUNNING = "running", _("Đang tạo tệp")
    DONE = "done", _("Đã tạo xong")
    FAILED = "failed", _("Không tạo được")


OPEN_EXPORT_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class ExportJobQuerySet(ScopedQuerySet["ExportJob"]):
    pass


class ExportJob(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="export_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What to export ("members"), in which format, with which filters: rebuilt by the task
    # through the registry of chibo.core.exporters.
    kind = models.CharField(max_length=32)
    file_format = models.CharField(_("định dạng"), max_length=8)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # The name offered to the browser, and the file's name in the private folder.
    filename = models.CharField(_("tên tệp"), max_length=255, blank=True)
    stored_name = models.CharField(max_length=80, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp xuất")
        verbose_name_plural = _("tệp xuất")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.org} ({self.file_format})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_EXPORT_STATUSES

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
