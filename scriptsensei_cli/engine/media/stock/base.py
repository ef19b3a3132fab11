"""What every stock source shares: the shapes of an item, a page and a merged result, the source
protocol, the error, and the words a search matches on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import ConfigDict

from scriptsensei_cli.contract import media as contract
from scriptsensei_cli.engine.outbound import ProviderError

KINDS = ("image", "video")
ORIENTATIONS = ("portrait", "landscape", "square")
# Width/height ratios within this distance of 1 count as square (phone photos are rarely exactly 1:1).
SQUARE_TOLERANCE = 0.05

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


class StockItem(contract.StockItem):
    """One picture or clip from a stock source: the API's `StockItem` (what a search returns, with
    what is needed to credit it), plus what only the engine needs to fetch it.

    `id` is unique across sources ("pexels:123", "pixabay:456", "local:<hash of the path>").
    Remote items have a `download_url`; local items have a `path` instead. Every source knows the
    size and licence, so they are not optional here.
    """

    model_config = ConfigDict(frozen=True)

    width: int
    height: int
    licence: str
    download_url: str | None = None
    path: Path | None = None

    @property
    def orientation(self) -> str:
        return orientation_of(self.width, self.height)

    def public(self) -> contract.StockItem:
        """The item as the API shows it: the contract's fields only (no download link, no path)."""
        return contract.StockItem.model_validate(
            self.model_dump(include=set(contract.StockItem.model_fields))
        )

    def record(self) -> dict[str, Any]:
        """The item as JSON-ready data, for `from_record` to rebuild (the import cache keeps these)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> StockItem:
        """The item `record` wrote; records from before the engine used the contract's shape name
        the media type `kind`."""
        if "type" not in data and "kind" in data:
            data = {("type" if key == "kind" else key): value for key, value in data.items()}
        return cls.model_validate(data)


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


def limit_shares(limit: int, parts: int) -> list[int]:
    """`limit` split as evenly as possible over `parts`, earlier parts getting the remainder."""
    base, extra = divmod(limit, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
