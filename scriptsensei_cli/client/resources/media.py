"""Media service: the user's library (upload, list, get, delete), stock search, generated images."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ...contract import GenerateMediaRequest, MediaItem, MediaList, StockResults
from ...contract.media import (
    MAX_MEDIA_CHECK_FILES,
    MediaCheck,
    MediaCheckItem,
    MediaCheckRequest,
    MediaCheckResult,
)
from .._base import HTTPClient
from .._multipart import MultipartFile, Progress


class MediaResource:
    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    def upload(self, path: Path, *, on_progress: Progress | None = None) -> MediaItem:
        return self._http.request_model(
            MediaItem, "POST", "/media/upload", body=MultipartFile(path, on_progress=on_progress)
        )

    def check(self, files: Sequence[MediaCheckItem]) -> list[MediaCheckResult]:
        """Would a video request naming these files be refused, and why (one result per file, in
        order)? Asked in requests of at most MAX_MEDIA_CHECK_FILES files each."""
        results: list[MediaCheckResult] = []
        for start in range(0, len(files), MAX_MEDIA_CHECK_FILES):
            body = MediaCheckRequest(files=list(files[start : start + MAX_MEDIA_CHECK_FILES]))
            answer = self._http.request_model(
                MediaCheck, "POST", "/media/check", json_body=body.model_dump(mode="json")
            )
            results.extend(answer.results)
        return results

    def list(
        self, *, type: str | None = None, source: str | None = None, page: int = 1, limit: int = 20
    ) -> MediaList:
        params = {"type": type, "source": source, "page": page, "limit": limit}
        return self._http.request_model(MediaList, "GET", "/media/user", params=params)

    def get(self, media_id: str) -> MediaItem:
        return self._http.request_model(MediaItem, "GET", f"/media/{media_id}")

    def delete(self, media_id: str) -> None:
        self._http.request("DELETE", f"/media/{media_id}")

    def download(self, media_id: str, destination: Path, *, thumbnail: bool = False) -> Path:
        kind = "thumbnail" if thumbnail else "file"
        return self._http.download_to("GET", f"/media/{media_id}/{kind}", destination)

    def stock(
        self,
        query: str,
        *,
        type: str | None = None,
        orientation: str | None = None,
        page: int = 1,
        limit: int = 20,
    ) -> StockResults:
        params = {"query": query, "type": type, "orientation": orientation, "page": page, "limit": limit}
        return self._http.request_model(StockResults, "GET", "/media/stock", params=params)

    def import_stock(self, item_id: str) -> MediaItem:
        return self._http.request_model(MediaItem, "POST", "/media/stock/import", json_body={"id": item_id})

    def generate(self, request: GenerateMediaRequest) -> MediaItem:
        return self._http.request_model(
            MediaItem, "POST", "/media/ai/generate", json_body=request.model_dump(exclude_none=True)
        )
