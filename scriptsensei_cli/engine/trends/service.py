"""The trends service: current trends, search, forecasts, all within one user's observations.

Observations belong to the user who imported (or collected) them, like every other resource: a
team that wants one shared view imports into one account.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ...contract.trends import TIME_RANGE_DAYS, HistoryPoint, Prediction, PredictRequest, Trend, TrendList
from ...contract.vocabulary import TimeRange
from ..analytics.ingest import CellError, platform_name
from ..errors import EngineError, Invalid, NotFound
from ..store.db import Database
from ..store.models import TrendObservation as O
from ..store.models import TrendTopic as T
from . import forecast, scoring, search
from .importer import region_code
from .store import topic_key

HISTORY_SHOWN = 60


def _checked(field: str, value: str | None, parse: Any) -> str | None:
    try:
        return parse(value) if value else None
    except CellError as exc:
        raise Invalid(f"{field}: {exc}", field=field) from exc


def _filters(
    user_id: str, platform: str | None, region: str | None, category: str | None
) -> list[ColumnElement[bool]]:
    where = [T.user_id == user_id]
    if platform := _checked("platform", platform, platform_name):
        where.append(T.platform == platform)
    if region := _checked("region", region, region_code):
        where.append(T.region == region)
    if category:
        where.append(T.category == " ".join(category.lower().split()))
    return where


def current(
    db: Database,
    user_id: str,
    *,
    platform: str | None = None,
    region: str | None = None,
    category: str | None = None,
    time_range: TimeRange = "24h",
    page: int = 1,
    limit: int = 20,
) -> TrendList:
    """Topics observed in the window, best score first."""
    days = TIME_RANGE_DAYS[time_range]
    with db.session() as session:
        as_of = scoring.latest_day(session, user_id)
        if as_of is None:
            return TrendList(trends=[], total=0, page=page, limit=limit, time_range=time_range, as_of=None)
        windows = scoring.Windows(as_of, days)
        rows = scoring.window_stats(session, windows, _filters(user_id, platform, region, category))
        trends = sorted(
            (scoring.build(row, windows) for row in rows if row._mapping["days_0"]),
            key=lambda trend: (-trend.score, -trend.views, trend.topic),
        )
        window = trends[(page - 1) * limit : page * limit]
        _enrich(session, user_id, window, windows)
    return TrendList(
        trends=window,
        total=len(trends),
        page=page,
        limit=limit,
        time_range=time_range,
        as_of=as_of,
    )


def search_trends(
    db: Database, user_id: str, query: str, *, platform: str | None, time_range: TimeRange, limit: int
) -> TrendList:
    """Topics matching the query, best match first, with their numbers over the window."""
    days = TIME_RANGE_DAYS[time_range]
    with db.session() as session:
        platform = _checked("platform", platform, platform_name)
        where = _filters(user_id, platform, None, None)
        ids = search.search(session, user_id, query, platform, limit)
        as_of = scoring.latest_day(session, user_id)
        trends: list[Trend] = []
        if ids and as_of is not None:
            windows = scoring.Windows(as_of, days)
            built = {
                row._mapping[T].id: scoring.build(row, windows)
                for row in scoring.window_stats(session, windows, [*where, T.id.in_(ids)])
            }
            trends = [built[topic_id] for topic_id in ids if topic_id in built]
            _enrich(session, user_id, trends, windows)
    return TrendList(
        trends=trends, total=len(trends), page=1, limit=limit, time_range=time_range, as_of=as_of
    )


def _enrich(session: Session, user_id: str, trends: list[Trend], windows: scoring.Windows) -> None:
    """Related topics, and a forecast of the next window against this one."""
    related = scoring.related_topics(session, user_id, [trend.id for trend in trends])
    for trend in trends:
        trend.related_topics = related.get(trend.id, [])
        series = _series(session, [T.id == trend.id])
        outcome = forecast.forecast(series, windows.days)
        if isinstance(outcome, forecast.Forecast):
            trend.predicted_growth = outcome.growth
            trend.confidence = outcome.confidence


def _series(session: Session, where: list[Any]) -> list[tuple[date, float]]:
    """Daily views, summed over the matching topics (a topic on several platforms, say)."""
    rows = session.execute(
        select(O.date, func.sum(O.views))
        .join(T, T.id == O.topic_id)
        .where(*where)
        .group_by(O.date)
        .order_by(O.date)
    ).all()
    return [(day, float(views)) for day, views in rows]


def predict(db: Database, user_id: str, request: PredictRequest) -> Prediction:
    where = [
        *_filters(user_id, request.platform, request.region, None),
        T.topic_key == topic_key(request.topic),
    ]
    with db.session() as session:
        name = session.scalar(select(T.topic).where(*where).order_by(T.created_at).limit(1))
        if name is None:
            raise _unknown_topic(session, user_id, request.topic)
        series = _series(session, where)
    needed = forecast.needed_points(request.horizon)
    common: dict[str, Any] = {
        "topic": name,
        "platform": request.platform,
        "region": request.region,
        "horizon": request.horizon,
        "needed_points": needed,
        "method": forecast.METHOD,
        "interval": request.interval,
    }
    outcome = forecast.forecast(series, request.horizon, request.interval)
    if not isinstance(outcome, forecast.Forecast):
        return Prediction(
            **common,
            status="insufficient_history",
            history_points=outcome,
            message=(
                f"insufficient history ({outcome} points, need {needed}): a {request.horizon}-day forecast "
                f"holds out {request.horizon} days to test itself and fits on at least "
                f"{forecast.MIN_FIT_POINTS} before them"
            ),
        )
    return Prediction(
        **common,
        status="ok",
        history_points=outcome.history,
        history=[
            HistoryPoint(date=day, views=views)
            for day, views in zip(outcome.days[-HISTORY_SHOWN:], outcome.values[-HISTORY_SHOWN:], strict=True)
        ],
        forecast=outcome.points,
        predicted_growth=outcome.growth,
        confidence=outcome.confidence,
        backtest=outcome.backtest,
    )


def _unknown_topic(session: Session, user_id: str, topic: str) -> EngineError:
    names = list(session.scalars(select(T.topic).where(T.user_id == user_id).distinct()))
    suggestions = difflib.get_close_matches(topic, names, n=3, cutoff=0.6)
    hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else "; see `ss trends list`"
    return NotFound(f"no trend topic {topic!r}{hint}", details={"topic": topic, "suggestions": suggestions})
