"""Shapes shared by every service: list envelopes and their paging."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

DEFAULT_PAGE_LIMIT = 20
MAX_PAGE_LIMIT = 100
# Far past any real list; keeps `(page - 1) * limit` inside a 64-bit OFFSET.
MAX_PAGE = 1_000_000

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: object) -> object:
    """pydantic reads a number as a Unix time (8294335245650470 is a day in 1969); a date must be written
    as one, YYYY-MM-DD."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


class ListEnvelope(BaseModel):
    """`{"<plural>": [...], "total": n, "page": p, "limit": l}`; subclasses add the plural field."""

    total: int = Field(ge=0)
    page: int = Field(ge=1, le=MAX_PAGE)
    limit: int = Field(ge=1, le=MAX_PAGE_LIMIT)


class Health(BaseModel):
    status: str
    version: str
    render_workers: int | None = Field(
        default=None,
        description="Videos this server renders at once; null when its renders run on worker nodes.",
    )
