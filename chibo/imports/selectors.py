"""Reads of import jobs, through the scoping layer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from chibo.core.roles import Role
from chibo.core.scoping import get_for, require_role
from chibo.imports.models import ImportJob
from chibo.orgs.models import Org

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


def import_job_get_for(*, user: AnyUser, job_id: int) -> ImportJob:
    """A job of an org the user may open, else 404; 403 unless an officer there."""
    openable = Org.objects.visible_to(user, Role.MEMBER)
    job = get_for(
        ImportJob.objects.filter(org__in=openable).select_related("org", "created_by"),
        pk=job_id,
    )
    require_role(user, job.org.path, Role.OFFICER)
    return job


def import_jobs_for(*, user: AnyUser, org: Org, limit: int = 10) -> QuerySet[ImportJob]:
    """The latest imports into the org, for its officers."""
    return (
        ImportJob.objects.visible_to(user, Role.OFFICER)
        .filter(org=org)
        .select_related("created_by")[:limit]
    )
