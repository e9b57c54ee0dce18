"""Checks every meeting service makes before it writes for a unit, so the pages and the API
refuse the same things (a view that checks alone lets the API through)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chibo.meetings.models import Meeting
from chibo.orgs.models import Org, OrgStatus


def check_org_active(org: Org) -> None:
    """A merged or dissolved unit keeps its records as they were: nothing new is written
    for it (its members meet in the unit they were moved to)."""
    if org.status != OrgStatus.ACTIVE:
        raise ValidationError(
            {
                "org": _(
                    "Tổ chức “%(name)s” không còn hoạt động (%(status)s): không ghi thêm lịch, "
                    "điểm danh, biên bản hay tài liệu cho tổ chức này."
                )
                % {"name": org.name, "status": org.get_status_display().lower()}
            }
        )


def check_meeting_org_active(meeting: Meeting) -> None:
    check_org_active(meeting.org)
