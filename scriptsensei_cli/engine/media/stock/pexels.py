"""Pexels: photos and videos, the key in a header."""

from __future__ import annotations

from typing import Any

from scriptsensei_cli.engine.config import ENV_PREFIX

from .base import StockItem, StockPage, tokenize
from .remote import RemoteProvider, nearest_rendition, title_from_page_url, wanted


class PexelsProvider(RemoteProvider):
    """Pexels photos and videos (https://www.pexels.com/api/documentation/); the key goes in a header.

    An empty query lists Pexels' curated photos and popular videos instead of searching.
    """

    name = "pexels"
    label = "Pexels"
    key_env = ENV_PREFIX + "PEXELS_API_KEY"
    licence = "Pexels License"
    max_per_page = 80
    default_base_url = "https://api.pexels.com/"  # SCRIPTSENSEI_PEXELS_URL

    # Under the base URL.
    PHOTO_SEARCH = "v1/search"
    PHOTO_CURATED = "v1/curated"
    VIDEO_SEARCH = "videos/search"
    VIDEO_POPULAR = "videos/popular"

    def _search_kind(
        self, kind: str, query: str, orientation: str | None, page: int, limit: int
    ) -> StockPage:
        provider_page, per_page, offset, size = self._window(page, limit)
        params: dict[str, Any] = {"page": provider_page, "per_page": per_page}
        if query:
            params["query"] = query
            if orientation:
                params["orientation"] = orientation
            url = self.PHOTO_SEARCH if kind == "image" else self.VIDEO_SEARCH
        else:
            url = self.PHOTO_CURATED if kind == "image" else self.VIDEO_POPULAR
        data = self._get_json(self._url(url), params, {"Authorization": self._api_key})
        if kind == "image":
            found = [self._photo(photo, orientation) for photo in data.get("photos") or []]
        else:
            found = [self._video(video) for video in data.get("videos") or []]
        items = [item for item in found[offset : offset + size] if item and wanted(item, orientation)]
        return StockPage(items, int(data.get("total_results") or 0), page, size)

    def _photo(self, photo: dict[str, Any], orientation: str | None) -> StockItem | None:
        src = photo.get("src") or {}
        # `portrait` is a 800x1200 crop; `large2x` keeps the photo's own shape at up to 1880 px.
        download = (
            (orientation == "portrait" and src.get("portrait")) or src.get("large2x") or src.get("original")
        )
        if not download or not photo.get("width") or not photo.get("height"):
            return None
        title = photo.get("alt") or title_from_page_url(photo.get("url"))
        return StockItem(
            id=f"pexels:{photo['id']}",
            provider=self.name,
            type="image",
            title=title,
            tags=tokenize(title),
            width=int(photo["width"]),
            height=int(photo["height"]),
            duration=None,
            author=photo.get("photographer"),
            author_url=photo.get("photographer_url"),
            licence=self.licence,
            page_url=photo.get("url"),
            preview_url=src.get("medium") or src.get("small"),
            download_url=download,
        )

    def _video(self, video: dict[str, Any]) -> StockItem | None:
        best = nearest_rendition(
            file
            for file in video.get("video_files") or []
            if file.get("link") and (file.get("file_type") or "video/mp4") == "video/mp4"
        )
        if best is None or not video.get("width") or not video.get("height"):
            return None
        user = video.get("user") or {}
        title = title_from_page_url(video.get("url"))
        tags = [str(tag).casefold() for tag in video.get("tags") or [] if str(tag).strip()]
        return StockItem(
            id=f"pexels:{video['id']}",
            provider=self.name,
            type="video",
            title=title,
            tags=[*tags, *(word for word in tokenize(title) if word not in tags)],
            width=int(video["width"]),
            height=int(video["height"]),
            duration=float(video["duration"]) if video.get("duration") is not None else None,
            author=user.get("name"),
            author_url=user.get("url"),
            licence=self.licence,
            page_url=video.get("url"),
            preview_url=video.get("image"),
            download_url=best["link"],
        )
