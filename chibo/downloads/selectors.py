"""Reading export jobs: only the user who asked sees one, and only while the org is
still in that user's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chibo.core.roles import Role
from chibo.core.scoping import get_for
from chibo.downloads.models import ExportJob

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


def export_job_get_for(*, user: AnyUser, job_id: int) -> ExportJob:
    """404 for anyone else's job, and for one whose org the user no longer reads."""
    if not user.is_authenticated:
        return get_for(ExportJob.objects.none(), pk=job_id)
    jobs = ExportJob.objects.visible_to(user, Role.VIEWER).filter(created_by_id=user.pk)
    return get_for(jobs.select_related("org"), pk=job_id)
