"""Shapes shared by every service: list envelopes and their paging."""

from __future__ import annotations

from pydantic import BaseModel, Field

DEFAULT_PAGE_LIMIT = 20
MAX_PAGE_LIMIT = 100


class ListEnvelope(BaseModel):
    """`{"<plural>": [...], "total": n, "page": p, "limit": l}`; subclasses add the plural field."""

    total: int = Field(ge=0)
    page: int = Field(ge=1)
    limit: int = Field(ge=1, le=MAX_PAGE_LIMIT)


class Health(BaseModel):
    status: str
    version: str
    render_workers: int | None = Field(
        default=None,
        description="Videos this server renders at once; null when its renders run on worker nodes.",
    )
