"""`POST /analytics/track`: programs push a day's numbers; each point replaces that day's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from ...contract.analytics import METRIC_FIELDS, MetricPoint, TrackResult
from ..errors import Invalid
from ..store.db import Database
from .formats import content_key
from .ingest import CellError, platform_name, today_utc
from .records import FUTURE_TOLERANCE, Linker, Writer, complete_record, row_count


def track(
    db: Database, user_id: str, points: Iterable[MetricPoint], today: date | None = None
) -> TrackResult:
    latest = (today or today_utc()) + FUTURE_TOLERANCE
    now = datetime.now(UTC)
    with db.session() as session:
        before = row_count(session, user_id)
        linker = Linker(session, user_id)
        writer = Writer(session, user_id)
        for index, point in enumerate(points):
            with _point_errors(index):
                if point.date > latest:
                    raise CellError(f"{point.date.isoformat()} is in the future", "date")
                platform = platform_name(point.platform)
                record: dict[str, Any] = {
                    "platform": platform,
                    "content_id": content_key(
                        point.platform_video_id, point.url, point.video_id, point.title
                    ),
                    "start_date": point.date,
                    "end_date": point.date,
                    "title": point.title,
                    "video_id": point.video_id,
                    **{name: getattr(point, name) for name in METRIC_FIELDS},
                }
                record["video_id"] = linker.link(record)
            writer.add(complete_record(record, user_id, "api", now))
        writer.flush()
        inserted = row_count(session, user_id) - before
    return TrackResult(received=writer.written, inserted=inserted, updated=writer.written - inserted)


@contextmanager
def _point_errors(index: int) -> Iterator[None]:
    try:
        yield
    except CellError as exc:
        where = f"metrics.{index}.{exc.column or 'platform'}"
        raise Invalid(f"{where}: {exc}", field=where) from exc
