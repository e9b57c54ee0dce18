"""Roles a user can hold at an organisation; each role includes the ones below it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.IntegerChoices):
    # Own profile and own unit's schedule and documents; applies to the unit only.
    MEMBER = 10, _("Thành viên")
    # Read-only over the whole subtree (an upper level watching statistics).
    VIEWER = 20, _("Theo dõi (chỉ xem)")
    # Reads and writes the unit and what lies under it (bí thư chi bộ, chi hội trưởng).
    OFFICER = 30, _("Cán bộ đơn vị")
    # Reads and writes the subtree and approves (đảng ủy, ban thường vụ).
    COMMITTEE = 40, _("Cấp ủy")
    # Also manages users and grants of the subtree.
    ADMIN = 50, _("Quản trị")
