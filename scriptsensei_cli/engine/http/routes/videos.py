"""/api/v1/videos: generate (202 + job), list, get, delete, scenes, re-render, files, cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse

from ....common.naming import safe_name
from ....contract import DEFAULT_PAGE_LIMIT, BulkJob, BulkRequest
from ....contract.videos import (
    DownloadUrl,
    FontList,
    GenerateVideoRequest,
    JobStatus,
    Scene,
    SceneList,
    SceneUpdate,
    Video,
    VideoJob,
    VideoList,
)
from ...errors import Conflict, NotFound
from ...services import videos as service
from ...store.objects import OUTPUT_TYPES, MissingObject, output_key
from ..context import Context, CurrentUser
from ..downloads import stored_response
from ..idempotency import idempotent
from ..paging import Limit, Page


def _jobs_running(context: Context) -> None:
    # The embedded engine starts its job runtime on first use: resuming and rendering need it.
    context.jobs.start()


router = APIRouter(prefix="/videos", tags=["videos"], dependencies=[Depends(_jobs_running)])
fonts_router = APIRouter(prefix="/fonts", tags=["videos"])


@fonts_router.get("", response_model=FontList)
def list_fonts(user: CurrentUser) -> FontList:
    """The caption font families this server offers, for `captions.font` (by name; never a path)."""
    return service.offered_fonts()


@router.post("/generate", status_code=202, response_model=VideoJob)
def generate(
    body: GenerateVideoRequest, request: Request, user: CurrentUser, context: Context
) -> JSONResponse:
    def create() -> tuple[int, dict[str, object]]:
        video, job = service.create_video(context.db, context.config, user.id, body)
        context.jobs.enqueue(job.id)
        return 202, VideoJob(job_id=job.id, video_id=video.id, status="pending").model_dump()

    return idempotent(request, context.db, user.id, body.model_dump(mode="json"), create)


@router.post("/bulk", status_code=202, response_model=BulkJob)
def bulk_generate(body: BulkRequest, request: Request, user: CurrentUser, context: Context) -> BulkJob:
    """One video per row; rows are idempotent by their key, so a rerun resumes instead of duplicating."""
    from ...services import bulk

    bulk_id, jobs = bulk.submit(context.db, context.config, user.id, body)
    for job_id in jobs:
        context.jobs.enqueue(job_id)
    return bulk.bulk_status(context.db, user.id, bulk_id)


@router.get("/bulk/{bulk_id}", response_model=BulkJob)
def bulk_status(bulk_id: str, user: CurrentUser, context: Context) -> BulkJob:
    from ...services import bulk

    return bulk.bulk_status(context.db, user.id, bulk_id)


@router.post("/bulk/{bulk_id}/cancel", response_model=BulkJob)
def bulk_cancel(bulk_id: str, user: CurrentUser, context: Context) -> BulkJob:
    from ...services import bulk

    for job_id in bulk.cancel(context.db, user.id, bulk_id):
        context.jobs.cancel(job_id)
    return bulk.bulk_status(context.db, user.id, bulk_id)


@router.get("", response_model=VideoList)
def list_videos(
    user: CurrentUser,
    context: Context,
    page: Page = 1,
    limit: Limit = DEFAULT_PAGE_LIMIT,
    status: JobStatus | None = None,
    platform: str | None = None,
) -> VideoList:
    return service.list_videos(context.db, user.id, page=page, limit=limit, status=status, platform=platform)


@router.get("/{video_id}", response_model=Video)
def get_video(video_id: str, user: CurrentUser, context: Context) -> Video:
    with context.db.session() as session:
        return service.video_out(*service.owned_video(session, user.id, video_id))


@router.delete("/{video_id}", status_code=204)
def delete_video(video_id: str, user: CurrentUser, context: Context) -> Response:
    service.delete_video(context.db, user.id, video_id, context.storage)
    return Response(status_code=204)


@router.get("/{video_id}/scenes", response_model=SceneList)
def scenes(video_id: str, user: CurrentUser, context: Context) -> SceneList:
    with context.db.session() as session:
        video, _ = service.owned_video(session, user.id, video_id)
        return SceneList(scenes=service.scenes_of(video))


@router.patch("/{video_id}/scenes/{index}", response_model=Scene)
def update_scene(video_id: str, index: int, body: SceneUpdate, user: CurrentUser, context: Context) -> Scene:
    return service.update_scene(context.db, context.config, user.id, video_id, index, body)


@router.post("/{video_id}/render", status_code=202, response_model=VideoJob)
def rerender(video_id: str, user: CurrentUser, context: Context) -> VideoJob:
    job = service.rerender(context.db, user.id, video_id)
    context.jobs.enqueue(job.id)
    return VideoJob(job_id=job.id, video_id=video_id, status="pending")


@router.post("/{video_id}/cancel", response_model=Video)
def cancel(video_id: str, user: CurrentUser, context: Context) -> Video:
    with context.db.session() as session:
        _, job = service.owned_video(session, user.id, video_id)
        job_id = job.id
    context.jobs.cancel(job_id)
    with context.db.session() as session:
        return service.video_out(*service.owned_video(session, user.id, video_id))


def _completed_file(context: Context, user_id: str, video_id: str, name: str) -> tuple[Path, str]:
    with context.db.session() as session:
        video, job = service.owned_video(session, user_id, video_id)
        if job.status != "completed":
            raise Conflict(f"video {video_id} is {job.status}, not completed; nothing to download yet")
        path = Path(video.output_dir) / name
        slug = safe_name(video.title or video.id)
    if not context.storage.remote and not path.is_file():
        raise NotFound(f"the file {name} of video {video_id} is missing on the server")
    return path, slug


def _output_file(request: Request, context: Context, user_id: str, video_id: str, name: str) -> Response:
    """A finished video's file: from the data dir, or proxied from object storage (Range included)."""
    path, slug = _completed_file(context, user_id, video_id, name)
    media_type, filename = OUTPUT_TYPES[path.suffix], f"{slug}{path.suffix}"
    if not context.storage.remote:
        return FileResponse(path, media_type=media_type, filename=filename)
    try:
        return stored_response(
            context.storage,
            output_key(user_id, video_id, name),
            range_header=request.headers.get("range"),
            if_range=request.headers.get("if-range"),
            media_type=media_type,
            filename=filename,
        )
    except MissingObject as exc:
        raise NotFound(f"the file {name} of video {video_id} is missing from storage") from exc


@router.get(
    "/{video_id}/download", response_class=FileResponse, responses={200: {"content": {"video/mp4": {}}}}
)
def download(video_id: str, request: Request, user: CurrentUser, context: Context) -> Response:
    """The MP4; supports HTTP Range (resume, seek)."""
    return _output_file(request, context, user.id, video_id, "video.mp4")


@router.get("/{video_id}/download-url", response_model=DownloadUrl)
def download_url(
    video_id: str,
    user: CurrentUser,
    context: Context,
    file: Literal["mp4", "jpg", "srt", "vtt"] = "mp4",
    expires_in: Annotated[int, Query(ge=60, le=7 * 24 * 3600)] = 3600,
) -> DownloadUrl:
    """A presigned URL of the file in object storage, for a browser or a CDN (no token needed
    until it expires); 409 when the server keeps its files in its data dir."""
    path, slug = _completed_file(context, user.id, video_id, f"video.{file}")
    try:
        url = context.storage.presigned_url(
            output_key(user.id, video_id, path.name),
            filename=f"{slug}.{file}",
            content_type=OUTPUT_TYPES[path.suffix],
            expires_in=expires_in,
        )
    except MissingObject as exc:
        raise NotFound(f"the file {path.name} of video {video_id} is missing from storage") from exc
    return DownloadUrl(url=url, expires_at=datetime.now(UTC) + timedelta(seconds=expires_in))


@router.get(
    "/{video_id}/thumbnail", response_class=FileResponse, responses={200: {"content": {"image/jpeg": {}}}}
)
def thumbnail(video_id: str, request: Request, user: CurrentUser, context: Context) -> Response:
    return _output_file(request, context, user.id, video_id, "video.jpg")


@router.get("/{video_id}/captions", response_class=FileResponse)
def captions(
    video_id: str,
    request: Request,
    user: CurrentUser,
    context: Context,
    format: Literal["srt", "vtt"] = "srt",
) -> Response:
    return _output_file(request, context, user.id, video_id, f"video.{format}")
