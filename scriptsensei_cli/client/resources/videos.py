"""Video service: renders, their state and files."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from ...contract import (
    BulkJob,
    BulkRequest,
    DownloadUrl,
    FontList,
    GenerateVideoRequest,
    Scene,
    SceneList,
    SceneUpdate,
    Video,
    VideoJob,
    VideoList,
)
from .._base import HTTPClient

CHUNK = 1 << 16


class VideosResource:
    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    def generate(self, request: GenerateVideoRequest, *, idempotency_key: str | None = None) -> VideoJob:
        body = request.model_dump(mode="json")
        return self._http.request_model(
            VideoJob, "POST", "/videos/generate", json_body=body, idempotency_key=idempotency_key
        )

    def list(
        self, *, page: int = 1, limit: int = 20, status: str | None = None, platform: str | None = None
    ) -> VideoList:
        params = {"page": page, "limit": limit, "status": status, "platform": platform}
        return self._http.request_model(VideoList, "GET", "/videos", params=params)

    def fonts(self) -> FontList:
        """The caption font families the server offers, for `CaptionOptions.font`."""
        return self._http.request_model(FontList, "GET", "/fonts")

    def get(self, video_id: str) -> Video:
        return self._http.request_model(Video, "GET", f"/videos/{video_id}")

    def delete(self, video_id: str) -> None:
        self._http.request("DELETE", f"/videos/{video_id}")

    def scenes(self, video_id: str) -> builtins.list[Scene]:
        return self._http.request_model(SceneList, "GET", f"/videos/{video_id}/scenes").scenes

    def update_scene(self, video_id: str, index: int, update: SceneUpdate) -> Scene:
        body = update.model_dump(mode="json", exclude_unset=True)
        return self._http.request_model(Scene, "PATCH", f"/videos/{video_id}/scenes/{index}", json_body=body)

    def render(self, video_id: str) -> VideoJob:
        return self._http.request_model(VideoJob, "POST", f"/videos/{video_id}/render")

    def cancel(self, video_id: str) -> Video:
        return self._http.request_model(Video, "POST", f"/videos/{video_id}/cancel")

    def download_url(self, video_id: str, *, file: str = "mp4", expires_in: int = 3600) -> DownloadUrl:
        """A presigned URL of a finished video's file (servers with object storage only)."""
        params = {"file": file, "expires_in": str(expires_in)}
        return self._http.request_model(DownloadUrl, "GET", f"/videos/{video_id}/download-url", params=params)

    def download(
        self,
        video_id: str,
        destination: Path,
        *,
        kind: str = "download",
        params: Mapping[str, str] | None = None,
        on_bytes: Callable[[int, int | None], None] | None = None,
    ) -> Path:
        """Stream a file (`download` = the MP4, `thumbnail`, `captions` with `format`) to
        `destination`, through a temporary file renamed into place when complete."""
        return self._http.download_to(
            "GET", f"/videos/{video_id}/{kind}", destination, params=params, on_bytes=on_bytes
        )


def output_files(video: Video, base: Path, *, vtt: bool = True) -> list[tuple[Path, str, dict[str, str]]]:
    """A finished video's files as (destination, endpoint, query): MP4, thumbnail, and captions
    when it has them. `base` is the destination without its suffix (dots in it are kept)."""

    def named(suffix: str) -> Path:
        return base.with_name(base.name + suffix)

    files: list[tuple[Path, str, dict[str, str]]] = [
        (named(".mp4"), "download", {}),
        (named(".jpg"), "thumbnail", {}),
    ]
    if video.captions_url:
        formats = ("srt", "vtt") if vtt else ("srt",)
        files += [(named(f".{fmt}"), "captions", {"format": fmt}) for fmt in formats]
    return files


class BulkResource:
    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    def submit(self, request: BulkRequest) -> BulkJob:
        """Submit a batch; safe to repeat (rows are idempotent by key), so it is also retried."""
        body = request.model_dump(mode="json")
        key = f"bulk-{request.key}-{uuid.uuid4().hex[:8]}"
        return self._http.request_model(BulkJob, "POST", "/videos/bulk", json_body=body, idempotency_key=key)

    def status(self, bulk_id: str) -> BulkJob:
        return self._http.request_model(BulkJob, "GET", f"/videos/bulk/{bulk_id}")

    def cancel(self, bulk_id: str) -> BulkJob:
        return self._http.request_model(BulkJob, "POST", f"/videos/bulk/{bulk_id}/cancel")
