"""Lists paged by limit and offset over a stable order (the primary key)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from ninja import Query, Schema
from pydantic import Field

T = TypeVar("T")

MAX_LIMIT = 200


class PageParams(Schema):
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0, le=10_000_000)


def paged(qs: QuerySet[Any], params: PageParams, item: Callable[[Any], T]) -> dict[str, Any]:
    qs = qs.order_by("pk")
    return {
        "count": qs.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [item(x) for x in qs[params.offset : params.offset + params.limit]],
    }


__all__ = ["PageParams", "Query", "paged"]
