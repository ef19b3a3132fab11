"""/api/v1/trends: current, by platform, search, predict; import and collect observations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from ....contract import DEFAULT_PAGE_LIMIT
from ....contract.trends import CollectRequest, Prediction, PredictRequest, TrendImportResult, TrendList
from ....contract.vocabulary import TimeRange
from ...analytics.ingest import today_utc
from ...trends import collectors, service
from ...trends import importer as trend_importer
from ..context import Context, CurrentUser
from ..paging import Limit, Page
from ..uploads import receive_upload

router = APIRouter(prefix="/trends", tags=["trends"])


@router.get("/current", response_model=TrendList)
def current(
    user: CurrentUser,
    context: Context,
    platform: str | None = None,
    region: str | None = None,
    category: str | None = None,
    time_range: TimeRange = "24h",
    page: Page = 1,
    limit: Limit = DEFAULT_PAGE_LIMIT,
) -> TrendList:
    """Trends over the window ending on the latest observed day, best score first."""
    return service.current(
        context.db,
        user.id,
        platform=platform,
        region=region,
        category=category,
        time_range=time_range,
        page=page,
        limit=limit,
    )


@router.get("/platform/{platform}", response_model=TrendList)
def by_platform(
    platform: str,
    user: CurrentUser,
    context: Context,
    region: str | None = None,
    category: str | None = None,
    time_range: TimeRange = "24h",
    page: Page = 1,
    limit: Limit = DEFAULT_PAGE_LIMIT,
) -> TrendList:
    """The same as /trends/current?platform=…"""
    return current(user, context, platform, region, category, time_range, page, limit)


@router.get("/search", response_model=TrendList)
def search(
    user: CurrentUser,
    context: Context,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    platform: str | None = None,
    time_range: TimeRange = "7d",
    limit: Limit = DEFAULT_PAGE_LIMIT,
) -> TrendList:
    """Full-text search over topics, hashtags and categories, best match first."""
    return service.search_trends(
        context.db, user.id, q, platform=platform, time_range=time_range, limit=limit
    )


@router.post("/predict", response_model=Prediction)
def predict(body: PredictRequest, user: CurrentUser, context: Context) -> Prediction:
    """Forecast a topic's daily views with a prediction interval and a backtest against naive;
    `status: insufficient_history` (and no numbers) when the topic has too few days."""
    return service.predict(context.db, user.id, body)


@router.post("/import", response_model=TrendImportResult)
async def import_observations(request: Request, user: CurrentUser, context: Context) -> TrendImportResult:
    """Multipart `file`: CSV or JSON observations (README, "Trends")."""
    config = context.config
    upload = await receive_upload(
        request, config.data_dir / "tmp", max_bytes=config.max_upload_bytes, what="the file"
    )
    try:
        assert upload.path is not None
        name = upload.fields.get("name") or upload.filename or "upload.csv"
        return await run_in_threadpool(
            trend_importer.import_file, context.db, user.id, upload.path, name, today_utc()
        )
    finally:
        upload.discard()


@router.post("/collect", response_model=TrendImportResult)
def collect(body: CollectRequest, user: CurrentUser, context: Context) -> TrendImportResult:
    """Record today's YouTube most-popular chart (needs SCRIPTSENSEI_YOUTUBE_API_KEY on the engine)."""
    return collectors.collect(context.db, user.id, body, today_utc())
