"""The exports `ss analytics import` reads, recognised by their header, and how a row becomes a record.

| format          | file (as downloaded)                          | grain                     |
|-----------------|-----------------------------------------------|---------------------------|
| youtube_table   | YouTube Studio "Table data.csv"               | per video, for a period   |
| youtube_chart   | YouTube Studio "Chart data.csv"               | per video, per day        |
| youtube_totals  | YouTube Studio "Totals.csv"                   | the channel, per day      |
| tiktok_overview | TikTok Studio "Overview.csv"                  | the account, per day      |
| instagram_posts | Meta Business Suite posts and reels export    | per post, per day or life |
| generic         | our documented CSV (README, "Analytics")      | per video or account, day |
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ...contract.analytics import METRIC_FIELDS
from .ingest import (
    CellError,
    DateReader,
    content_id_from_url,
    parse_count,
    parse_decimal,
    parse_duration,
    platform_name,
)

AVERAGE_VIEW_SECONDS = "average_view_seconds"
# Metric columns as the platforms head them (normalized: lower case, single spaces).
PLATFORM_METRICS = {
    "views": "views",
    "video views": "views",
    "likes": "likes",
    "comments": "comments",
    "comments added": "comments",
    "shares": "shares",
    "watch time (hours)": "watch_time_hours",
    "subscribers": "subscribers",
    "follows": "subscribers",
    "impressions": "impressions",
    "impressions click-through rate (%)": "impressions_ctr",
    # Not stored: it gives the watch time of an export that has no "Watch time (hours)" column.
    "average view duration": AVERAGE_VIEW_SECONDS,
    "profile views": "profile_views",
    "profile visits": "profile_views",
}
GENERIC_METRICS = {name: name for name in METRIC_FIELDS}
GENERIC_FIELDS = (
    "date",
    "end_date",
    "platform",
    "video_id",
    "platform_video_id",
    "content_id",
    "url",
    "title",
)

# Lifetime rows (Meta's "Lifetime" date) are stored as a period from the publish day to the import day.
LIFETIME = "lifetime"
_PERIOD_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\s*[_–-]+\s*(\d{4}-\d{2}-\d{2})")


def parse_metric(field: str, text: str) -> int | float | None:
    if field == AVERAGE_VIEW_SECONDS:
        return parse_duration(text)  # 0:01:23
    if field == "watch_time_hours":
        value = parse_decimal(text)
        if value is not None and value < 0:
            raise CellError("expected zero or more hours")
        return value
    if field == "impressions_ctr":
        return parse_decimal(text, percent=True)
    return parse_count(text, signed=field == "subscribers")


def derive(record: dict[str, Any]) -> None:
    """Fill what the export implies: watch hours from the average view duration and the views."""
    seconds = record.pop(AVERAGE_VIEW_SECONDS, None)
    if record.get("watch_time_hours") is None and seconds is not None and record.get("views") is not None:
        record["watch_time_hours"] = round(seconds * record["views"] / 3600, 4)


def period_from_name(name: str) -> tuple[date, date] | None:
    """YouTube Studio names its download `Content 2024-06-01_2024-06-28 Channel.zip`."""
    match = _PERIOD_IN_NAME.search(name)
    if match is None:
        return None
    return date.fromisoformat(match[1]), date.fromisoformat(match[2])


@dataclass
class RowContext:
    """What a row reader needs beyond the row: dates, the period of a period export, today."""

    dates: DateReader
    period: tuple[date, date] | None
    today: date


Cells = dict[str, str]  # normalized column name → raw text
Reader = Callable[[Cells, RowContext], dict[str, Any] | None]


@dataclass(frozen=True)
class Format:
    name: str
    source: str
    label: str
    required: tuple[str, ...]
    metrics: dict[str, str]
    read: Reader
    # Columns the export writes that are read for something other than a metric, or knowingly unused.
    known: tuple[str, ...] = ()
    grain: str = "daily"
    month_first: bool | None = None
    yearless_dates: bool = False  # TikTok writes "October 31"
    # Only recognised when the source or the file name says so (its header is too plain to tell).
    needs_hint: str | None = None

    def matches(self, columns: set[str]) -> bool:
        return set(self.required) <= columns

    def columns_for(self, columns: list[str]) -> dict[str, str]:
        """Normalized column → the metric it fills, for the columns this file has."""
        return {name: self.metrics[name] for name in columns if name in self.metrics}


def _metrics(cells: Cells, mapping: dict[str, str]) -> dict[str, Any]:
    return {field: parse_metric(field, cells[column]) for column, field in mapping.items() if column in cells}


def _date(cells: Cells, column: str, context: RowContext) -> date:
    value = context.dates(cells.get(column, ""))
    if value is None:
        raise CellError("a date is required", column)
    return value


def _youtube_table(cells: Cells, context: RowContext) -> dict[str, Any] | None:
    if cells["content"].strip().lower() == "total":
        return None
    assert context.period is not None  # checked once per file, before any row
    start, end = context.period
    return {
        "platform": "youtube",
        "content_id": cells["content"].strip(),
        "start_date": start,
        "end_date": end,
        "title": cells.get("video title", "").strip() or None,
    }


def _youtube_chart(cells: Cells, context: RowContext) -> dict[str, Any] | None:
    if cells["content"].strip().lower() == "total":
        return None
    day = _date(cells, "date", context)
    return {
        "platform": "youtube",
        "content_id": cells["content"].strip(),
        "start_date": day,
        "end_date": day,
        "title": cells.get("video title", "").strip() or None,
    }


def _account_day(platform: str) -> Reader:
    def read(cells: Cells, context: RowContext) -> dict[str, Any]:
        day = _date(cells, "date", context)
        return {"platform": platform, "content_id": "", "start_date": day, "end_date": day, "title": None}

    return read


def _instagram(cells: Cells, context: RowContext) -> dict[str, Any]:
    published = context.dates(cells["publish time"])
    when = cells.get("date", LIFETIME).strip()
    if when.lower() in ("", LIFETIME):
        if published is None:
            raise CellError("a lifetime row needs its publish time", "publish time")
        start, end = published, context.today
    else:
        start = end = _date(cells, "date", context)
    title = " ".join(cells.get("description", "").split())[:300] or None
    return {
        "platform": "instagram",
        "content_id": cells["post id"].strip(),
        "start_date": start,
        "end_date": end,
        "title": title,
    }


def _generic(cells: Cells, context: RowContext) -> dict[str, Any]:
    try:
        platform = platform_name(cells["platform"])
    except CellError as exc:
        raise CellError(str(exc), "platform") from exc
    start = _date(cells, "date", context)
    end = context.dates(cells.get("end_date", "")) or start
    if end < start:
        raise CellError("end_date is before date", "end_date")
    title = cells.get("title", "").strip()[:300] or None
    video_id = cells.get("video_id", "").strip() or None
    platform_id = cells.get("platform_video_id", "").strip() or cells.get("content_id", "").strip()
    return {
        "platform": platform,
        "content_id": content_key(platform_id, cells.get("url", ""), video_id, title),
        "start_date": start,
        "end_date": end,
        "title": title,
        "video_id": video_id,
    }


def content_key(platform_id: str | None, url: str | None, video_id: str | None, title: str | None) -> str:
    """What identifies a video on its platform: its id, else the id in its URL, else our id, else
    its title. Empty when nothing does: the row is then the whole account's."""
    if platform_id:
        return platform_id.strip()
    if url and url.strip():
        found = content_id_from_url(url)
        if found is None:
            raise CellError("no video id found in this URL", "url")
        return found
    return (video_id or title or "").strip()[:200]


YOUTUBE_EXTRA = ("video publish time", "duration", "average percentage viewed (%)")

# First match wins: the chart export has every column the table export has, and a date.
FORMATS: tuple[Format, ...] = (
    Format(
        "youtube_chart",
        "youtube",
        "YouTube Studio chart export (Chart data.csv)",
        ("date", "content", "views"),
        PLATFORM_METRICS,
        _youtube_chart,
        known=("video title", *YOUTUBE_EXTRA),
    ),
    Format(
        "youtube_table",
        "youtube",
        "YouTube Studio table export (Table data.csv)",
        ("content", "video title", "views"),
        PLATFORM_METRICS,
        _youtube_table,
        known=YOUTUBE_EXTRA,
        grain="period",
    ),
    Format(
        "tiktok_overview",
        "tiktok",
        "TikTok Studio overview export (Overview.csv)",
        ("date", "video views"),
        PLATFORM_METRICS,
        _account_day("tiktok"),
        yearless_dates=True,
    ),
    Format(
        "instagram_posts",
        "instagram",
        "Meta Business Suite posts and reels export",
        ("post id", "publish time"),
        PLATFORM_METRICS,
        _instagram,
        known=(
            "account id",
            "account username",
            "account name",
            "description",
            "duration (sec)",
            "permalink",
            "post type",
            "data comment",
            "date",
            "reach",
            "saves",
        ),
        month_first=True,
    ),
    Format(
        "generic",
        "generic",
        "generic daily metrics CSV",
        ("date", "platform", "views"),
        GENERIC_METRICS,
        _generic,
        known=GENERIC_FIELDS,
    ),
    Format(
        "youtube_totals",
        "youtube",
        "YouTube Studio totals export (Totals.csv)",
        ("date", "views"),
        PLATFORM_METRICS,
        _account_day("youtube"),
        needs_hint="totals",
    ),
)
