"""/api/v1/analytics: import, track, overview, one video, export (streamed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ....contract.analytics import (
    AnalyticsData,
    ImportResult,
    TrackRequest,
    TrackResult,
    VideoAnalytics,
    parse_period,
)
from ....contract.common import IsoDate
from ....contract.vocabulary import IMPORT_SOURCES, DateRange, ExportFormat
from ...analytics import export as exporter
from ...analytics import importer, overview
from ...analytics import track as tracker
from ...errors import Invalid
from ..context import Context, CurrentUser
from ..idempotency import idempotent
from ..uploads import receive_upload

router = APIRouter(prefix="/analytics", tags=["analytics"])


@router.get("/overview", response_model=AnalyticsData)
def get_overview(
    user: CurrentUser, context: Context, date_range: DateRange = "7d", end: IsoDate | None = None
) -> AnalyticsData:
    """Totals and changes against the previous period of the same length, platforms, top videos,
    views by day. `end` defaults to the latest day any import covers."""
    return overview.overview(context.db, user.id, date_range, end)


@router.get("/videos/{video_id}", response_model=VideoAnalytics)
def get_video(
    video_id: str,
    user: CurrentUser,
    context: Context,
    date_range: DateRange = "all",
    end: IsoDate | None = None,
) -> VideoAnalytics:
    """One video's numbers: by our id (vid_…) or by the platform's video id."""
    return overview.video(context.db, user.id, video_id, date_range, end)


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}, "application/json": {}}}},
)
def export(
    user: CurrentUser,
    context: Context,
    date_range: DateRange = "30d",
    format: ExportFormat = "csv",
    end: IsoDate | None = None,
) -> StreamingResponse:
    """Every stored row of the period, streamed: columns as in `EXPORT_COLUMNS`, ISO dates."""
    window = overview.user_window(context.db, user.id, date_range, end)
    filename = f"analytics-{date_range}-{window.end.isoformat()}.{format}"
    return StreamingResponse(
        exporter.stream(context.db, user.id, window, format),
        media_type=exporter.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/import", response_model=ImportResult)
async def import_file(request: Request, user: CurrentUser, context: Context) -> ImportResult:
    """Multipart: `file` (a CSV export, or the .zip YouTube Studio downloads), optional `source`
    (youtube, tiktok, instagram, generic; detected from the header otherwise), `period`
    (START..END, for YouTube's table export) and `name` (the file's name, which may carry the period)."""
    config = context.config
    upload = await receive_upload(
        request, config.data_dir / "tmp", max_bytes=config.max_upload_bytes, what="the file"
    )
    try:
        source = upload.fields.get("source") or None
        if source is not None and source not in IMPORT_SOURCES:
            raise Invalid(f"unknown source {source!r}; one of {', '.join(IMPORT_SOURCES)}", field="source")
        period = None
        if upload.fields.get("period"):
            try:
                period = parse_period(upload.fields["period"])
            except ValueError as exc:
                raise Invalid(str(exc), field="period") from exc
        assert upload.path is not None
        name = upload.fields.get("name") or upload.filename or "upload.csv"
        return await run_in_threadpool(
            importer.import_file, context.db, user.id, upload.path, name, source=source, period=period
        )
    finally:
        upload.discard()


@router.post("/track", response_model=TrackResult)
def track(body: TrackRequest, request: Request, user: CurrentUser, context: Context) -> JSONResponse:
    """Push daily numbers: each point replaces that day's numbers for its video (never adds)."""

    def record() -> tuple[int, dict[str, object]]:
        result = tracker.track(context.db, user.id, body.metrics)
        return 200, result.model_dump(mode="json")

    return idempotent(request, context.db, user.id, body.model_dump(mode="json"), record)
