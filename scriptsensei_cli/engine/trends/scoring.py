"""From observations to trends: growth, acceleration, hotness, score, related topics.

For a window of N days ending on the latest observed day (`as_of`):

- `views`: the topic's views in the window; growth compares views per observed day with the
  previous N days (so a day missing from an import does not read as a collapse);
- `acceleration`: that growth minus the previous window's growth, in percentage points;
- `hotness`: viral when growth >= 100% and not slowing down (acceleration >= 0); rising when
  growth >= 20% (or the topic is new: nothing in the previous window); declining when growth
  <= -20%; steady otherwise (the thresholds live in contract/trends.py);
- `score` (0-100) = 0.6 x volume + 0.4 x momentum, where volume = 100 x log10(1 + views per day) / 7
  (10 million a day scores 100) and momentum = 50 + growth / 4 (flat 50, +200% 100; new topics 60),
  each clipped to 0-100;
- `related_topics`: the user's other topics that share hashtags with it, most shared first.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from ...contract.trends import (
    DECLINING_GROWTH,
    RISING_GROWTH,
    VIRAL_GROWTH,
    Hotness,
    Trend,
)
from ..store.models import TrendObservation as O
from ..store.models import TrendTopic as T

NEW_TOPIC_MOMENTUM = 60.0
RELATED_LIMIT = 5


@dataclass(frozen=True)
class Windows:
    as_of: date
    days: int

    def bounds(self, index: int) -> tuple[date, date]:
        """Window 0 ends on `as_of`; window 1 is the one before it; and so on."""
        end = self.as_of - timedelta(days=self.days * index)
        return end - timedelta(days=self.days - 1), end

    def contains(self, index: int) -> ColumnElement[bool]:
        start, end = self.bounds(index)
        return and_(O.date >= start, O.date <= end)


def latest_day(session: Session, user_id: str) -> date | None:
    return session.scalar(select(func.max(O.date)).join(T, T.id == O.topic_id).where(T.user_id == user_id))


def window_stats(session: Session, windows: Windows, where: list[ColumnElement[bool]]) -> list[Any]:
    """Per topic: views and observed days in the last three windows, posts and engagement in the
    current one, and the latest day seen. Topics without recent observations come back too."""
    current = windows.contains(0)
    with_engagement = and_(current, O.engagement.is_not(None))
    oldest = windows.bounds(2)[0]
    columns: list[Any] = [T]
    for index in range(3):
        inside = windows.contains(index)
        columns += [
            func.sum(case((inside, O.views))).label(f"views_{index}"),
            func.count(case((inside, 1))).label(f"days_{index}"),
        ]
    columns += [
        func.sum(case((current, O.posts))).label("posts"),
        func.sum(case((with_engagement, O.engagement * O.views))).label("engaged"),
        func.sum(case((with_engagement, O.views))).label("engaged_views"),
        func.max(O.date).label("last_seen"),
    ]
    statement = (
        select(*columns)
        .outerjoin(O, and_(O.topic_id == T.id, O.date >= oldest, O.date <= windows.as_of))
        .where(*where)
        .group_by(T.id)
    )
    return list(session.execute(statement).all())


def growth(row: Any, newer: int, older: int) -> float | None:
    """Percent change in views per observed day from window `older` to window `newer`."""
    older_days, newer_days = row[f"days_{older}"], row[f"days_{newer}"]
    if not older_days or not row[f"views_{older}"]:
        return None
    if not newer_days:
        return -100.0
    # PostgreSQL sums integers as numeric (Decimal): work in floats.
    per_day = (float(row[f"views_{newer}"]) / newer_days) / (float(row[f"views_{older}"]) / older_days)
    return float((per_day - 1.0) * 100.0)


def hotness(change: float | None, acceleration: float | None) -> Hotness:
    if change is None:
        return "rising"
    if change >= VIRAL_GROWTH and (acceleration is None or acceleration >= 0):
        return "viral"
    if change >= RISING_GROWTH:
        return "rising"
    if change <= DECLINING_GROWTH:
        return "declining"
    return "steady"


def score(views_per_day: float, change: float | None) -> float:
    volume = min(100.0, max(0.0, 100.0 * math.log10(1.0 + views_per_day) / 7.0))
    momentum = NEW_TOPIC_MOMENTUM if change is None else min(100.0, max(0.0, 50.0 + change / 4.0))
    return round(0.6 * volume + 0.4 * momentum, 1)


def build(row: Any, windows: Windows) -> Trend:
    stats = row._mapping
    topic: T = stats[T]
    change = growth(stats, 0, 1)
    before = growth(stats, 1, 2)
    acceleration = change - before if change is not None and before is not None else None
    views = int(stats["views_0"] or 0)
    engaged_views = stats["engaged_views"]
    tags = topic.hashtags.split()
    return Trend(
        id=topic.id,
        topic=topic.topic,
        hashtag=tags[0] if tags else None,
        hashtags=tags,
        platform=topic.platform,
        region=topic.region,
        category=topic.category or None,
        views=views,
        views_change=round(change, 1) if change is not None else None,
        acceleration=round(acceleration, 1) if acceleration is not None else None,
        engagement=round(float(stats["engaged"]) / float(engaged_views), 2) if engaged_views else None,
        posts=int(stats["posts"]) if stats["posts"] is not None else None,
        hotness=hotness(change, acceleration),
        score=score(views / max(1, stats["days_0"]), change),
        last_seen=stats["last_seen"],
    )


def related_topics(session: Session, user_id: str, topic_ids: list[str]) -> dict[str, list[str]]:
    """For each topic: the names of the user's other topics sharing its hashtags, most shared first."""
    rows = session.execute(select(T.id, T.topic, T.hashtags).where(T.user_id == user_id)).all()
    by_tag: dict[str, set[str]] = defaultdict(set)
    for _, name, tags in rows:
        for tag in tags.split():
            by_tag[tag.casefold()].add(name)
    wanted = set(topic_ids)
    related: dict[str, list[str]] = {}
    for topic_id, name, tags in rows:
        if topic_id not in wanted:
            continue
        shared: Counter[str] = Counter()
        for tag in tags.split():
            shared.update(other for other in by_tag[tag.casefold()] if other.casefold() != name.casefold())
        related[topic_id] = [other for other, _ in sorted(shared.items(), key=lambda i: (-i[1], i[0]))][
            :RELATED_LIMIT
        ]
    return related
