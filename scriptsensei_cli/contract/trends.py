"""Trends (seed: trend service): observations in, scored trends and forecasts out.

Hotness comes from growth (views in the window against the window before) and acceleration
(that growth against the previous window's growth), with the thresholds below.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from .common import ListEnvelope
from .vocabulary import TimeRange

TIME_RANGE_DAYS: dict[str, int] = {"24h": 1, "7d": 7, "30d": 30}
Hotness = Literal["viral", "rising", "steady", "declining"]

# Growth thresholds, percent change of views against the previous window of the same length.
VIRAL_GROWTH = 100.0  # at least doubled, and not slowing down (acceleration >= 0)
RISING_GROWTH = 20.0
DECLINING_GROWTH = -20.0

MAX_HORIZON_DAYS = 90


class Trend(BaseModel):
    id: str
    topic: str
    hashtag: str | None = Field(default=None, description="The primary hashtag, without '#'.")
    hashtags: list[str] = Field(default_factory=list)
    platform: str
    region: str
    category: str | None = None
    views: int = Field(description="Views in the window.")
    views_change: float | None = Field(
        default=None, description="Percent change against the previous window; null when it had none."
    )
    acceleration: float | None = Field(
        default=None, description="views_change minus the previous window's, in percentage points."
    )
    engagement: float | None = Field(default=None, description="Engagement rate, percent (views-weighted).")
    posts: int | None = None
    hotness: Hotness
    score: float = Field(ge=0, le=100)
    predicted_growth: float | None = Field(
        default=None, description="Forecast percent change of the next window against this one."
    )
    confidence: float | None = Field(default=None, ge=0, le=1)
    related_topics: list[str] = Field(default_factory=list)
    last_seen: date | None = Field(default=None, description="The latest day this topic was observed.")


class TrendList(ListEnvelope):
    trends: list[Trend]
    time_range: TimeRange
    as_of: date | None = Field(default=None, description="The latest day observed; windows end here.")


class PredictRequest(BaseModel):
    topic: str = Field(min_length=1, max_length=200)
    horizon: int = Field(default=7, description="Days ahead (or '7d'); 1-90.")
    platform: str | None = None
    region: str | None = None
    interval: float = Field(default=0.8, gt=0.5, lt=1.0, description="Prediction interval coverage.")

    @field_validator("horizon", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower().endswith("d"):
            value = value.strip()[:-1]
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError("expected a number of days such as 7 or '7d'")
        number = int(value) if isinstance(value, str | int) else value
        if isinstance(number, int) and not 1 <= number <= MAX_HORIZON_DAYS:
            raise ValueError(f"must be between 1 and {MAX_HORIZON_DAYS} days")
        return number


class HistoryPoint(BaseModel):
    date: date
    views: float


class ForecastPoint(BaseModel):
    date: date
    views: float
    lower: float
    upper: float


class Backtest(BaseModel):
    """The model against a naive last-value forecast, on the last `holdout` observed days."""

    holdout: int
    mape: float = Field(description="Mean absolute percentage error of the model, percent.")
    naive_mape: float
    relative_mae: float = Field(description="Model MAE / naive MAE: below 1 beats the naive forecast.")


class Prediction(BaseModel):
    topic: str
    platform: str | None = None
    region: str | None = None
    horizon: int
    status: Literal["ok", "insufficient_history"]
    message: str | None = None
    history_points: int
    needed_points: int
    method: str
    interval: float
    history: list[HistoryPoint] = Field(
        default_factory=list, description="The latest observed days the forecast continues (up to 60)."
    )
    forecast: list[ForecastPoint] = Field(default_factory=list)
    predicted_growth: float | None = None
    confidence: float | None = Field(default=None, ge=0, le=1, description="1 - backtest MAPE, clipped.")
    backtest: Backtest | None = None


class TrendImportResult(BaseModel):
    rows: int
    inserted: int
    updated: int
    topics: int
    platforms: list[str]
    first_date: date | None = None
    last_date: date | None = None
    warnings: list[str] = Field(default_factory=list)


class CollectRequest(BaseModel):
    source: Literal["youtube"] = "youtube"
    region: str = Field(default="US", pattern=r"^[A-Za-z]{2}$")
    limit: int = Field(default=50, ge=1, le=50)
