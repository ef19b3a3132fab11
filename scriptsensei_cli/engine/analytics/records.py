"""Metric rows on their way in: linked to our videos, completed, and upserted in batches.

Shared by file imports (importer) and pushed points (track). Rows are upserted by (user, platform,
content, first day, last day), so the same day is never counted twice; values a source does not
carry are kept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ...contract.analytics import METRIC_FIELDS
from ..store.models import AnalyticsMetric, Video
from ..store.upsert import upsert
from .ingest import CellError, Problems

BATCH_ROWS = 2000
IMPORT_CACHE_KIB = 64 * 1024
UNIQUE_KEY = ("user_id", "platform", "content_id", "start_date", "end_date")
# A day ahead of UTC is still "today" somewhere (UTC+14).
FUTURE_TOLERANCE = timedelta(days=1)


# -- linking rows to our videos -------------------------------------------------------------------------


def _title_key(title: str) -> str:
    return " ".join(title.casefold().split())


class Linker:
    """Links content to the user's videos: by our id, by a platform id linked before, or by a title
    that exactly one of the user's videos has."""

    def __init__(self, session: Session, user_id: str) -> None:
        owned = session.execute(select(Video.id, Video.title).where(Video.user_id == user_id)).all()
        self.owned = {video_id for video_id, _ in owned}
        counts = Counter(_title_key(title) for _, title in owned)
        self.by_title = {_title_key(t): vid for vid, t in owned if counts[_title_key(t)] == 1}
        known = session.execute(
            select(AnalyticsMetric.platform, AnalyticsMetric.content_id, AnalyticsMetric.video_id)
            .where(AnalyticsMetric.user_id == user_id, AnalyticsMetric.video_id.is_not(None))
            .distinct()
        ).all()
        self.by_content: dict[tuple[str, str], str] = {(p, c): v for p, c, v in known if v}
        self.linked: set[tuple[str, str]] = set()

    def link(self, record: dict[str, Any]) -> str | None:
        platform, content_id = record["platform"], record["content_id"]
        video_id = record.get("video_id")
        if video_id:
            if video_id not in self.owned:
                raise CellError(f"{video_id} is not one of your videos", "video_id")
        elif content_id:
            video_id = self.by_content.get((platform, content_id))
            if video_id is None and record.get("title"):
                video_id = self.by_title.get(_title_key(record["title"]))
        if video_id and content_id:
            self.by_content[(platform, content_id)] = video_id
            self.linked.add((platform, content_id))
        return video_id


# -- writing --------------------------------------------------------------------------------------------


@dataclass
class Writer:
    """Upserts records in batches inside the caller's transaction; stops writing once a problem is
    found (the transaction will be rolled back) but keeps counting."""

    session: Session
    user_id: str
    problems: Problems | None = None
    pending: list[dict[str, Any]] = field(default_factory=list)
    written: int = 0
    platforms: set[str] = field(default_factory=set)
    first: date | None = None
    last: date | None = None

    def add(self, record: dict[str, Any]) -> None:
        self.written += 1
        self.platforms.add(record["platform"])
        self.first = min(self.first or record["start_date"], record["start_date"])
        self.last = max(self.last or record["end_date"], record["end_date"])
        if self.problems is not None and self.problems.count:
            return
        self.pending.append(record)
        if len(self.pending) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        keep = ("video_id", "title", *METRIC_FIELDS)
        upsert(self.session, AnalyticsMetric, self.pending, UNIQUE_KEY, keep_when_null=keep)
        self.pending.clear()


def roomy_cache(session: Session) -> None:
    """A large import touches all of the unique index; with SQLite's default 2 MB page cache it
    would re-read it from disk for every batch (a third of a million-row import's time)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))


def row_count(session: Session, user_id: str) -> int:
    return session.scalar(select(func.count()).where(AnalyticsMetric.user_id == user_id)) or 0


def complete_record(record: dict[str, Any], user_id: str, source: str, now: datetime) -> dict[str, Any]:
    """Every column, in one order, so a batch is one multi-row INSERT."""
    return {
        "user_id": user_id,
        "platform": record["platform"],
        "content_id": record["content_id"],
        "start_date": record["start_date"],
        "end_date": record["end_date"],
        "video_id": record.get("video_id"),
        "title": record.get("title"),
        **{name: record.get(name) for name in METRIC_FIELDS},
        "source": source,
        "updated_at": now,
    }
