"""Background work of imports, through Django's tasks API (django-tasks backport)."""

from __future__ import annotations

from django_tasks import task

from chibo.imports.services import import_job_run


@task()
def run_import(job_id: int) -> str:
    """Takes an id, never an object: the job, the file and the user's rights are read
    afresh when the worker picks the task up."""
    return import_job_run(job_id=job_id)
