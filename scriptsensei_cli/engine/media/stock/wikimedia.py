"""Wikimedia Commons: freely licensed photos and WebM/Ogg videos, no key."""

from __future__ import annotations

import html
import re
import threading
from pathlib import PurePosixPath
from typing import Any, ClassVar

import httpx

from scriptsensei_cli.engine.outbound import retry_after

from .base import StockItem, StockPage, tokenize
from .licences import Licence, parse_licence
from .remote import TARGET_SHORT_SIDE, OnlineProvider, nearest_rendition, wanted

# The only thumbnail widths Commons renders; any other width is answered 429 ("Use thumbnail steps").
STANDARD_WIDTHS = (20, 40, 60, 120, 250, 330, 500, 960, 1280, 1920, 3840)
EXTMETADATA = (
    "License|LicenseShortName|LicenseUrl|AttributionRequired|Attribution|Artist|Credit|NonFree"
    "|Restrictions|ImageDescription|ObjectName"
)
# Restrictions beyond copyright that commercial use must respect (people, trademarks, insignia).
COMMERCIAL_RESTRICTIONS = frozenset({"personality", "trademarked", "insignia"})
MAXLAG_WAIT = 5.0  # at least, when the API says its databases are lagging
_TAG = re.compile(r"<[^>]+>")
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def standard_width(at_least: int) -> int:
    """The smallest standard thumbnail width of at least `at_least` px (the largest when none is)."""
    return next((width for width in STANDARD_WIDTHS if width >= at_least), STANDARD_WIDTHS[-1])


class WikimediaProvider(OnlineProvider):
    """Wikimedia Commons file search (the MediaWiki Action API), anonymous.

    Photos come as thumbnails at a standard width (1920 px for landscape, 1280 px otherwise: enough
    for a 1080 px short side, and the only widths the CDN renders); videos as the transcode nearest
    1080p (WebM), else the original (WebM or Ogg). Only files whose machine-readable licence is free
    for reuse are kept (CC0, public domain, CC BY, CC BY-SA), never those marked non-free, and, unless
    non-commercial use is allowed, none with personality or trademark restrictions.

    Commons asks for requests in series and a User-Agent with contact details (ours), and says when
    its databases lag (`maxlag`): that, like a 429, cools the source down. Downloads from its CDN are
    at most two at a time (its robot policy).
    """

    name = "wikimedia"
    label = "Wikimedia Commons"
    default_base_url = "https://commons.wikimedia.org/w/api.php"  # SCRIPTSENSEI_WIKIMEDIA_URL
    max_per_page = 50  # extmetadata is expensive to serve: keep pages small
    download_slots: ClassVar[threading.Semaphore | None] = threading.BoundedSemaphore(2)
    # One request at a time, process-wide (the API's etiquette).
    _requests: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, *, allow_noncommercial: bool = False, **options: Any) -> None:
        super().__init__(None, **options)
        self.allow_noncommercial = allow_noncommercial

    def _search_identity(self) -> tuple[Any, ...]:
        return (self.allow_noncommercial,)

    def _search_kind(
        self, kind: str, query: str, orientation: str | None, page: int, limit: int
    ) -> StockPage:
        size = min(limit, self.max_per_page)
        if not query:
            return StockPage([], 0, page, size)
        prop = "imageinfo" if kind == "image" else "videoinfo"
        prefix = "ii" if kind == "image" else "vi"
        info = "url|size|mime|extmetadata" + ("" if kind == "image" else "|derivatives")
        width = standard_width(1920 if orientation == "landscape" else TARGET_SHORT_SIDE)
        params: dict[str, Any] = {
            "action": "query",
            "format": "json",
            "formatversion": "2",
            "generator": "search",
            "gsrsearch": f"{query} filetype:{'bitmap' if kind == 'image' else 'video'}",
            "gsrnamespace": "6",
            "gsrlimit": size,
            "gsroffset": (page - 1) * size,
            "prop": prop,
            f"{prefix}prop": info,
            f"{prefix}urlwidth": width,
            f"{prefix}extmetadatafilter": EXTMETADATA,
            f"{prefix}extmetadatalanguage": "en",
            "maxlag": "5",
        }
        with self._requests:
            data = self._get_json(self.base_url, params, {})
        self._check_api_error(data)
        pages = sorted((data.get("query") or {}).get("pages") or [], key=lambda p: p.get("index") or 0)
        found = [self._file(each, kind, prop) for each in pages[:size]]
        items = [item for item in found if item and wanted(item, orientation)]
        # The search generator reports no total: what this page shows, plus a page more if it goes on.
        total = (page - 1) * size + len(pages) + (size if "continue" in data else 0)
        return StockPage(items, total, page, size)

    def _check_api_error(self, data: dict[str, Any]) -> None:
        """The API answers its own errors with HTTP 200 and an `error` object."""
        error = data.get("error")
        if not isinstance(error, dict):
            return
        code, info = str(error.get("code") or ""), str(error.get("info") or "")
        if code == "maxlag":
            self._cool_down(MAXLAG_WAIT, "a database lag")
            raise self._error(f"{self.label} is busy (its databases lag); try again later", 200)
        if code in ("ratelimited", "toomanyvalues"):
            self._cool_down(60.0, "a rate limit")
            raise self._error(f"{self.label} rate limit reached; try again later", 200)
        raise self._error(f"{self.label} refused the search ({code}): {info[:200]}", 200)

    def _quota_wait(self, response: httpx.Response) -> float | None:
        # A lagging API answers 200 with a `maxlag` error, `Retry-After` and `X-Database-Lag`.
        if "X-Database-Lag" not in response.headers:
            return None
        return max(retry_after(response) or 0.0, MAXLAG_WAIT)

    def _file(self, page: dict[str, Any], kind: str, prop: str) -> StockItem | None:
        infos = page.get(prop) or []
        if not infos or not isinstance(infos[0], dict):
            return None
        info: dict[str, Any] = infos[0]
        meta = {key: value.get("value") for key, value in (info.get("extmetadata") or {}).items()}
        licence = self._licence(meta)
        if licence is None:
            return None
        if not info.get("width") or not info.get("height") or not _is_kind(info.get("mime"), kind):
            return None  # audio-only Ogg files, or a PDF the bitmap filter let through
        if kind == "image":
            download, preview, duration = info.get("thumburl") or info.get("url"), info.get("thumburl"), None
        else:
            webm = [
                each
                for each in info.get("derivatives") or []
                if each.get("src") and str(each.get("type") or "").startswith("video/webm")
            ]
            # Transcodes first: on a tie with the original, the one with a bounded bitrate wins.
            best = nearest_rendition(sorted(webm, key=lambda each: not each.get("transcodekey")))
            download = best["src"] if best else info.get("url")
            preview = info.get("thumburl")
            duration = float(info["duration"]) if info.get("duration") is not None else None
        if not download:
            return None
        file_title = str(page.get("title") or "")
        title = _text(meta.get("ObjectName")) or PurePosixPath(file_title.removeprefix("File:")).stem
        artist = meta.get("Artist")
        return StockItem(
            id=f"wikimedia:{page.get('pageid') or file_title}",
            provider=self.name,
            type="image" if kind == "image" else "video",
            title=title,
            tags=tokenize(title),
            width=int(info["width"]),
            height=int(info["height"]),
            duration=duration,
            author=_text(meta.get("Attribution")) or _text(artist) or None,
            author_url=_first_link(artist),
            licence=licence.name,
            page_url=info.get("descriptionurl") or None,
            preview_url=preview or None,
            download_url=download,
        )

    def _licence(self, meta: dict[str, Any]) -> Licence | None:
        """The file's licence when a video may use it; None otherwise."""
        if meta.get("NonFree") and str(meta["NonFree"]).strip().casefold() not in ("", "false"):
            return None
        licence = parse_licence(str(meta.get("License") or ""))
        if licence is None or not licence.usable(allow_noncommercial=self.allow_noncommercial):
            return None
        restrictions = {part.strip() for part in str(meta.get("Restrictions") or "").split("|")}
        if not self.allow_noncommercial and restrictions & COMMERCIAL_RESTRICTIONS:
            return None
        return licence


def _is_kind(mime: Any, kind: str) -> bool:
    """Whether a file of this MIME type is an image or a video (Ogg Theora is "application/ogg")."""
    name = str(mime or "")
    if kind == "image":
        return name.startswith("image/")
    return name.startswith("video/") or name == "application/ogg"


def _text(value: Any) -> str:
    """An extmetadata value as plain text: tags stripped, entities decoded, spaces collapsed."""
    if value is None:
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", str(value))).split())


def _first_link(value: Any) -> str | None:
    """The first link in an extmetadata value (the author's user page), made absolute."""
    match = _HREF.search(str(value or ""))
    if match is None:
        return None
    link = html.unescape(match.group(1))
    if link.startswith("//"):
        return "https:" + link
    if link.startswith("/"):
        return "https://commons.wikimedia.org" + link
    return link if link.startswith(("http://", "https://")) else None
