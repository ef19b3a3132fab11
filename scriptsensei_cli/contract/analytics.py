"""Analytics (seed: analytics service): imports, the overview, one video, the export.

The read models use the seed's camelCase names (`overview.totalViews`, `platformBreakdown`); the
export uses the snake_case columns in `EXPORT_COLUMNS`, which are stable: new columns are only ever
appended.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from .vocabulary import NETWORKS, DateRange

# Days in each range; data is daily, so `24h` is the latest day. `all` has no fixed length.
RANGE_DAYS: dict[str, int] = {"24h": 1, "7d": 7, "30d": 30, "90d": 90, "1y": 365}


ANALYTICS_PLATFORMS = NETWORKS  # where the numbers come from

# The numbers a metric row can carry (counts, except watch_time_hours and impressions_ctr, percent).
METRIC_FIELDS: tuple[str, ...] = (
    "views",
    "likes",
    "comments",
    "shares",
    "watch_time_hours",
    "subscribers",
    "impressions",
    "impressions_ctr",
    "profile_views",
)
# `GET /analytics/export`: one row per video (or account) per day, or per period for exports that
# only carry period totals. Empty `content_id` = the whole account on that platform.
EXPORT_COLUMNS: tuple[str, ...] = (
    "date",
    "end_date",
    "platform",
    "content_id",
    "video_id",
    "title",
    *METRIC_FIELDS,
    "source",
)


class CamelModel(BaseModel):
    """Serialized with the seed's camelCase names; accepts either spelling on input."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )


class Period(CamelModel):
    start: date
    end: date
    days: int = Field(ge=1)


class Overview(CamelModel):
    """Totals for the period and their change against the previous period of the same length.

    A change is null when it cannot be computed honestly (no previous data, a zero base, a metric
    the imports do not carry); `changeNotes` then says why, keyed by the change's name.
    """

    total_views: int
    views_change: float | None = Field(default=None, description="Percent change in views.")
    total_engagement: float | None = Field(
        default=None, description="Engagement rate, percent: (likes + comments + shares) / views."
    )
    engagement_change: float | None = Field(default=None, description="Change in percentage points.")
    average_watch_time: float | None = Field(default=None, description="Seconds watched per view.")
    watch_time_change: float | None = Field(default=None, description="Percent change.")
    total_shares: int | None = None
    shares_change: float | None = Field(default=None, description="Percent change.")
    change_notes: dict[str, str] = Field(default_factory=dict)


class PlatformShare(CamelModel):
    platform: str
    views: int
    percentage: float


class TopVideo(CamelModel):
    id: str = Field(description="Our video id when the content is linked to one, else platform:content_id.")
    video_id: str | None = None
    platform: str
    content_id: str
    title: str | None = None
    views: int
    engagement: float | None = Field(default=None, description="Engagement rate, percent.")
    thumbnail_url: str | None = None


class DayViews(CamelModel):
    date: date
    views: int | None = Field(description="Null on a day no import covers (unknown, not zero).")
    by_platform: dict[str, int] = Field(default_factory=dict)


class AnalyticsData(CamelModel):
    date_range: DateRange
    period: Period
    previous_period: Period | None = None
    overview: Overview
    platform_breakdown: list[PlatformShare]
    top_videos: list[TopVideo]
    views_over_time: list[DayViews]


class MetricTotals(CamelModel):
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    engagement: float | None = Field(default=None, description="Engagement rate, percent.")
    watch_time_hours: float | None = None
    average_watch_time: float | None = Field(default=None, description="Seconds watched per view.")
    subscribers: int | None = None
    impressions: int | None = None
    impressions_ctr: float | None = Field(default=None, description="Percent.")


class MetricRow(CamelModel):
    """One stored row: a day (`start == end`) or a period total from an export that has no days."""

    start: date
    end: date
    platform: str
    content_id: str
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    watch_time_hours: float | None = None
    subscribers: int | None = None
    impressions: int | None = None
    impressions_ctr: float | None = None


class VideoAnalytics(CamelModel):
    id: str
    video_id: str | None = None
    title: str | None = None
    platforms: list[str]
    period: Period
    totals: MetricTotals
    rows: list[MetricRow]


class MetricPoint(CamelModel):
    """One day of one video's (or, without any id, the whole account's) numbers on one platform.

    Values are the day's totals, not increments: sending the same day again replaces it.
    """

    date: date
    platform: str
    video_id: str | None = Field(default=None, description="Our video id (vid_…), to link the numbers.")
    platform_video_id: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=300)
    views: int | None = Field(default=None, ge=0)
    likes: int | None = Field(default=None, ge=0)
    comments: int | None = Field(default=None, ge=0)
    shares: int | None = Field(default=None, ge=0)
    watch_time_hours: float | None = Field(default=None, ge=0)
    subscribers: int | None = None
    impressions: int | None = Field(default=None, ge=0)
    impressions_ctr: float | None = Field(default=None, ge=0, le=100)
    profile_views: int | None = Field(default=None, ge=0)


MAX_TRACK_POINTS = 1000


class TrackRequest(CamelModel):
    metrics: list[MetricPoint] = Field(min_length=1, max_length=MAX_TRACK_POINTS)


class ImportPart(CamelModel):
    """What one file (or one member of a YouTube Studio .zip) contributed."""

    name: str
    format: str = Field(description="youtube_table, youtube_chart, youtube_totals, tiktok_overview, …")
    rows: int = Field(description="Data rows read (a YouTube 'Total' row is not one).")
    first_date: date | None = None
    last_date: date | None = None


class ImportResult(CamelModel):
    source: str
    parts: list[ImportPart]
    rows: int
    inserted: int
    updated: int = Field(description="Rows that replaced stored ones (a re-import updates, never adds).")
    platforms: list[str]
    linked_videos: int = Field(description="Distinct contents linked to our videos.")
    first_date: date | None = None
    last_date: date | None = None
    warnings: list[str] = Field(default_factory=list)


class TrackResult(CamelModel):
    received: int
    inserted: int
    updated: int


def parse_period(text: str) -> tuple[date, date]:
    """`2024-06-01..2024-06-28` (or YouTube Studio's `2024-06-01_2024-06-28`) as (first, last) day."""
    for separator in ("..", "_"):
        first, found, last = text.strip().partition(separator)
        if found:
            break
    else:
        raise ValueError(f"expected START..END, e.g. 2024-06-01..2024-06-28, not {text!r}")
    try:
        start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError as exc:
        raise ValueError(f"expected dates as YYYY-MM-DD in {text!r}") from exc
    if end < start:
        raise ValueError(f"the period {text!r} ends before it starts")
    return start, end
