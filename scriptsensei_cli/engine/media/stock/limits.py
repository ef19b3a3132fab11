"""Asking online sources as little as possible: searches cached on disk, sources that failed left alone
for a while, and one request at a time for the same thing.

- `SearchCache`: a page of results per (source, query, filters), kept for a day under the stock cache
  dir, so a batch of fifty videos on one subject asks each source once per distinct query, across
  renders and engine processes.
- `COOL_DOWNS`: after a rate limit, a timeout or a failed connection, a source is skipped until the wait
  it asked for (or ours) is over, so a render without a network does not wait on it for every scene.
  Process-wide: providers are made per request and per render, the state outlives them.
- `same_key_lock`: threads asking for the same search or download wait for the first one instead of
  repeating it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ....common.atomic import atomic_path
from .base import StockItem, StockPage

logger = logging.getLogger("scriptsensei.media")

SEARCH_TTL = 24 * 3600.0
CACHE_VERSION = 1
# Past this many saved searches, expired ones are deleted when a new one is saved.
PRUNE_AFTER_FILES = 2000

# How long a source is skipped when it did not say: after a rate limit, and when it did not answer
# (timed out, refused the connection, failed with 5xx). Its own Retry-After counts up to a day.
RATE_LIMIT_COOL_DOWN = 60.0
UNREACHABLE_COOL_DOWN = 120.0
MAX_COOL_DOWN = 24 * 3600.0


# ------------------------------------------------------------------------------------- cool-downs


@dataclass(frozen=True)
class CoolDown:
    until: float  # time.monotonic()
    reason: str  # "a rate limit", "a timeout"...

    def remaining(self) -> float:
        return max(self.until - time.monotonic(), 0.0)


class CoolDowns:
    """Sources to leave alone for now, keyed by source and base URL (two stand-ins are two sources)."""

    def __init__(self) -> None:
        self._until: dict[tuple[str, str], CoolDown] = {}
        self._lock = threading.Lock()

    def start(self, key: tuple[str, str], seconds: float, reason: str) -> None:
        """Skip `key` for `seconds` (at most `MAX_COOL_DOWN`), unless it is already skipped for longer."""
        seconds = min(max(seconds, 0.0), MAX_COOL_DOWN)
        if seconds <= 0:
            return
        with self._lock:
            current = self._until.get(key)
            until = time.monotonic() + seconds
            if current is None or current.until < until:
                self._until[key] = CoolDown(until, reason)
        logger.info("stock source %s cooling down for %.0f s after %s", key[0], seconds, reason)

    def get(self, key: tuple[str, str]) -> CoolDown | None:
        """The cool-down `key` is in, or None when it may be asked."""
        with self._lock:
            current = self._until.get(key)
            if current is not None and current.remaining() <= 0:
                del self._until[key]
                return None
            return current

    def clear(self) -> None:
        with self._lock:
            self._until.clear()


COOL_DOWNS = CoolDowns()


# ------------------------------------------------------------------------------------ same-key lock

_LOCKS = [threading.Lock() for _ in range(64)]


def same_key_lock(key: str) -> threading.Lock:
    """A lock shared by everyone using `key` (and a few other keys: the pool is small and fixed)."""
    return _LOCKS[int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % len(_LOCKS)]


# ------------------------------------------------------------------------------------ search cache


class SearchCache:
    """Pages of search results saved as JSON files under `folder`, each valid for `ttl` seconds.

    ```python
    cache = SearchCache(cache_dir / "searches")
    key = cache.key("openverse", base_url, query="ocean", kind="image", page=1, limit=20)
    page = cache.get(key) or cache.put(key, provider_search())
    ```
    """

    def __init__(self, folder: Path, ttl: float = SEARCH_TTL) -> None:
        self.folder = folder
        self.ttl = ttl

    @staticmethod
    def key(source: str, *parts: Any, **filters: Any) -> str:
        """A file-safe key for a search: the source's name, then a digest of everything else."""
        document = json.dumps([CACHE_VERSION, parts, filters], sort_keys=True, default=str)
        return f"{source}-{hashlib.sha256(document.encode()).hexdigest()[:32]}"

    def get(self, key: str) -> StockPage | None:
        """The saved page, or None when missing, expired, unreadable or of another version."""
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            if data.get("version") != CACHE_VERSION or time.time() - float(data["saved"]) > self.ttl:
                return None
            items = [StockItem.from_record(record) for record in data["items"]]
            return StockPage(items, int(data["total"]), int(data["page"]), int(data["limit"]))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def put(self, key: str, page: StockPage) -> StockPage:
        """Save `page` (atomically; a read-only cache dir only costs the cache) and return it."""
        document = {
            "version": CACHE_VERSION,
            "saved": time.time(),
            "items": [item.record() for item in page.items],
            "total": page.total,
            "page": page.page,
            "limit": page.limit,
        }
        try:
            self._prune()
            with atomic_path(self.folder / f"{key}.json") as partial:
                partial.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            logger.warning("could not save a stock search in %s: %s", self.folder, exc)
        return page

    def _prune(self) -> None:
        if not self.folder.is_dir():
            return
        files = list(self.folder.glob("*.json"))
        if len(files) <= PRUNE_AFTER_FILES:
            return
        oldest = time.time() - self.ttl
        for path in files:
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < oldest:
                    path.unlink()
