"""Pixabay: images and videos, the key in the query string (so httpx's request log is redacted)."""

from __future__ import annotations

import logging
import re
from typing import Any, ClassVar

import httpx

from scriptsensei_cli.engine.config import ENV_PREFIX

from .base import StockItem, StockPage
from .remote import RemoteProvider, nearest_rendition, title_from_page_url, url_suffix, wanted


class PixabayProvider(RemoteProvider):
    """Pixabay images and videos (https://pixabay.com/api/docs/); the key goes in the query string.

    Safe search is on. Pixabay has no square filter, and none at all for videos, so orientation is
    also checked on the results (a page may then hold fewer than `limit` items).
    """

    name = "pixabay"
    label = "Pixabay"
    key_env = ENV_PREFIX + "PIXABAY_API_KEY"
    licence = "Pixabay Content License"
    max_per_page = 200
    min_per_page = 3
    max_query = 100
    wait_headers = ("X-RateLimit-Reset",)  # seconds until the rate-limit window resets
    default_base_url = "https://pixabay.com/api/"  # SCRIPTSENSEI_PIXABAY_URL
    # Pixabay asks for searches to be cached, but its image links are temporary: keep them less long.
    search_ttl = 6 * 3600.0

    # Under the base URL.
    IMAGES = ""
    VIDEOS = "videos/"
    ORIENTATION: ClassVar[dict[str, str]] = {"portrait": "vertical", "landscape": "horizontal"}

    def __init__(self, api_key: str, **options: Any) -> None:
        super().__init__(api_key, **options)
        _redact_httpx_log()

    def _clean_query(self, query: str) -> str:
        return query.strip()[: self.max_query]

    def _search_kind(
        self, kind: str, query: str, orientation: str | None, page: int, limit: int
    ) -> StockPage:
        provider_page, per_page, offset, size = self._window(page, limit)
        params: dict[str, Any] = {
            "key": self._api_key,
            "q": query,
            "page": provider_page,
            "per_page": per_page,
            "safesearch": "true",
        }
        if kind == "image" and orientation in self.ORIENTATION:
            params["orientation"] = self.ORIENTATION[orientation]
        data = self._get_json(self._url(self.IMAGES if kind == "image" else self.VIDEOS), params, {})
        hits = data.get("hits") or []
        found = [
            self._image(hit) if kind == "image" else self._video(hit) for hit in hits[offset : offset + size]
        ]
        items = [item for item in found if item and wanted(item, orientation)]
        # totalHits is what the API will page through (at most 500); total counts matches beyond it.
        return StockPage(items, int(data.get("totalHits") or 0), page, size)

    def _bad_key(self, response: httpx.Response) -> bool:
        # Pixabay answers a bad key with HTTP 400 and "[ERROR 400] Invalid or missing API key".
        return super()._bad_key(response) or (
            response.status_code == 400 and "api key" in response.text.casefold()
        )

    def _past_last_page(self, response: httpx.Response) -> bool:
        # Asking past the last page is a 400 ('"page" is out of valid range.'), not an empty list.
        return response.status_code == 400 and "out of valid range" in response.text

    def _cache_name(self, item: StockItem) -> str:
        # Pixabay's image links are temporary tokens (they change between searches): key by item only.
        return f"{item.id.replace(':', '-')}{url_suffix(item.download_url or '', item.type)}"

    def _common(self, hit: dict[str, Any]) -> dict[str, Any]:
        tags = [tag.strip().casefold() for tag in str(hit.get("tags") or "").split(",") if tag.strip()]
        user, user_id = hit.get("user"), hit.get("user_id")
        return {
            "id": f"pixabay:{hit['id']}",
            "provider": self.name,
            "title": title_from_page_url(hit.get("pageURL")) or ", ".join(tags[:3]),
            "tags": tags,
            "author": user,
            "author_url": f"https://pixabay.com/users/{user}-{user_id}/" if user and user_id else None,
            "licence": self.licence,
            "page_url": hit.get("pageURL"),
        }

    def _image(self, hit: dict[str, Any]) -> StockItem | None:
        download = hit.get("largeImageURL") or hit.get("webformatURL")
        if not download or not hit.get("imageWidth") or not hit.get("imageHeight"):
            return None
        return StockItem(
            **self._common(hit),
            type="image",
            width=int(hit["imageWidth"]),
            height=int(hit["imageHeight"]),
            duration=None,
            preview_url=hit.get("webformatURL") or hit.get("previewURL"),
            download_url=download,
        )

    def _video(self, hit: dict[str, Any]) -> StockItem | None:
        renditions = [r for r in (hit.get("videos") or {}).values() if isinstance(r, dict) and r.get("url")]
        best = nearest_rendition(renditions)
        if best is None:
            return None
        largest = max(renditions, key=lambda r: int(r.get("width") or 0) * int(r.get("height") or 0))
        return StockItem(
            **self._common(hit),
            type="video",
            width=int(largest["width"]),
            height=int(largest["height"]),
            duration=float(hit["duration"]) if hit.get("duration") is not None else None,
            preview_url=best.get("thumbnail") or None,
            download_url=best["url"],
        )


class _RedactQueryKeys(logging.Filter):
    """httpx logs every request URL at INFO; Pixabay's key is a query parameter of those URLs."""

    PATTERN = re.compile(r"([?&]key=)[^&\s\"']+")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "key=" in message:
            record.msg, record.args = self.PATTERN.sub(r"\1***", message), None
        return True


_HTTPX_REDACTION = _RedactQueryKeys()


def _redact_httpx_log() -> None:
    httpx_logger = logging.getLogger("httpx")
    if _HTTPX_REDACTION not in httpx_logger.filters:
        httpx_logger.addFilter(_HTTPX_REDACTION)
