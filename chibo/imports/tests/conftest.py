from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def private_import_dir(settings: Any, tmp_path: Path) -> Path:
    """Uploaded sheets go to a folder of the test's own."""
    folder = tmp_path / "private-imports"
    settings.IMPORT_DIR = folder
    return folder


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
