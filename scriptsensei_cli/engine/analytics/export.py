"""`GET /analytics/export`: every stored row of a period, streamed in constant memory.

Rows are read with a server-side cursor in batches and encoded batch by batch, so a million-row
export holds one batch at a time. Order: day, platform, content (the range index's order, so the
database sorts nothing). Dates are ISO 8601; numbers are plain (no grouping, '.' for decimals).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce

from ...contract.analytics import EXPORT_COLUMNS
from ..store.db import Database
from ..store.models import AnalyticsMetric as M
from .overview import Window

BATCH_ROWS = 5000
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "ndjson": "application/x-ndjson"}

_SELECTED = (
    # Dates as the database hands them over (ISO text on SQLite, dates on PostgreSQL): parsing each
    # into a Python date only to print it again costs a fifth of the export's time.
    type_coerce(M.start_date, String),
    type_coerce(M.end_date, String),
    M.platform,
    M.content_id,
    M.video_id,
    M.title,
    M.views,
    M.likes,
    M.comments,
    M.shares,
    M.watch_time_hours,
    M.subscribers,
    M.impressions,
    M.impressions_ctr,
    M.profile_views,
    M.source,
)
assert len(_SELECTED) == len(EXPORT_COLUMNS)


def stream(db: Database, user_id: str, window: Window, fmt: str) -> Iterator[bytes]:
    """The export's bytes, batch by batch."""
    encode = {"csv": _csv, "ndjson": _ndjson, "json": _json_items}[fmt]
    if fmt == "csv":
        yield (",".join(EXPORT_COLUMNS) + "\n").encode()
    elif fmt == "json":
        yield b"["
    first = True
    for batch in _batches(db, user_id, window):
        chunk = encode(batch)
        if fmt == "json":
            chunk = ("\n" if first else ",\n") + chunk
        first = False
        yield chunk.encode()
    if fmt == "json":
        yield b"\n]\n" if not first else b"]\n"


def _batches(db: Database, user_id: str, window: Window) -> Iterator[Sequence[Any]]:
    statement = (
        select(*_SELECTED)
        .where(M.user_id == user_id, M.start_date >= window.start, M.end_date <= window.end)
        .order_by(M.start_date, M.platform, M.content_id, M.end_date)
    )
    with db.session() as session:
        connection = session.connection().execution_options(stream_results=True, yield_per=BATCH_ROWS)
        result = connection.execute(statement)
        yield from result.partitions(BATCH_ROWS)


def _csv(rows: Sequence[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _plain(row: Sequence[Any]) -> dict[str, Any]:
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in zip(EXPORT_COLUMNS, row, strict=True)
    }


def _ndjson(rows: Sequence[Any]) -> str:
    return "".join(json.dumps(_plain(row), ensure_ascii=False) + "\n" for row in rows)


def _json_items(rows: Sequence[Any]) -> str:
    return ",\n".join(json.dumps(_plain(row), ensure_ascii=False) for row in rows)
