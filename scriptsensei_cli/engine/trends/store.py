"""Writing trend topics and their daily observations: upserts, so a re-import adds nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...contract.trends import TrendImportResult
from ..store.models import TrendObservation, TrendTopic, new_id
from ..store.upsert import upsert

BATCH_ROWS = 2000


def topic_key(topic: str) -> str:
    return " ".join(topic.casefold().split())


def merge_hashtags(existing: str, new: list[str]) -> str:
    """Space-separated, without '#', first seen first (the first is the topic's primary hashtag)."""
    seen: dict[str, str] = {}
    for tag in [*existing.split(), *new]:
        seen.setdefault(tag.casefold(), tag)
    return " ".join(seen.values())[:500]


def observation_count(session: Session, user_id: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(TrendObservation)
            .join(TrendTopic, TrendTopic.id == TrendObservation.topic_id)
            .where(TrendTopic.user_id == user_id)
        )
        or 0
    )


@dataclass
class TopicWriter:
    """Finds or creates each topic once per import, and batches its observations."""

    session: Session
    user_id: str
    topics: dict[tuple[str, str, str], TrendTopic] = field(default_factory=dict)
    pending: list[dict[str, Any]] = field(default_factory=list)
    written: int = 0
    first: date | None = None
    last: date | None = None
    before: int = 0

    def __post_init__(self) -> None:
        self.before = observation_count(self.session, self.user_id)

    def topic(self, platform: str, region: str, topic: str, category: str, hashtags: list[str]) -> TrendTopic:
        key = (platform, region, topic_key(topic))
        row = self.topics.get(key)
        if row is None:
            row = self.session.scalar(
                select(TrendTopic).where(
                    TrendTopic.user_id == self.user_id,
                    TrendTopic.platform == platform,
                    TrendTopic.region == region,
                    TrendTopic.topic_key == key[2],
                )
            )
            if row is None:
                row = TrendTopic(
                    id=new_id("trd"),
                    user_id=self.user_id,
                    platform=platform,
                    region=region,
                    topic=topic,
                    topic_key=key[2],
                    category=category,
                    hashtags="",
                )
                self.session.add(row)
            self.topics[key] = row
        merged = merge_hashtags(row.hashtags, hashtags)
        if merged != row.hashtags:
            row.hashtags = merged
        if category and category != row.category:
            row.category = category
        return row

    def observe(self, topic: TrendTopic, day: date, views: int, source: str, **values: Any) -> None:
        self.written += 1
        self.first = min(self.first or day, day)
        self.last = max(self.last or day, day)
        self.pending.append(
            {
                "topic_id": topic.id,
                "date": day,
                "views": views,
                "posts": values.get("posts"),
                "engagement": values.get("engagement"),
                "cumulative_views": values.get("cumulative_views"),
                "source": source,
            }
        )
        if len(self.pending) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        self.session.flush()  # new topics first: observations refer to them
        keep = ("posts", "engagement", "cumulative_views")
        upsert(self.session, TrendObservation, self.pending, ("topic_id", "date"), keep_when_null=keep)
        self.pending.clear()

    def result(self, warnings: list[str]) -> TrendImportResult:
        self.flush()
        inserted = observation_count(self.session, self.user_id) - self.before
        return TrendImportResult(
            rows=self.written,
            inserted=inserted,
            updated=self.written - inserted,
            topics=len(self.topics),
            platforms=sorted({platform for platform, _, _ in self.topics}),
            first_date=self.first,
            last_date=self.last,
            warnings=warnings,
        )
