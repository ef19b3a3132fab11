"""The one declaration of a list's `page` and `limit` query parameters, bounded both ways.

An unbounded `page` reaches the database as `OFFSET (page - 1) * limit`, which overflows a 64-bit
integer (a 500); past `MAX_PAGE` it is a 400 naming the field instead.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from ...contract.common import MAX_PAGE, MAX_PAGE_LIMIT

Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT, description="Items per page.")]
