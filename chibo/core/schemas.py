"""Pieces every app's API shares: paging and the shape of an error."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet
from ninja import Field, Schema

MAX_PAGE_SIZE = 500
M = TypeVar("M", bound=Model)


class Paging(Schema):
    # Read on each request, not once at import: the setting may change after the API is
    # loaded (a test's override, which would otherwise stick to the whole process).
    limit: int = Field(
        default_factory=lambda: settings.PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description="Số dòng tối đa trả về.",
    )
    offset: int = Field(0, ge=0, description="Bỏ qua bao nhiêu dòng đầu.")


class ErrorOut(Schema):
    detail: str


def paginate(rows: QuerySet[M], paging: Paging) -> dict[str, Any]:
    """One page of `rows` with the total, in two queries at most whatever the page size."""
    items = list(rows[paging.offset : paging.offset + paging.limit])
    if (items and len(items) < paging.limit) or (not items and paging.offset == 0):
        # A short page is the last one: its end is the total, no COUNT needed.
        count = paging.offset + len(items)
    else:
        count = rows.count()
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "items": items}


class ValidationErrorItem(Schema):
    """Pydantic's description of one problem, plus `message`: the same in Vietnamese."""

    type: str
    loc: list[str | int]
    msg: str
    message: str


class ValidationErrorOut(Schema):
    detail: list[ValidationErrorItem]
