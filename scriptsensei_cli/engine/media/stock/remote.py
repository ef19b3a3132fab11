"""What the online sources share: requests, error wording, paging onto the provider's own page sizes,
searches cached on disk, sources that failed left alone for a while, and downloads into the cache.

`OnlineProvider` is the base of every online source (Openverse and Wikimedia Commons need no key);
`RemoteProvider` adds the API key Pexels and Pixabay need. Pixabay's key travels in the query string,
so request URLs are never put in messages, and exceptions are not chained to httpx's (whose request
holds the URL).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, ClassVar
from urllib.parse import urlsplit

import httpx

from scriptsensei_cli.engine.outbound import TRANSFER_TIMEOUT, USER_AGENT, RemoteService, json_object
from scriptsensei_cli.engine.render.visuals import IMAGE_SUFFIXES, VIDEO_SUFFIXES

from ....common.atomic import atomic_path
from .base import KINDS, StockItem, StockPage, StockProviderError, check_search_args, limit_shares
from .limits import (
    COOL_DOWNS,
    RATE_LIMIT_COOL_DOWN,
    SEARCH_TTL,
    UNREACHABLE_COOL_DOWN,
    SearchCache,
    same_key_lock,
)

MAX_DOWNLOAD_BYTES = 2 * 1024**3
# The short side renders are made at: the video rendition nearest to it is the one downloaded.
TARGET_SHORT_SIDE = 1080
# A search is one small JSON answer; a render must never hang on it (it moves on to the next source).
SEARCH_TIMEOUT = httpx.Timeout(10.0, connect=4.0)


class OnlineProvider(RemoteService[StockProviderError]):
    """What every online stock source shares: its base URL (a setting, for proxies and stand-ins), the
    search cache, cool-downs after failures, error classification and the download cache.

    Subclasses set `name`, `label`, `default_base_url`, `max_per_page` and implement `_search_kind`.
    """

    error_type = StockProviderError
    default_base_url: ClassVar[str]
    max_per_page: ClassVar[int]
    min_per_page: ClassVar[int] = 1
    search_ttl: ClassVar[float] = SEARCH_TTL
    # At most this many downloads from the source at once, process-wide (None: no limit of ours).
    download_slots: ClassVar[threading.Semaphore | None] = None

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        cache_dir: Path | None = None,
        client: httpx.Client | None = None,
        timeout: httpx.Timeout | float = SEARCH_TIMEOUT,
    ) -> None:
        super().__init__(api_key, client=client, timeout=timeout)
        self.base_url = base_url or self.default_base_url
        # Without a cache dir (tests, one-off calls) every search asks the source.
        self._searches = SearchCache(cache_dir / "searches", self.search_ttl) if cache_dir else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _url(self, path: str) -> str:
        """`path` under the base URL, whether or not the setting ends with a slash."""
        return self.base_url.rstrip("/") + "/" + path

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
        """A page of matches; with no `kind`, photos and videos share it (one request for each).

        A search made in the last `search_ttl` seconds is answered from the cache; a source that is
        cooling down raises `StockProviderError` at once, without a request.
        """
        check_search_args(kind, orientation, page, limit)
        query = self._clean_query(query)
        key = SearchCache.key(
            self.name,
            self.base_url,
            *self._search_identity(),
            query=" ".join(query.casefold().split()),
            kind=kind,
            orientation=orientation,
            page=page,
            limit=limit,
        )
        with same_key_lock(key):  # the same search from another render waits for this one's answer
            cached = self._searches.get(key) if self._searches else None
            if cached is not None:
                return cached
            self._check_cool_down()
            found = self._search(query, kind, orientation, page, limit)
            return self._searches.put(key, found) if self._searches else found

    def _search(
        self, query: str, kind: str | None, orientation: str | None, page: int, limit: int
    ) -> StockPage:
        kinds = [kind] if kind else list(KINDS)
        pages = [
            self._search_kind(each, query, orientation, page, share)
            for each, share in zip(kinds, limit_shares(limit, len(kinds)), strict=True)
            if share
        ]
        items = [item for each in pages for item in each.items]
        return StockPage(items, sum(each.total for each in pages), page, sum(each.limit for each in pages))

    def _search_kind(
        self, kind: str, query: str, orientation: str | None, page: int, limit: int
    ) -> StockPage:
        raise NotImplementedError

    def _search_identity(self) -> tuple[Any, ...]:
        """What else decides the results (a licence filter): part of the cache key."""
        return ()

    def _clean_query(self, query: str) -> str:
        return query.strip()

    # -- cool-downs

    def _check_cool_down(self) -> None:
        cool_down = COOL_DOWNS.get((self.name, self.base_url))
        if cool_down is not None:
            wait = cool_down.remaining()
            raise self._error(
                f"{self.label} skipped for {wait:.0f} s more after {cool_down.reason}; try again later",
                retry_after=wait,
            )

    def _cool_down(self, seconds: float, reason: str) -> None:
        COOL_DOWNS.start((self.name, self.base_url), seconds, reason)

    def _rate_limited(self, response: httpx.Response) -> StockProviderError:
        error = super()._rate_limited(response)
        wait = error.retry_after
        self._cool_down(RATE_LIMIT_COOL_DOWN if wait is None else wait, "a rate limit")
        return error

    def _unreachable(self, detail: str, status: int | None = None) -> StockProviderError:
        self._cool_down(UNREACHABLE_COOL_DOWN, "a failure" if status else "no answer")
        return super()._unreachable(detail, status)

    def _quota_wait(self, response: httpx.Response) -> float | None:
        """Seconds until the source takes requests again when a successful answer says its quota is
        used up (Openverse's X-RateLimit-Available-*: 0); None while requests are left."""
        return None

    # -- requests

    def _get_json(self, url: str, params: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """GET a JSON object, or raise `StockProviderError` saying what went wrong and what to do."""
        response = self._call("GET", url, params=params, headers=headers)
        quota_wait = self._quota_wait(response) if response.is_success else None
        if quota_wait:
            self._cool_down(quota_wait, "its rate limit was used up")
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

    def _status_error(self, response: httpx.Response) -> StockProviderError:
        status = response.status_code
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
        with same_key_lock(str(target)):  # two renders wanting the same item download it once
            if not target.is_file():
                self._check_cool_down()
                with self.download_slots or contextlib.nullcontext():
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


class RemoteProvider(OnlineProvider):
    """What Pexels and Pixabay share: an API key (refused when empty), named in its own error."""

    _api_key: str  # always set: the constructor refuses a provider without one
    key_env: ClassVar[str]
    licence: ClassVar[str]

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        cache_dir: Path | None = None,
        client: httpx.Client | None = None,
        timeout: httpx.Timeout | float = SEARCH_TIMEOUT,
    ) -> None:
        if not api_key:
            raise ValueError(f"{self.label} needs an API key: set {self.key_env}")
        super().__init__(api_key, base_url=base_url, cache_dir=cache_dir, client=client, timeout=timeout)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key=***, base_url={self.base_url!r})"

    def _bad_key(self, response: httpx.Response) -> bool:
        return response.status_code in (401, 403)

    def _status_error(self, response: httpx.Response) -> StockProviderError:
        if self._bad_key(response):
            return StockProviderError(
                self.name,
                f"{self.label} rejected the API key: check {self.key_env}",
                response.status_code,
            )
        return super()._status_error(response)


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
