from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. What it may see comes from grants, positions and memberships."""

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.get_username()


class AuditEntry(models.Model):
    """Who changed what, when, with the values before and after. Never updated or deleted."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Sửa")
        END = "end", _("Kết thúc")
        MOVE = "move", _("Chuyển")
        MERGE = "merge", _("Hợp nhất")
        SPLIT = "split", _("Chia tách")
        GRANT = "grant", _("Cấp quyền")
        REVOKE = "revoke", _("Thu hồi quyền")
        # Personal data leaving the platform: who took which list, filtered how.
        EXPORT = "export", _("Xuất dữ liệu")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    subject_type = models.CharField(max_length=64)
    subject_id = models.BigIntegerField()
    # The org the change belongs to, for scoping; an id (not a path) so moves keep it right.
    org_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # The person the change concerns, so a profile shows its whole history in one query.
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.summary}"

    def changes(self) -> list[tuple[str, Any, Any]]:
        keys = sorted(set(self.before) | set(self.after))
        return [
            (key, self.before.get(key), self.after.get(key))
            for key in keys
            if self.before.get(key) != self.after.get(key)
        ]


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.key_hash[:8]}… ({self.user_id})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)
