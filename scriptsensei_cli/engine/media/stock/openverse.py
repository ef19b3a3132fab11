"""Openverse: openly licensed images from many collections, no key (and no video)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import httpx

from .base import StockItem, StockPage, tokenize
from .licences import parse_licence
from .remote import OnlineProvider, wanted

# DRF's throttle rates: "20/min", "5/hour", "100/day"; the unit is read by its first letter.
_RATE = re.compile(r"^\s*\d+\s*/\s*([smhd])", re.IGNORECASE)
_PERIOD = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


class OpenverseProvider(OnlineProvider):
    """Openverse image search (https://api.openverse.org/v1/), anonymous.

    Images only: Openverse has no video, so a video search is an empty page without a request, and so
    is an empty query (there is nothing to look for). Only licences a video may use are asked for
    and kept (see `licences`). Anonymous clients get at most 20 results a page, 20 pages deep, and
    a few requests a minute and a day: searches are cached, and when the `X-RateLimit-Available-*`
    headers say a quota is used up, the source cools down until its window is over.

    ```python
    with OpenverseProvider(cache_dir=cache) as openverse:
        page = openverse.search("cyclist rain", kind="image", orientation="portrait")
    ```
    """

    name = "openverse"
    label = "Openverse"
    default_base_url = "https://api.openverse.org/v1/"  # SCRIPTSENSEI_OPENVERSE_URL
    max_per_page = 20  # anonymous: a larger page_size is refused with 401
    max_pages = 20  # anonymous: deeper pages are refused
    max_query = 200
    ASPECT: ClassVar[dict[str, str]] = {"portrait": "tall", "landscape": "wide", "square": "square"}

    def __init__(self, *, allow_noncommercial: bool = False, **options: Any) -> None:
        super().__init__(None, **options)
        self.allow_noncommercial = allow_noncommercial

    def _search_identity(self) -> tuple[Any, ...]:
        return (self.allow_noncommercial,)

    def _clean_query(self, query: str) -> str:
        return query.strip()[: self.max_query]

    def _search(
        self, query: str, kind: str | None, orientation: str | None, page: int, limit: int
    ) -> StockPage:
        return self._search_kind(kind or "image", query, orientation, page, limit)

    def _search_kind(
        self, kind: str, query: str, orientation: str | None, page: int, limit: int
    ) -> StockPage:
        provider_page, per_page, offset, size = self._window(page, limit)
        if kind != "image" or not query or provider_page > self.max_pages:
            return StockPage([], 0, page, size)
        params: dict[str, Any] = {
            "q": query,
            "page": provider_page,
            "page_size": per_page,
            # Commercial use and changes; without the first, NC licences too (never ND).
            "license_type": "modification" if self.allow_noncommercial else "commercial,modification",
            "mature": "false",
        }
        if orientation:
            params["aspect_ratio"] = self.ASPECT[orientation]
        data = self._get_json(self._url("images/"), params, {})
        found = [self._image(result) for result in (data.get("results") or [])[offset : offset + size]]
        items = [item for item in found if item and wanted(item, orientation)]
        return StockPage(items, int(data.get("result_count") or 0), page, size)

    def _past_last_page(self, response: httpx.Response) -> bool:
        # A page past the results is a 400 ("Invalid page") or a 404, not an empty list.
        return response.status_code in (400, 404) and "page" in response.text.casefold()

    def _image(self, result: dict[str, Any]) -> StockItem | None:
        licence = parse_licence(result.get("license"), result.get("license_version"))
        if licence is None or not licence.usable(allow_noncommercial=self.allow_noncommercial):
            return None
        if not all(result.get(field) for field in ("id", "url", "width", "height")):
            return None  # without a size there is no telling its shape, nor cropping it
        title = str(result.get("title") or "").strip()
        tags = [str(tag.get("name")).casefold() for tag in result.get("tags") or [] if tag.get("name")]
        return StockItem(
            id=f"openverse:{result['id']}",
            provider=self.name,
            type="image",
            title=title,
            tags=[*(word for word in tokenize(title) if word not in tags), *tags],
            width=int(result["width"]),
            height=int(result["height"]),
            duration=None,
            author=result.get("creator") or None,
            author_url=result.get("creator_url") or None,
            licence=licence.name,
            page_url=result.get("foreign_landing_url") or None,
            preview_url=result.get("thumbnail") or None,
            download_url=result["url"],
        )

    def _quota_wait(self, response: httpx.Response) -> float | None:
        """The longest window among the quotas with nothing left (X-RateLimit-Available-<scope>: 0,
        X-RateLimit-Limit-<scope>: "20/min")."""
        waits = []
        for name, value in response.headers.items():
            if not name.lower().startswith("x-ratelimit-available-"):
                continue
            try:
                available = int(value.strip())
            except ValueError:
                continue
            if available > 0:
                continue
            scope = name[len("x-ratelimit-available-") :]
            match = _RATE.match(response.headers.get(f"X-RateLimit-Limit-{scope}", ""))
            waits.append(_PERIOD[match.group(1).lower()] if match else 60.0)
        return max(waits, default=None)
