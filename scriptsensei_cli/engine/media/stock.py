"""Stock media search: the user's own folders (offline, always on), plus Pexels and Pixabay when keyed.

Every source maps its results onto one `StockItem` shape that carries author and licence, so the API
can credit the way the providers ask, and `fetch()` turns an item into a local file a render can read:

    providers = providers_from_config(config, cache_dir)
    result = search_stock(providers, "ocean waves", kind="video", orientation="portrait")
    clip = fetch_stock(providers, result.items[0], cache_dir)  # a local file, downloaded at most once

A remote provider that fails never hides the others' results: `search_stock` returns its error as a
warning. API keys never appear in errors or reprs. Pixabay's key travels in the query string, so request
URLs are never put in messages, exceptions are not chained to httpx's (whose request holds the URL),
and httpx's own request log line is redacted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import subprocess
import threading
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, ClassVar, Protocol, runtime_checkable
from urllib.parse import urlsplit

import httpx

from scriptsensei_cli.contract.media import MediaType
from scriptsensei_cli.engine.config import ENV_PREFIX, EngineConfig
from scriptsensei_cli.engine.outbound import ProviderError
from scriptsensei_cli.engine.render.ffmpeg import FFmpegError, ffmpeg_exe, probe
from scriptsensei_cli.engine.render.visuals import IMAGE_SUFFIXES, VIDEO_SUFFIXES

from ._http import RemoteService, user_agent

logger = logging.getLogger("scriptsensei.media")

KINDS = ("image", "video")
ORIENTATIONS = ("portrait", "landscape", "square")
# Width/height ratios within this distance of 1 count as square (phone photos are rarely exactly 1:1).
SQUARE_TOLERANCE = 0.05
API_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
DOWNLOAD_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
MAX_DOWNLOAD_BYTES = 2 * 1024**3
# The short side renders are made at: the video rendition nearest to it is the one downloaded.
TARGET_SHORT_SIDE = 1080
INDEX_VERSION = 1
PROBE_WORKERS = 4
LOCAL_LICENCE = "local"

# Words that say nothing about a picture: articles and prepositions, and what cameras, phones and
# editors put in file names (IMG_2034, PXL_..., "final copy"). Dropped from tags and from queries alike.
# fmt: off
STOP_WORDS = frozenset({
    "a", "an", "and", "or", "the", "of", "in", "on", "at", "to", "for", "with", "by", "from", "into",
    "over", "under", "is", "are", "was", "be", "it", "its", "this", "that", "my", "our", "your",
    "img", "image", "dsc", "dscn", "dscf", "pxl", "vid", "mov", "mvimg", "screenshot", "copy", "final",
    "edit", "edited", "export", "untitled", "new",
})
# fmt: on
# Container metadata that describes the content (`ffmpeg -i` prints it under the input's Metadata).
METADATA_TAG_KEYS = ("title", "comment", "description", "synopsis", "keywords", "genre", "subject")
METADATA_AUTHOR_KEYS = ("artist", "author", "album_artist", "composer")


# ------------------------------------------------------------------------------------------------ types


@dataclass(frozen=True)
class StockItem:
    """One picture or clip from a stock source, with what is needed to credit and fetch it.

    `id` is unique across sources ("pexels:123", "pixabay:456", "local:<hash of the path>").
    Remote items have a `download_url`; local items have a `path` instead.
    """

    id: str
    provider: str
    kind: MediaType
    title: str
    tags: list[str]
    width: int
    height: int
    duration: float | None
    author: str | None
    author_url: str | None
    licence: str
    page_url: str | None
    preview_url: str | None
    download_url: str | None
    path: Path | None = None

    @property
    def orientation(self) -> str:
        return orientation_of(self.width, self.height)


@dataclass(frozen=True)
class StockPage:
    """One page of one source's results; `total` counts every match, not just this page."""

    items: list[StockItem]
    total: int
    page: int
    limit: int


@dataclass(frozen=True)
class StockSearchResult:
    """A page merged from several sources, and why any source is missing from it."""

    items: list[StockItem]
    total: int
    page: int
    limit: int
    warnings: list[str] = field(default_factory=list)


class StockProviderError(ProviderError):
    """A stock source failed."""


@runtime_checkable
class StockProvider(Protocol):
    """A source of stock media: the local library, Pexels, Pixabay.

    ```python
    page = provider.search("sunset", kind="image", orientation="portrait", page=1, limit=20)
    path = provider.fetch(page.items[0], cache_dir)  # downloaded once, then reused
    ```
    """

    name: str

    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        orientation: str | None = None,
        page: int = 1,
        limit: int = 20,
    ) -> StockPage: ...

    def fetch(self, item: StockItem, cache_dir: Path) -> Path: ...


# -------------------------------------------------------------------------------------------- helpers


def orientation_of(width: int, height: int) -> str:
    """ "portrait", "landscape" or "square" (within `SQUARE_TOLERANCE`)."""
    ratio = width / height if height else 1.0
    if abs(ratio - 1) <= SQUARE_TOLERANCE:
        return "square"
    return "landscape" if ratio > 1 else "portrait"


def check_search_args(kind: str | None, orientation: str | None, page: int, limit: int) -> None:
    """Reject what no source can serve, with the accepted values in the message."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if orientation is not None and orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {', '.join(ORIENTATIONS)}, not {orientation!r}")
    if page < 1:
        raise ValueError(f"page must be 1 or more, not {page}")
    if limit < 1:
        raise ValueError(f"limit must be 1 or more, not {limit}")


def tokenize(text: str) -> list[str]:
    """Search words in `text`: split on separators and camelCase, lowercased, noise dropped, in order.

    "SunsetBeach_IMG_2034 (final).jpg" → ["sunset", "beach", "jpg"]; single ASCII letters and bare
    numbers go too (they are frame counters and dates far more often than subjects).
    """
    words: list[str] = []
    for chunk in re.split(r"[\W_]+", text):
        for part in _split_camel(chunk):
            word = part.casefold()
            if not word or word.isdigit() or (len(word) < 2 and word.isascii()) or word in STOP_WORDS:
                continue
            if word not in words:
                words.append(word)
    return words


def _split_camel(word: str) -> list[str]:
    """ "HDRSunsetBeach2" → ["HDR", "Sunset", "Beach", "2"]; works for any script with case."""
    parts: list[str] = []
    start = 0
    for i in range(1, len(word)):
        before, here, after = word[i - 1], word[i], word[i + 1 : i + 2]
        if (
            (before.islower() and here.isupper())
            or (before.isupper() and here.isupper() and after.islower())
            or (before.isdigit() != here.isdigit())
        ):
            parts.append(word[start:i])
            start = i
    parts.append(word[start:])
    return parts


@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """A fresh path beside `dest` to write to; it replaces `dest` if the block succeeds, else is removed.

    Readers never see a half-written file, and the writer creates the file, so its mode follows the
    umask (unlike `tempfile.mkstemp`'s 0600).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        yield partial
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)


def limit_shares(limit: int, parts: int) -> list[int]:
    """`limit` split as evenly as possible over `parts`, earlier parts getting the remainder."""
    base, extra = divmod(limit, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _title_from_page_url(url: str | None) -> str:
    """A title from a page URL's slug: ".../photo/brown-rocks-at-dusk-2014422/" → "brown rocks at dusk"."""
    if not url:
        return ""
    words = [
        word for word in PurePosixPath(urlsplit(url).path).name.split("-") if word and not word.isdigit()
    ]
    return "" if words == ["id"] else " ".join(words)  # Pixabay's video pages are ".../id-27669/"


def _url_suffix(url: str, kind: str) -> str:
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    if suffix in IMAGE_SUFFIXES | VIDEO_SUFFIXES:
        return suffix
    return ".jpg" if kind == "image" else ".mp4"


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


# ------------------------------------------------------------------------------------- remote sources


class _RemoteProvider(RemoteService[StockProviderError]):
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
        request_headers = {"User-Agent": user_agent(), "Accept": "application/json", **headers}
        try:
            response = self._client.get(url, params=params, headers=request_headers)
        except httpx.TimeoutException:
            raise self._unreachable("timed out") from None
        except httpx.TransportError as exc:
            raise self._unreachable(f"connection failed: {type(exc).__name__}") from None
        if self._past_last_page(response):
            return {}
        if not response.is_success:
            raise self._status_error(response)
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
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
        return f"{item.id.replace(':', '-')}-{digest}{_url_suffix(item.download_url, item.kind)}"

    def _download(self, url: str, target: Path) -> None:
        """Stream `url` into a temporary file beside `target`, then rename it into place."""
        with atomic_path(target) as partial, partial.open("xb") as out:
            self._stream_to(url, out)

    def _stream_to(self, url: str, out: BinaryIO) -> None:
        # No API key here: download links point at CDNs, which must not receive it.
        headers = {"User-Agent": user_agent()}
        try:
            with self._client.stream(
                "GET", url, headers=headers, timeout=DOWNLOAD_TIMEOUT, follow_redirects=True
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


class PexelsProvider(_RemoteProvider):
    """Pexels photos and videos (https://www.pexels.com/api/documentation/); the key goes in a header.

    An empty query lists Pexels' curated photos and popular videos instead of searching.
    """

    name = "pexels"
    label = "Pexels"
    key_env = ENV_PREFIX + "PEXELS_API_KEY"
    licence = "Pexels License"
    max_per_page = 80

    PHOTO_SEARCH = "https://api.pexels.com/v1/search"
    PHOTO_CURATED = "https://api.pexels.com/v1/curated"
    VIDEO_SEARCH = "https://api.pexels.com/videos/search"
    VIDEO_POPULAR = "https://api.pexels.com/videos/popular"

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
        data = self._get_json(url, params, {"Authorization": self._api_key})
        if kind == "image":
            found = [self._photo(photo, orientation) for photo in data.get("photos") or []]
        else:
            found = [self._video(video) for video in data.get("videos") or []]
        items = [item for item in found[offset : offset + size] if item and _wanted(item, orientation)]
        return StockPage(items, int(data.get("total_results") or 0), page, size)

    def _photo(self, photo: dict[str, Any], orientation: str | None) -> StockItem | None:
        src = photo.get("src") or {}
        # `portrait` is a 800x1200 crop; `large2x` keeps the photo's own shape at up to 1880 px.
        download = (
            (orientation == "portrait" and src.get("portrait")) or src.get("large2x") or src.get("original")
        )
        if not download or not photo.get("width") or not photo.get("height"):
            return None
        title = photo.get("alt") or _title_from_page_url(photo.get("url"))
        return StockItem(
            id=f"pexels:{photo['id']}",
            provider=self.name,
            kind="image",
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
        best = _nearest_rendition(
            file
            for file in video.get("video_files") or []
            if file.get("link") and (file.get("file_type") or "video/mp4") == "video/mp4"
        )
        if best is None or not video.get("width") or not video.get("height"):
            return None
        user = video.get("user") or {}
        title = _title_from_page_url(video.get("url"))
        tags = [str(tag).casefold() for tag in video.get("tags") or [] if str(tag).strip()]
        return StockItem(
            id=f"pexels:{video['id']}",
            provider=self.name,
            kind="video",
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


class PixabayProvider(_RemoteProvider):
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

    IMAGES = "https://pixabay.com/api/"
    VIDEOS = "https://pixabay.com/api/videos/"
    ORIENTATION: ClassVar[dict[str, str]] = {"portrait": "vertical", "landscape": "horizontal"}

    def __init__(self, api_key: str, *, client: httpx.Client | None = None) -> None:
        super().__init__(api_key, client=client)
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
        data = self._get_json(self.IMAGES if kind == "image" else self.VIDEOS, params, {})
        hits = data.get("hits") or []
        found = [
            self._image(hit) if kind == "image" else self._video(hit) for hit in hits[offset : offset + size]
        ]
        items = [item for item in found if item and _wanted(item, orientation)]
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
        return f"{item.id.replace(':', '-')}{_url_suffix(item.download_url or '', item.kind)}"

    def _common(self, hit: dict[str, Any]) -> dict[str, Any]:
        tags = [tag.strip().casefold() for tag in str(hit.get("tags") or "").split(",") if tag.strip()]
        user, user_id = hit.get("user"), hit.get("user_id")
        return {
            "id": f"pixabay:{hit['id']}",
            "provider": self.name,
            "title": _title_from_page_url(hit.get("pageURL")) or ", ".join(tags[:3]),
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
            kind="image",
            width=int(hit["imageWidth"]),
            height=int(hit["imageHeight"]),
            duration=None,
            preview_url=hit.get("webformatURL") or hit.get("previewURL"),
            download_url=download,
        )

    def _video(self, hit: dict[str, Any]) -> StockItem | None:
        renditions = [r for r in (hit.get("videos") or {}).values() if isinstance(r, dict) and r.get("url")]
        best = _nearest_rendition(renditions)
        if best is None:
            return None
        largest = max(renditions, key=lambda r: int(r.get("width") or 0) * int(r.get("height") or 0))
        return StockItem(
            **self._common(hit),
            kind="video",
            width=int(largest["width"]),
            height=int(largest["height"]),
            duration=float(hit["duration"]) if hit.get("duration") is not None else None,
            preview_url=best.get("thumbnail") or None,
            download_url=best["url"],
        )


def _nearest_rendition(renditions: Any) -> dict[str, Any] | None:
    """The rendition whose short side is nearest `TARGET_SHORT_SIDE` (the larger one on a tie)."""
    sized = [r for r in renditions if r.get("width") and r.get("height")]

    def distance(rendition: dict[str, Any]) -> tuple[int, int]:
        short = min(int(rendition["width"]), int(rendition["height"]))
        return abs(short - TARGET_SHORT_SIDE), -short

    return min(sized, key=distance, default=None)


def _wanted(item: StockItem, orientation: str | None) -> bool:
    return orientation is None or item.orientation == orientation


# ------------------------------------------------------------------------------------- local library


@dataclass
class IndexEntry:
    """What the index remembers of one file; `mtime_ns` and `size` decide whether to look again."""

    root: str
    mtime_ns: int
    size: int
    kind: MediaType
    usable: bool
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    title: str = ""
    tags: list[str] = field(default_factory=list)
    author: str | None = None


@dataclass(frozen=True)
class IndexStats:
    """What one refresh did: files indexed, files probed (new or changed), entries dropped."""

    files: int
    probed: int
    removed: int


class LocalLibrary:
    """The user's own folders, searchable offline by tags from names, folders and embedded metadata.

    The index is a JSON file refreshed on every search: files whose mtime and size are unchanged keep
    their entry (they are not probed again), deleted files drop out, new or changed ones are probed in
    parallel. Unreadable files are remembered too, so they are not probed again until they change.

    ```python
    library = LocalLibrary([Path("~/Videos/b-roll").expanduser()], data_dir / "media-library.json")
    page = library.search("beach sunset", kind="video", orientation="portrait")
    ```
    """

    name = "local"

    def __init__(self, folders: Sequence[Path], index_path: Path) -> None:
        self.folders = [Path(folder).expanduser().absolute() for folder in folders]
        self.index_path = index_path
        self._entries: dict[str, IndexEntry] | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LocalLibrary(folders={[str(f) for f in self.folders]!r})"

    def missing_folders(self) -> list[Path]:
        return [folder for folder in self.folders if not folder.is_dir()]

    def entries(self) -> dict[str, IndexEntry]:
        """The index as it is now (refreshing it first), keyed by absolute path."""
        self.refresh()
        assert self._entries is not None
        return dict(self._entries)

    def refresh(self) -> IndexStats:
        """Bring the index up to date with the folders; probe only new and changed files."""
        with self._lock:
            known = self._entries if self._entries is not None else self._load()
            current: dict[str, IndexEntry] = {}
            changed: list[tuple[Path, Path, os.stat_result]] = []
            for root, path, stat in self._walk():
                entry = known.get(str(path))
                if entry and entry.mtime_ns == stat.st_mtime_ns and entry.size == stat.st_size:
                    current[str(path)] = entry
                else:
                    changed.append((root, path, stat))
            current.update(_index_files(changed))
            removed = len(known.keys() - current.keys())
            if changed or removed or not self.index_path.exists():
                self._save(current)
            self._entries = current
            return IndexStats(files=len(current), probed=len(changed), removed=removed)

    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        orientation: str | None = None,
        page: int = 1,
        limit: int = 20,
    ) -> StockPage:
        """Matches ranked by how many query words they match, then how well; an empty query lists all."""
        check_search_args(kind, orientation, page, limit)
        terms = tokenize(query)
        ranked: list[tuple[tuple[int, int], str, IndexEntry]] = []
        for path, entry in self.entries().items():
            if not entry.usable or (kind and entry.kind != kind):
                continue
            assert entry.width and entry.height
            if orientation and orientation_of(entry.width, entry.height) != orientation:
                continue
            score = _score(terms, entry) if terms else (0, 0)
            if score is not None:
                ranked.append((score, path, entry))
        ranked.sort(key=lambda match: (-match[0][0], -match[0][1], match[1]))
        start = (page - 1) * limit
        items = [self._item(path, entry) for _, path, entry in ranked[start : start + limit]]
        return StockPage(items, len(ranked), page, limit)

    def get(self, item_id: str) -> StockItem | None:
        """The library item with this id ("local:…"), if the file is still in the library."""
        for path, entry in self.entries().items():
            if entry.usable and _local_id(path) == item_id:
                return self._item(path, entry)
        return None

    def fetch(self, item: StockItem, cache_dir: Path) -> Path:
        """Local items are already files: their own path (nothing is copied)."""
        if item.provider != self.name or item.path is None:
            raise ValueError(f"{item.id} is not a local library item")
        if not item.path.is_file():
            raise StockProviderError(self.name, f"{item.path} is no longer in the media library")
        return item.path

    def _item(self, path: str, entry: IndexEntry) -> StockItem:
        assert entry.width and entry.height
        return StockItem(
            id=_local_id(path),
            provider=self.name,
            kind=entry.kind,
            title=entry.title,
            tags=list(entry.tags),
            width=entry.width,
            height=entry.height,
            duration=entry.duration,
            author=entry.author,
            author_url=None,
            licence=LOCAL_LICENCE,
            page_url=None,
            preview_url=None,
            download_url=None,
            path=Path(path),
        )

    def _walk(self) -> Iterator[tuple[Path, Path, os.stat_result]]:
        """(root, file, stat) for every image and video under the folders, hidden ones skipped."""
        suffixes = IMAGE_SUFFIXES | VIDEO_SUFFIXES
        seen: set[Path] = set()
        for root in self.folders:
            for directory, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
                for filename in sorted(filenames):
                    path = Path(directory, filename)
                    if filename.startswith(".") or path.suffix.lower() not in suffixes or path in seen:
                        continue
                    seen.add(path)  # nested folders in the list would otherwise index a file twice
                    with contextlib.suppress(OSError):
                        yield root, path, path.stat()

    def _load(self) -> dict[str, IndexEntry]:
        """The saved index, or nothing when it is missing, corrupt or from another index version."""
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
            if data.get("version") != INDEX_VERSION:
                return {}
            return {path: IndexEntry(**entry) for path, entry in data["entries"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}

    def _save(self, entries: dict[str, IndexEntry]) -> None:
        """Write the index atomically; a library on a read-only data dir still works, unindexed."""
        document = {"version": INDEX_VERSION, "entries": {path: asdict(e) for path, e in entries.items()}}
        try:
            with atomic_path(self.index_path) as partial, partial.open("x", encoding="utf-8") as out:
                json.dump(document, out, ensure_ascii=False)
        except OSError as exc:
            logger.warning("could not save the media library index %s: %s", self.index_path, exc)


def _index_files(jobs: list[tuple[Path, Path, os.stat_result]]) -> dict[str, IndexEntry]:
    """Probe new and changed files, a few at a time: each probe is an ffmpeg process that mostly waits."""
    if not jobs:
        return {}
    with ThreadPoolExecutor(max_workers=min(PROBE_WORKERS, len(jobs))) as pool:
        entries = pool.map(lambda job: _index_file(*job), jobs)
        return {str(path): entry for (_, path, _), entry in zip(jobs, entries, strict=True)}


def _local_id(path: str) -> str:
    return "local:" + hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _index_file(root: Path, path: Path, stat: os.stat_result) -> IndexEntry:
    """Probe one file: size and duration from ffmpeg, tags from its name, folders and metadata."""
    kind: MediaType = "image" if path.suffix.lower() in IMAGE_SUFFIXES else "video"
    entry = IndexEntry(str(root), stat.st_mtime_ns, stat.st_size, kind, usable=False)
    try:
        info = probe(path)
    except (FFmpegError, OSError, subprocess.SubprocessError):
        return entry
    if not info.width or not info.height:
        return entry  # audio only, or a format ffmpeg cannot size
    # Image formats keep their descriptions where `ffmpeg -i` does not show them; containers do not.
    metadata = read_metadata(path) if kind == "video" else {}
    folders = [root.name, *path.relative_to(root).parent.parts]
    words = [path.stem, *folders, *(metadata[key] for key in METADATA_TAG_KEYS if key in metadata)]
    entry.usable = True
    entry.width, entry.height = info.width, info.height
    entry.duration = info.duration if kind == "video" else None
    entry.title = metadata.get("title") or " ".join(re.split(r"[\W_]+", path.stem)).strip() or path.name
    entry.tags = tokenize(" ".join(words))
    entry.author = next((metadata[key] for key in METADATA_AUTHOR_KEYS if metadata.get(key)), None)
    return entry


def read_metadata(path: Path) -> dict[str, str]:
    """The input's own metadata as `ffmpeg -i` prints it (title, comment, keywords...), keys lowercased.

    Only the container's block is read (before "Duration:"), not the streams' (handler names, encoder).
    """
    try:
        result = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    header = result.stderr.split("Input #0", 1)[-1].split("\n  Duration:", 1)[0]
    metadata: dict[str, str] = {}
    last = ""
    for line in header.splitlines():
        match = re.match(r"^ {4}(\S[^:]*?)\s*: ?(.*)$", line)
        if not match:
            continue
        key, value = match.group(1).strip().casefold(), match.group(2).strip()
        if key:
            metadata[key], last = value, key
        elif last:  # ffmpeg prints a multi-line value as continuation lines with an empty key
            metadata[last] += " " + value
    return metadata


def _score(terms: list[str], entry: IndexEntry) -> tuple[int, int] | None:
    """(terms matched, quality) where each term scores 3 for a tag, 2 for a tag prefix, 1 inside one."""
    words = set(entry.tags) | set(tokenize(entry.title))
    matched = quality = 0
    for term in terms:
        if term in words:
            best = 3
        elif any(word.startswith(term) for word in words):
            best = 2
        elif any(term in word for word in words):
            best = 1
        else:
            continue
        matched += 1
        quality += best
    return (matched, quality) if matched else None


# ---------------------------------------------------------------------------------------- all sources


def search_stock(
    providers: Sequence[StockProvider],
    query: str,
    *,
    kind: str | None = None,
    orientation: str | None = None,
    page: int = 1,
    limit: int = 20,
) -> StockSearchResult:
    """One page over several sources: the local library first, then the remote ones, in parallel.

    `limit` is shared between the sources (each pages through its own results with its share), so a
    page never holds more than `limit` items. A source that fails adds a warning instead of items.
    """
    check_search_args(kind, orientation, page, limit)
    ordered = sorted(providers, key=lambda provider: provider.name != LocalLibrary.name)
    jobs = [
        (p, share) for p, share in zip(ordered, limit_shares(limit, len(ordered) or 1), strict=False) if share
    ]
    warnings = [
        f"media library folder not found: {folder}"
        for provider in ordered
        if isinstance(provider, LocalLibrary)
        for folder in provider.missing_folders()
    ]
    items: list[StockItem] = []
    total = 0
    with ThreadPoolExecutor(max_workers=max(len(jobs), 1)) as pool:
        futures = [
            pool.submit(p.search, query, kind=kind, orientation=orientation, page=page, limit=share)
            for p, share in jobs
        ]
        for (provider, _), future in zip(jobs, futures, strict=True):
            try:
                result = future.result()
            except StockProviderError as exc:
                logger.warning("stock search: %s failed: %s", provider.name, exc.message)
                warnings.append(exc.message)
                continue
            items.extend(result.items)
            total += result.total
    return StockSearchResult(items, total, page, limit, warnings)


def fetch_stock(providers: Sequence[StockProvider], item: StockItem, cache_dir: Path) -> Path:
    """`item` as a local file, fetched by the provider it came from."""
    for provider in providers:
        if provider.name == item.provider:
            return provider.fetch(item, cache_dir)
    raise ValueError(f"{item.id}: its provider {item.provider!r} is not configured")


def providers_from_config(config: EngineConfig, cache_dir: Path) -> list[StockProvider]:
    """The local library (always, indexed into `cache_dir`), plus Pexels and Pixabay when keyed.

    The remote providers hold an HTTP client each: `close()` them when done (they are context managers).
    """
    providers: list[StockProvider] = [LocalLibrary(config.media_library, cache_dir / "local-library.json")]
    if config.pexels_api_key:
        providers.append(PexelsProvider(config.pexels_api_key))
    if config.pixabay_api_key:
        providers.append(PixabayProvider(config.pixabay_api_key))
    return providers
