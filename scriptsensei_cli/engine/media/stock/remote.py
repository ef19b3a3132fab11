"""What the keyed online sources (Pexels, Pixabay) share: requests, error wording, paging onto the
provider's own page sizes, and downloads into the cache.

Pixabay's key travels in the query string, so request URLs are never put in messages, and exceptions
are not chained to httpx's (whose request holds the URL).
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, ClassVar
from urllib.parse import urlsplit

import httpx

from scriptsensei_cli.engine.outbound import (
    API_TIMEOUT,
    TRANSFER_TIMEOUT,
    USER_AGENT,
    RemoteService,
    json_object,
)
from scriptsensei_cli.engine.render.visuals import IMAGE_SUFFIXES, VIDEO_SUFFIXES

from ....common.atomic import atomic_path
from .base import KINDS, StockItem, StockPage, StockProviderError, check_search_args, limit_shares

MAX_DOWNLOAD_BYTES = 2 * 1024**3
# The short side renders are made at: the video rendition nearest to it is the one downloaded.
TARGET_SHORT_SIDE = 1080


class RemoteProvider(RemoteService[StockProviderError]):
    """What Pexels and Pixabay share: their error classification and the download cache."""

    error_type = StockProviderError
    _api_key: str  # always set: the constructor refuses a provider without one
    key_env: ClassVar[str]
    licence: ClassVar[str]
    max_per_page: ClassVar[int]
    min_per_page: ClassVar[int] = 1

    def __init__(self, api_key: str, *, client: httpx.Client | None = None) -> None:
        if not api_key:
            raise ValueError(f"{self.label} needs an API key: set {self.key_env}")
        super().__init__(api_key, client=client, timeout=API_TIMEOUT)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key=***)"

    # -- search

    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        orientation: str | None = None,
        page: int = 1,
        limit: int = 20,
    ) -> StockPage:
        """A page of matches; with no `kind`, photos and videos share it (one request for each)."""
        check_search_args(kind, orientation, page, limit)
        kinds = [kind] if kind else list(KINDS)
        pages = [
            self._search_kind(each, self._clean_query(query), orientation, page, share)
            for each, share in zip(kinds, limit_shares(limit, len(kinds)), strict=True)
            if share
        ]
        items = [item for each in pages for item in each.items]
        return StockPage(items, sum(each.total for each in pages), page, sum(each.limit for each in pages))

    def _search_kind(
        self, kind: str, query: str, orientation: str | None, page: int, limit: int
    ) -> StockPage:
        raise NotImplementedError

    def _clean_query(self, query: str) -> str:
        return query.strip()

    # -- requests

    def _get_json(self, url: str, params: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """GET a JSON object, or raise `StockProviderError` saying what went wrong and what to do."""
        response = self._call("GET", url, params=params, headers=headers)
        if self._past_last_page(response):
            return {}
        if not response.is_success:
            raise self._status_error(response)
        data = json_object(response)
        if data is None:
            raise StockProviderError(
                self.name,
                f"{self.label} answered with something other than a JSON object "
                f"(HTTP {response.status_code}); try again later",
                response.status_code,
            )
        return data

    def _past_last_page(self, response: httpx.Response) -> bool:
        """Whether `response` means "no such page" (an empty page to us, not an error)."""
        return False

    def _bad_key(self, response: httpx.Response) -> bool:
        return response.status_code in (401, 403)

    def _status_error(self, response: httpx.Response) -> StockProviderError:
        status = response.status_code
        if self._bad_key(response):
            return StockProviderError(
                self.name, f"{self.label} rejected the API key: check {self.key_env}", status
            )
        if status == 429:
            return self._rate_limited(response)
        if status >= 500:
            return self._unreachable(f"HTTP {status}", status)
        return self._refused(response, response.text.strip(), limit=200)

    def _window(self, page: int, limit: int) -> tuple[int, int, int, int]:
        """The provider page, its size, and the slice of it that is our `page` of `limit` items.

        A provider with a minimum page size (Pixabay: 3) gets a multiple of `limit` so our pages never
        straddle two of its pages; one with a maximum (Pexels: 80) gets at most that.
        """
        limit = min(limit, self.max_per_page)
        per_page = limit * -(-self.min_per_page // limit)
        first = (page - 1) * limit
        return first // per_page + 1, per_page, first % per_page, limit

    # -- downloads

    def fetch(self, item: StockItem, cache_dir: Path) -> Path:
        """The item as a local file under `cache_dir/<provider>/`: downloaded once, then reused."""
        if item.provider != self.name or not item.download_url:
            raise ValueError(f"{item.id} is not a {self.label} item with a download URL")
        target = cache_dir / self.name / self._cache_name(item)
        if not target.is_file():
            self._download(item.download_url, target)
        return target

    def _cache_name(self, item: StockItem) -> str:
        """One file per item and rendition: the id, plus a digest of the link (which names the size)."""
        assert item.download_url is not None
        digest = hashlib.sha256(item.download_url.encode()).hexdigest()[:12]
        return f"{item.id.replace(':', '-')}-{digest}{url_suffix(item.download_url, item.type)}"

    def _download(self, url: str, target: Path) -> None:
        """Stream `url` into a temporary file beside `target`, then rename it into place."""
        with atomic_path(target) as partial, partial.open("xb") as out:
            self._stream_to(url, out)

    def _stream_to(self, url: str, out: BinaryIO) -> None:
        # No API key here: download links point at CDNs, which must not receive it.
        headers = {"User-Agent": USER_AGENT}
        try:
            with self._client.stream(
                "GET", url, headers=headers, timeout=TRANSFER_TIMEOUT, follow_redirects=True
            ) as response:
                if not response.is_success:
                    response.read()  # the error classification may look at the body
                    raise self._download_error(response)
                written = 0
                for chunk in response.iter_bytes():
                    written += len(chunk)
                    if written > MAX_DOWNLOAD_BYTES:
                        raise StockProviderError(
                            self.name, f"{self.label} download is larger than {MAX_DOWNLOAD_BYTES} bytes"
                        )
                    out.write(chunk)
        except httpx.TimeoutException:
            raise self._unreachable("download timed out") from None
        except httpx.TransportError as exc:
            raise self._unreachable(f"download failed: {type(exc).__name__}") from None
        if written == 0:
            raise StockProviderError(self.name, f"{self.label} sent an empty file; try again later")

    def _download_error(self, response: httpx.Response) -> StockProviderError:
        status = response.status_code
        if status in (401, 403, 404, 410):
            return StockProviderError(
                self.name,
                f"{self.label} download link no longer works (HTTP {status}); search again for a fresh one",
                status,
            )
        return self._status_error(response)


def title_from_page_url(url: str | None) -> str:
    """A title from a page URL's slug: ".../photo/brown-rocks-at-dusk-2014422/" → "brown rocks at dusk"."""
    if not url:
        return ""
    words = [
        word for word in PurePosixPath(urlsplit(url).path).name.split("-") if word and not word.isdigit()
    ]
    return "" if words == ["id"] else " ".join(words)  # Pixabay's video pages are ".../id-27669/"


def url_suffix(url: str, kind: str) -> str:
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    if suffix in IMAGE_SUFFIXES | VIDEO_SUFFIXES:
        return suffix
    return ".jpg" if kind == "image" else ".mp4"


def nearest_rendition(renditions: Any) -> dict[str, Any] | None:
    """The rendition whose short side is nearest `TARGET_SHORT_SIDE` (the larger one on a tie)."""
    sized = [r for r in renditions if r.get("width") and r.get("height")]

    def distance(rendition: dict[str, Any]) -> tuple[int, int]:
        short = min(int(rendition["width"]), int(rendition["height"]))
        return abs(short - TARGET_SHORT_SIDE), -short

    return min(sized, key=distance, default=None)


def wanted(item: StockItem, orientation: str | None) -> bool:
    return orientation is None or item.orientation == orientation
