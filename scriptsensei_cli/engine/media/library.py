"""A user's media library: stored files, their thumbnails, and the rules for deleting them.

Files live under `<data dir>/media/<user id>/` with generated names; the row keeps the uploader's
file name for display only. Deleting an item that a queued or rendering video uses is refused
(409, naming the videos): the render reads the file when it runs, and copying every item into every
job would double the disk a batch needs. Finished videos do not need their media any more, except
for a re-render, which then names the missing item.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from ...common.atomic import atomic_path
from ...contract.media import GenerateMediaRequest, MediaList, StockResults, is_media_id
from ...contract.media import MediaItem as MediaOut
from ..errors import Conflict, Invalid, NotFound, Unsupported, UpstreamFailed, not_found
from ..store.db import Database, page_of
from ..store.models import Job, MediaItem, Video
from ..store.models import new_id as new_row_id
from ..store.objects import STORED, Storage, media_key, open_storage, stored_key
from ..store.uploads import Upload
from .sniff import EXTENSIONS, Sniffed, sniff

THUMBNAIL_WIDTH = 320
ACTIVE_STATUSES = ("pending", "processing")
_TAG_SPLIT = re.compile(r"[^0-9a-zA-Z\u00c0-\uffff]+|(?<=[a-z])(?=[A-Z])")


def media_dir(data_dir: Path, user_id: str) -> Path:
    return data_dir / "media" / user_id


def media_out(row: MediaItem) -> MediaOut:
    details = row.details or {}
    return MediaOut(
        id=row.id,
        type=row.kind,
        source=row.source,
        name=row.name,
        mime_type=row.mime_type,
        size_bytes=row.size_bytes,
        width=row.width,
        height=row.height,
        duration=row.duration,
        sha256=row.sha256,
        url=f"/api/v1/media/{row.id}/file",
        thumbnail_url=f"/api/v1/media/{row.id}/thumbnail" if row.thumbnail_path else None,
        tags=row.tags or [],
        author=details.get("author"),
        licence=details.get("licence"),
        prompt=details.get("prompt"),
        style=details.get("style"),
        created_at=row.created_at,
    )


def tags_from_name(name: str) -> list[str]:
    """Search words from a file name: `Beach_sunset-2024.jpg` → ["beach", "sunset", "2024"]."""
    stem = Path(name).stem
    seen: dict[str, None] = {}
    for part in _TAG_SPLIT.split(stem):
        if len(part) > 1:
            seen.setdefault(part.lower(), None)
    return list(seen)


def add_upload(
    db: Database, data_dir: Path, user_id: str, upload: Upload, *, storage: Storage | None = None
) -> MediaOut:
    """Keep an uploaded file if its content is an image or a video: 400 naming the file when ffmpeg
    cannot decode it, 415 naming what it is when it is something else."""
    assert upload.path is not None
    found = sniff(upload.path)
    if found.damaged:  # the right kind of file, but the render could not use it: invalid, not unsupported
        upload.discard()
        raise Invalid(
            f"{upload.filename or 'upload'}: {found.description}",
            field="file",
            details={"found": found.description, "mime_type": found.mime_type},
        )
    if found.kind not in ("image", "video"):
        upload.discard()
        raise Unsupported(
            f"{upload.filename or 'upload'}: expected an image or a video, found {found.description}",
            field="file",
            details={"found": found.description, "mime_type": found.mime_type},
        )
    name = upload.filename or f"upload{EXTENSIONS.get(found.mime_type, '')}"
    return add_file(
        db,
        data_dir,
        user_id,
        upload.path,
        found,
        source="upload",
        name=name,
        sha256=upload.sha256,
        tags=tags_from_name(name),
        storage=storage,
    )


def add_file(
    db: Database,
    data_dir: Path,
    user_id: str,
    source_path: Path,
    found: Sniffed,
    *,
    source: str,
    name: str,
    sha256: str,
    tags: list[str],
    details: dict[str, Any] | None = None,
    move: bool = True,
    storage: Storage | None = None,
) -> MediaOut:
    """Store `source_path` (moved, or copied when `move` is false) as a new item with a thumbnail;
    with object storage, both files then move into the bucket."""
    info = found.info
    assert info is not None
    media_id = new_row_id("med")
    directory = media_dir(data_dir, user_id)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{media_id}{EXTENSIONS.get(found.mime_type, '.bin')}"
    if move:
        source_path.replace(path)
    else:
        with atomic_path(path, fsync=True) as partial:
            shutil.copyfile(source_path, partial)
    thumbnail = _thumbnail(path, directory / f"{media_id}.thumb.jpg", found.kind, info.duration)
    row = MediaItem(
        id=media_id,
        user_id=user_id,
        kind=found.kind,
        source=source,
        name=name[:300],
        path=str(path),
        mime_type=found.mime_type,
        size_bytes=path.stat().st_size,
        width=info.width,
        height=info.height,
        duration=info.duration if found.kind == "video" else None,
        sha256=sha256,
        thumbnail_path=str(thumbnail) if thumbnail else None,
        tags=tags,
        details=details or {},
    )
    if storage is not None and storage.remote:
        _move_to_storage(storage, row)
    with db.session() as session:
        session.add(row)
    return media_out(row)


def _move_to_storage(storage: Storage, row: MediaItem) -> None:
    """Upload the item and its thumbnail; the row then names them by `storage:` reference."""
    files = [Path(p) for p in (row.path, row.thumbnail_path) if p]
    try:
        for path in files:
            storage.upload(
                media_key(row.user_id, path.name), path, "image/jpeg" if path != files[0] else row.mime_type
            )
    finally:
        for path in files:
            path.unlink(missing_ok=True)
    refs = [STORED + media_key(row.user_id, path.name) for path in files]
    row.path, row.thumbnail_path = refs[0], (refs[1] if len(refs) > 1 else None)


def _thumbnail(path: Path, out: Path, kind: str, duration: float | None) -> Path | None:
    """A 320-pixel-wide JPEG: the image itself, or a frame a tenth of the way into a clip."""
    from ..render.ffmpeg import ffmpeg_exe

    seek = ["-ss", f"{min((duration or 0) * 0.1, 5):.2f}"] if kind == "video" else []
    try:
        with atomic_path(out) as partial:
            subprocess.run(
                [ffmpeg_exe(), "-nostdin", "-v", "error", "-y", *seek, "-i", str(path), "-frames:v", "1",
                 "-vf", f"scale={THUMBNAIL_WIDTH}:-2", "-q:v", "4", str(partial)],
                capture_output=True,
                timeout=60,
                check=True,
            )  # fmt: skip
    except (subprocess.CalledProcessError, FileNotFoundError):  # ffmpeg failed, or wrote no frame
        return None
    return out


def list_media(
    db: Database, user_id: str, *, kind: str | None, source: str | None, page: int, limit: int
) -> MediaList:
    filters: list[Any] = [MediaItem.user_id == user_id]
    if kind:
        filters.append(MediaItem.kind == kind)
    if source:
        filters.append(MediaItem.source == source)
    query = select(MediaItem).where(*filters).order_by(MediaItem.created_at.desc(), MediaItem.id)
    with db.session() as session:
        rows, total = page_of(session, query, page=page, limit=limit)
        return MediaList(media=[media_out(r) for r in rows.scalars()], total=total, page=page, limit=limit)


def owned_media(db: Database, user_id: str, media_id: str) -> MediaItem:
    with db.session() as session:
        row = session.get(MediaItem, media_id)
        if row is None or row.user_id != user_id:
            raise not_found("media", media_id)
        return row


def resolve(db: Database, user_id: str, value: str, field: str) -> str | None:
    """The stored path of a media id the user owns; None when `value` is not a media id."""
    if not is_media_id(value):
        return None
    with db.session() as session:
        row = session.get(MediaItem, value)
        if row is None or row.user_id != user_id:
            raise Invalid(f"{field}: no media {value!r} in your library (see `ss media list`)", field=field)
        if stored_key(row.path) is None and not Path(row.path).is_file():
            raise Conflict(f"{field}: the file of media {value!r} is missing from the server", field=field)
        return row.path


def delete_media(db: Database, user_id: str, media_id: str, storage: Storage | None = None) -> None:
    """Delete an item and its files (objects first: the row stays if the store fails); 409 while a
    queued or rendering video uses it."""
    with db.session() as session:
        row = session.get(MediaItem, media_id)
        if row is None or row.user_id != user_id:
            raise not_found("media", media_id)
        users = [
            video.id
            for video, _job in session.execute(
                select(Video, Job)
                .join(Job, Job.id == Video.job_id)
                .where(Video.user_id == user_id, Job.status.in_(ACTIVE_STATUSES))
            )
            if row.path in _paths_of(video)
        ]
        if users:
            raise Conflict(
                f"media {media_id} is used by {len(users)} video(s) still queued or rendering "
                f"({', '.join(users[:5])}); delete it when they finish, or cancel them",
                details={"videos": users},
            )
        paths = [row.path, row.thumbnail_path]
        keys = [key for key in map(stored_key, paths) if key]
        if keys and storage is not None:
            storage.delete(keys)
        session.delete(row)
    for path in paths:
        if path and stored_key(path) is None:
            Path(path).unlink(missing_ok=True)


def _paths_of(video: Video) -> set[str]:
    paths = {m for m in video.spec.get("media", []) if m}
    paths.update(s["media"] for s in video.scenes if s.get("media"))
    return paths


# -- stock search and import ------------------------------------------------------------------------


def _remember(cache: Path, items: list[Any]) -> None:
    """Keep each remote result (download link, author, licence) so `import` can find it by id."""
    import json

    cache.mkdir(parents=True, exist_ok=True)
    for item in items:
        if item.download_url:
            (cache / f"{_safe_id(item.id)}.json").write_text(json.dumps(item.record()))


def _recall(cache: Path, item_id: str) -> Any:
    import json

    from .stock import StockItem

    path = cache / f"{_safe_id(item_id)}.json"
    if not path.is_file():
        return None
    return StockItem.from_record(json.loads(path.read_text()))


def _safe_id(item_id: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]", "_", item_id)


@contextmanager
def _stock_providers(config: Any) -> Iterator[tuple[list[Any], Path]]:
    """The configured stock sources and their download cache; the remote ones' HTTP clients are
    closed afterwards."""
    from . import stock

    cache = config.data_dir / "cache" / "stock"
    providers = stock.providers_from_config(config, cache)
    try:
        yield providers, cache
    finally:
        for provider in providers:
            close = getattr(provider, "close", None)
            if close is not None:
                close()


def search_stock(
    config: Any, query: str, *, kind: str | None, orientation: str | None, page: int, limit: int
) -> StockResults:
    from . import stock

    with _stock_providers(config) as (providers, cache):
        try:
            found = stock.search_stock(
                providers, query, kind=kind, orientation=orientation, page=page, limit=limit
            )
        except ValidationError:
            raise  # a source sent an item of the wrong shape: the server's fault, not the request's
        except ValueError as exc:
            raise Invalid(str(exc)) from exc
    _remember(cache / "items", found.items)
    return StockResults(
        items=[item.public() for item in found.items],
        total=found.total,
        page=page,
        limit=limit,
        warnings=found.warnings,
    )


def import_stock(db: Database, config: Any, user_id: str, item_id: str) -> MediaOut:
    """Copy a stock result into the user's library, with its author and licence."""
    from . import stock

    with _stock_providers(config) as (providers, cache):
        local = next((p for p in providers if isinstance(p, stock.LocalLibrary)), None)
        item = local.get(item_id) if local is not None and item_id.startswith("local:") else None
        item = item or _recall(cache / "items", item_id)
        if item is None:
            raise NotFound(
                f"stock item {item_id!r} not found; search first (ss media stock QUERY)", field="id"
            )
        try:
            path = stock.fetch_stock(providers, item, cache)
        except stock.StockProviderError as exc:
            raise UpstreamFailed(exc.message, details={"provider": exc.provider}) from exc
    found = sniff(path)
    if found.kind not in ("image", "video"):
        raise UpstreamFailed(f"{item.provider} sent {found.description} for {item_id}, not an image or video")
    return add_file(
        db,
        config.data_dir,
        user_id,
        path,
        found,
        source="stock",
        name=(item.title or item.id)[:200] + EXTENSIONS.get(found.mime_type, ""),
        sha256=_sha256(path),
        tags=list(item.tags),
        details={
            "author": item.author,
            "licence": item.licence,
            "stock_id": item.id,
            "page_url": item.page_url,
        },
        move=False,
        storage=open_storage(config),
    )


def _sha256(path: Path) -> str:
    from ...common.checksum import sha256_of

    return sha256_of(path)


# -- generated images -------------------------------------------------------------------------------


def generate(db: Database, config: Any, user_id: str, request: GenerateMediaRequest) -> MediaOut:
    """A procedural background (deterministic from prompt, style and size), or a configured image
    service's picture when the request names it."""
    from . import generate as generator
    from .stock import tokenize

    directory = media_dir(config.data_dir, user_id)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f".generated-{new_row_id('tmp')}.png"
    details: dict[str, Any] = {"prompt": request.prompt, "style": request.style}
    try:
        if request.provider is None:
            try:
                generator.generate_image(request.prompt, request.style, request.width, request.height, target)
            except ValueError as exc:
                raise Invalid(str(exc), field="style" if "style" in str(exc) else "width") from exc
            details["generator"] = "procedural"
        else:
            provider = generator.image_provider_from_config(config)
            if provider is None or provider.name != request.provider:
                raise Invalid(
                    f"provider: no image service {request.provider!r} is configured on this server "
                    "(set SCRIPTSENSEI_IMAGE_API_URL and SCRIPTSENSEI_IMAGE_API_KEY); "
                    "leave --provider out for the built-in generator",
                    field="provider",
                )
            try:
                target = provider.generate(
                    request.prompt, request.style, request.width, request.height, target
                )
            except generator.ImageProviderError as exc:
                raise UpstreamFailed(exc.message, details={"provider": exc.provider}) from exc
            details["generator"] = provider.name
        found = sniff(target)
        if found.kind != "image":
            raise UpstreamFailed(f"the image service sent {found.description}, not an image")
        return add_file(
            db,
            config.data_dir,
            user_id,
            target,
            found,
            source="generated",
            name=f"{'-'.join(tokenize(request.prompt)[:6]) or 'image'}-{request.style}.png",
            sha256=_sha256(target),
            tags=tokenize(request.prompt),
            details=details,
            storage=open_storage(config),
        )
    finally:
        target.unlink(missing_ok=True)
