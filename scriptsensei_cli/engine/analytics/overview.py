"""Numbers out: a period's overview against the previous period of the same length, and one video.

Periods are whole days (UTC) ending on `end`: by default the latest day any import covers, so an
export downloaded last week still shows as "the last 7 days" of what the platform reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from ...contract.analytics import (
    RANGE_DAYS,
    AnalyticsData,
    DayViews,
    MetricRow,
    MetricTotals,
    Overview,
    Period,
    PlatformShare,
    TopVideo,
    VideoAnalytics,
)
from ...contract.videos import video_urls
from ..errors import NotFound
from ..store.db import Database
from ..store.models import AnalyticsMetric as M
from . import tally
from .ingest import today_utc
from .tally import Tally

TOP_VIDEOS = 10
Scope = list[ColumnElement[bool]]


@dataclass(frozen=True)
class Window:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def period(self) -> Period:
        return Period(start=self.start, end=self.end, days=self.days)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def windows(
    session: Session, scope: Scope, date_range: str, end: date | None
) -> tuple[Window, Window | None]:
    """The period asked for and the one before it (None for `all`)."""
    first, latest = session.execute(select(func.min(M.start_date), func.max(M.end_date)).where(*scope)).one()
    end = end or latest or today_utc()
    if date_range == "all":
        return Window(min(first or end, end), end), None
    days = RANGE_DAYS[date_range]
    current = Window(end - timedelta(days=days - 1), end)
    return current, Window(current.start - timedelta(days=days), current.start - timedelta(days=1))


def user_window(db: Database, user_id: str, date_range: str, end: date | None) -> Window:
    with db.session() as session:
        return windows(session, [M.user_id == user_id], date_range, end)[0]


# -- queries --------------------------------------------------------------------------------------------


def daily(session: Session, scope: Scope, window: Window) -> dict[tuple[str, date], Tally]:
    """Per (platform, day): the account's row where there is one, else the sum of the video rows."""
    account = (M.content_id == "").label("account")
    rows = session.execute(
        select(M.platform, M.start_date, account, *tally.sum_columns())
        .where(*scope, M.start_date == M.end_date, M.start_date.between(window.start, window.end))
        .group_by(M.platform, M.start_date, account)
    ).mappings()
    by_grain: dict[tuple[str, date], dict[bool, Tally]] = defaultdict(dict)
    for row in rows:
        by_grain[(row["platform"], row["start_date"])][bool(row["account"])] = tally.from_row(row)
    return {
        key: tally.prefer(grains.get(True, {}), grains.get(False, {})) for key, grains in by_grain.items()
    }


def periods(
    session: Session,
    scope: Scope,
    window: Window,
    by: tuple[Any, ...] = (M.platform,),
    extra: tuple[Any, ...] = (),
) -> list[Any]:
    """Sums of the period rows (more than one day) lying wholly inside the window."""
    return list(
        session.execute(
            select(*by, *extra, *tally.sum_columns())
            .where(*scope, M.start_date != M.end_date, M.start_date >= window.start, M.end_date <= window.end)
            .group_by(*by)
        ).mappings()
    )


def platform_tallies(
    session: Session, scope: Scope, window: Window
) -> tuple[dict[str, Tally], dict[date, dict[str, Tally]]]:
    """(per platform over the window, per day over the window with platforms kept apart by key)."""
    days = daily(session, scope, window)
    summed: dict[str, list[Tally]] = defaultdict(list)
    for (platform, _), day_tally in days.items():
        summed[platform].append(day_tally)
    by_platform = {platform: tally.add(*tallies) for platform, tallies in summed.items()}
    for row in periods(session, scope, window):
        by_platform[row["platform"]] = tally.prefer(by_platform.get(row["platform"], {}), tally.from_row(row))
    by_day: dict[date, dict[str, Tally]] = defaultdict(dict)
    for (platform, day), day_tally in days.items():
        by_day[day][platform] = day_tally
    return by_platform, by_day


# -- the overview ---------------------------------------------------------------------------------------


def overview(db: Database, user_id: str, date_range: str, end: date | None = None) -> AnalyticsData:
    scope: Scope = [M.user_id == user_id]
    with db.session() as session:
        current, previous = windows(session, scope, date_range, end)
        by_platform, by_day = platform_tallies(session, scope, current)
        before = platform_tallies(session, scope, previous)[0] if previous else None
        top = top_videos(session, scope, current)
    now = tally.add(*by_platform.values())
    then = tally.add(*before.values()) if before is not None else None
    total_views = tally.count(now, "views") or 0
    return AnalyticsData(
        date_range=date_range,  # type: ignore[arg-type]
        period=current.period(),
        previous_period=previous.period() if previous else None,
        overview=_overview(now, then, previous),
        platform_breakdown=[
            PlatformShare(
                platform=platform,
                views=views,
                percentage=round(views / total_views * 100, 1) if total_views else 0.0,
            )
            for platform, views in sorted(
                ((p, tally.count(t, "views") or 0) for p, t in by_platform.items()), key=lambda item: -item[1]
            )
        ],
        top_videos=top,
        views_over_time=_views_by_day(current, by_day),
    )


def _overview(now: Tally, then: Tally | None, previous: Window | None) -> Overview:
    notes: dict[str, str] = {}

    def change(
        name: str, label: str, current: float | None, before: float | None, *, points: bool = False
    ) -> float | None:
        if not now:
            notes[name] = "no data in this period"
        elif previous is None or then is None:
            notes[name] = "the range 'all' has no previous period"
        elif not then:
            notes[name] = f"no data for the previous period ({previous})"
        elif current is None and before is None:
            notes[name] = f"no {label} in this period or the previous one ({previous})"
        elif current is None:
            notes[name] = f"no {label} in this period"
        elif before is None:
            notes[name] = f"no {label} in the previous period ({previous})"
        elif points:
            return round(current - before, 2)
        elif before == 0:
            notes[name] = f"{label} was 0 in the previous period ({previous})"
        else:
            return round((current - before) / before * 100, 1)
        return None

    def both(metric: Any) -> tuple[Any, Any]:
        return metric(now), metric(then) if then is not None else None

    views = both(lambda t: tally.count(t, "views"))
    engagement = both(lambda t: tally.rate(t, "engagement"))
    watch = both(lambda t: tally.rate(t, "watch", 3600.0))
    shares = both(lambda t: tally.count(t, "shares"))
    if not now:
        notes["totalViews"] = (
            "no analytics data in this period; import an export with `ss analytics import FILE`"
        )
    return Overview(
        total_views=views[0] or 0,
        views_change=change("viewsChange", "views", *views),
        total_engagement=_round(engagement[0], 2),
        engagement_change=change("engagementChange", "likes, comments or shares", *engagement, points=True),
        average_watch_time=_round(watch[0], 1),
        watch_time_change=change("watchTimeChange", "watch time", *watch),
        total_shares=shares[0],
        shares_change=change("sharesChange", "shares", *shares),
        change_notes=notes,
    )


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _views_by_day(window: Window, by_day: dict[date, dict[str, Tally]]) -> list[DayViews]:
    points = []
    for offset in range(window.days):
        day = window.start + timedelta(days=offset)
        platforms = {p: tally.count(t, "views") for p, t in by_day.get(day, {}).items()}
        known = {p: views for p, views in platforms.items() if views is not None}
        points.append(DayViews(date=day, views=sum(known.values()) if known else None, by_platform=known))
    return points


def top_videos(session: Session, scope: Scope, window: Window, limit: int = TOP_VIDEOS) -> list[TopVideo]:
    by = (M.platform, M.content_id)
    labels = (func.max(M.video_id).label("video_id"), func.max(M.title).label("title"))
    content_scope = [*scope, M.content_id != ""]
    daily_rows = session.execute(
        select(*by, *labels, *tally.sum_columns())
        .where(*content_scope, M.start_date == M.end_date, M.start_date.between(window.start, window.end))
        .group_by(*by)
    ).mappings()
    contents: dict[tuple[str, str], tuple[Tally, dict[str, Any]]] = {
        (row["platform"], row["content_id"]): (tally.from_row(row), dict(row)) for row in daily_rows
    }
    for row in periods(session, content_scope, window, by=by, extra=labels):
        key = (row["platform"], row["content_id"])
        day_tally, info = contents.get(key, ({}, dict(row)))
        contents[key] = (tally.prefer(day_tally, tally.from_row(row)), info)
    ranked = sorted(contents.items(), key=lambda item: -(tally.count(item[1][0], "views") or 0))[:limit]
    return [
        TopVideo(
            id=info["video_id"] or f"{platform}:{content_id}",
            video_id=info["video_id"],
            platform=platform,
            content_id=content_id,
            title=info["title"],
            views=tally.count(content_tally, "views") or 0,
            engagement=_round(tally.rate(content_tally, "engagement"), 2),
            thumbnail_url=video_urls(info["video_id"])[1] if info["video_id"] else None,
        )
        for (platform, content_id), (content_tally, info) in ranked
    ]


# -- one video ------------------------------------------------------------------------------------------


def video(
    db: Database, user_id: str, video_id: str, date_range: str, end: date | None = None
) -> VideoAnalytics:
    scope: Scope = [M.user_id == user_id, or_(M.video_id == video_id, M.content_id == video_id)]
    with db.session() as session:
        if session.scalar(select(func.count()).where(*scope)) == 0:
            raise NotFound(
                f"no analytics for {video_id!r}: it is not a video of yours with imported numbers "
                "(give our id vid_… or the platform's video id)",
                details={"id": video_id},
            )
        current, _ = windows(session, scope, date_range, end)
        by_platform, _ = platform_tallies(session, scope, current)
        rows = session.execute(
            select(M)
            .where(*scope, M.start_date >= current.start, M.end_date <= current.end)
            .order_by(M.start_date, M.platform, M.end_date)
        ).scalars()
        metric_rows = [_metric_row(row) for row in rows]
        names = session.execute(select(func.max(M.video_id), func.max(M.title)).where(*scope)).one()
    combined = tally.add(*by_platform.values())
    return VideoAnalytics(
        id=video_id,
        video_id=names[0],
        title=names[1],
        platforms=sorted(by_platform),
        period=current.period(),
        totals=_totals(combined),
        rows=metric_rows,
    )


def _metric_row(row: M) -> MetricRow:
    return MetricRow(
        start=row.start_date,
        end=row.end_date,
        platform=row.platform,
        content_id=row.content_id,
        views=row.views,
        likes=row.likes,
        comments=row.comments,
        shares=row.shares,
        watch_time_hours=row.watch_time_hours,
        subscribers=row.subscribers,
        impressions=row.impressions,
        impressions_ctr=row.impressions_ctr,
    )


def _totals(combined: Tally) -> MetricTotals:
    watch = combined.get("watch")
    return MetricTotals(
        views=tally.count(combined, "views"),
        likes=tally.count(combined, "likes"),
        comments=tally.count(combined, "comments"),
        shares=tally.count(combined, "shares"),
        engagement=_round(tally.rate(combined, "engagement"), 2),
        watch_time_hours=_round(watch[0], 2) if watch else None,
        average_watch_time=_round(tally.rate(combined, "watch", 3600.0), 1),
        subscribers=tally.count(combined, "subscribers"),
        impressions=tally.count(combined, "impressions"),
        impressions_ctr=_round(tally.rate(combined, "ctr"), 2),
    )
