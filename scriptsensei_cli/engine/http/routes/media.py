"""/api/v1/media: upload (streamed, content-sniffed), list, get, files, delete; stock; generated."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from ....contract import DEFAULT_PAGE_LIMIT
from ....contract.media import (
    GenerateMediaRequest,
    MediaCheck,
    MediaCheckRequest,
    MediaItem,
    MediaList,
    StockImportRequest,
    StockResults,
)
from ...errors import NotFound
from ...media import library
from ...services import videos
from ...store.objects import stored_key
from ..context import Context, CurrentUser
from ..downloads import stored_response
from ..paging import Limit, Page
from ..uploads import receive_upload

router = APIRouter(prefix="/media", tags=["media"])


@router.post("/upload", status_code=201, response_model=MediaItem)
async def upload(request: Request, user: CurrentUser, context: Context) -> MediaItem:
    """Multipart with one `file` part: an image or a video, judged by its content."""
    config = context.config
    received = await receive_upload(
        request, library.media_dir(config.data_dir, user.id), max_bytes=config.max_upload_bytes
    )
    try:
        return await run_in_threadpool(
            library.add_upload, context.db, config.data_dir, user.id, received, storage=context.storage
        )
    except BaseException:
        received.discard()
        raise


@router.post("/check", response_model=MediaCheck)
def check(body: MediaCheckRequest, user: CurrentUser, context: Context) -> MediaCheck:
    """Would a video request naming these files (paths or media ids) be refused, and why? The same
    check its creation makes (an image or a video whose first picture decodes; music with audio),
    made now and kept nowhere: what `ss bulk --dry-run` asks before anything renders."""
    return videos.check_files(context.db, context.config, user.id, body)


@router.get("/user", response_model=MediaList)
def list_media(
    user: CurrentUser,
    context: Context,
    type: Literal["image", "video"] | None = None,
    source: Literal["upload", "generated", "stock"] | None = None,
    page: Page = 1,
    limit: Limit = DEFAULT_PAGE_LIMIT,
) -> MediaList:
    return library.list_media(context.db, user.id, kind=type, source=source, page=page, limit=limit)


@router.get("/stock", response_model=StockResults)
def stock(
    user: CurrentUser,
    context: Context,
    query: str = "",
    type: Literal["image", "video"] | None = None,
    orientation: Literal["portrait", "landscape", "square"] | None = None,
    page: Page = 1,
    limit: Limit = DEFAULT_PAGE_LIMIT,
) -> StockResults:
    """The user's media folders (always), Pexels and Pixabay (when their keys are set), Openverse and
    Wikimedia Commons (no key), unless the server turns online media off. A source that fails or is
    cooling down after a rate limit adds a warning instead of items."""
    return library.search_stock(
        context.config, query, kind=type, orientation=orientation, page=page, limit=limit
    )


@router.post("/stock/import", status_code=201, response_model=MediaItem)
def import_stock(body: StockImportRequest, user: CurrentUser, context: Context) -> MediaItem:
    return library.import_stock(context.db, context.config, user.id, body.id)


@router.post("/ai/generate", status_code=201, response_model=MediaItem)
def generate(body: GenerateMediaRequest, user: CurrentUser, context: Context) -> MediaItem:
    """Built in: procedural backgrounds (gradient, bokeh, geometric, paper), the same prompt, style
    and size always giving the same image; `provider` names a configured image service instead."""
    return library.generate(context.db, context.config, user.id, body)


@router.get("/{media_id}", response_model=MediaItem)
def get_media(media_id: str, user: CurrentUser, context: Context) -> MediaItem:
    return library.media_out(library.owned_media(context.db, user.id, media_id))


def _stored_file(
    request: Request, context: Context, path: str, media_type: str, filename: str | None = None
) -> Response:
    """A media file from the data dir, or proxied from object storage (`storage:` reference)."""
    key = stored_key(path)
    if key is None:
        return FileResponse(path, media_type=media_type, filename=filename)
    return stored_response(
        context.storage,
        key,
        range_header=request.headers.get("range"),
        if_range=request.headers.get("if-range"),
        media_type=media_type,
        filename=filename,
    )


@router.get("/{media_id}/file", response_class=FileResponse)
def media_file(media_id: str, request: Request, user: CurrentUser, context: Context) -> Response:
    row = library.owned_media(context.db, user.id, media_id)
    return _stored_file(request, context, row.path, row.mime_type, row.name)


@router.get("/{media_id}/thumbnail", response_class=FileResponse)
def media_thumbnail(media_id: str, request: Request, user: CurrentUser, context: Context) -> Response:
    row = library.owned_media(context.db, user.id, media_id)
    if not row.thumbnail_path:
        raise NotFound(f"media {media_id} has no thumbnail")
    return _stored_file(request, context, row.thumbnail_path, "image/jpeg")


@router.delete("/{media_id}", status_code=204)
def delete_media(media_id: str, user: CurrentUser, context: Context) -> None:
    library.delete_media(context.db, user.id, media_id, context.storage)
