"""Background work of exports, through Django's tasks API (django-tasks backport)."""

from __future__ import annotations

from django_tasks import task

from chibo.downloads.services import export_job_run


@task()
def run_export(job_id: int) -> str:
    """Takes an id, never an object: the job and the user's scope are read afresh when
    the worker picks the task up."""
    return export_job_run(job_id=job_id)
