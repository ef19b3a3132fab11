"""All sources at once: one page merged from several, an item fetched by its own source, and the
sources the engine's configuration enables."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scriptsensei_cli.engine.config import EngineConfig

from .base import (
    StockItem,
    StockProvider,
    StockProviderError,
    StockSearchResult,
    check_search_args,
    limit_shares,
)
from .local import LocalLibrary
from .openverse import OpenverseProvider
from .pexels import PexelsProvider
from .pixabay import PixabayProvider
from .wikimedia import WikimediaProvider

logger = logging.getLogger("scriptsensei.media")


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
    """The sources to ask, in order: the local library (always, indexed into `cache_dir`), Pexels and
    Pixabay when keyed, then Openverse and Wikimedia Commons (no key); none online when the
    configuration turns online media off.

    The online providers cache searches and downloads under `cache_dir` and hold an HTTP client each:
    `close()` them when done (they are context managers).
    """
    providers: list[StockProvider] = [local_library(config.media_library, cache_dir / "local-library.json")]
    if not config.online_media:
        return providers
    if config.pexels_api_key:
        providers.append(
            PexelsProvider(config.pexels_api_key, base_url=config.pexels_url, cache_dir=cache_dir)
        )
    if config.pixabay_api_key:
        providers.append(
            PixabayProvider(config.pixabay_api_key, base_url=config.pixabay_url, cache_dir=cache_dir)
        )
    allow_noncommercial = config.allow_noncommercial_media
    providers.append(
        OpenverseProvider(
            base_url=config.openverse_url, cache_dir=cache_dir, allow_noncommercial=allow_noncommercial
        )
    )
    providers.append(
        WikimediaProvider(
            base_url=config.wikimedia_url, cache_dir=cache_dir, allow_noncommercial=allow_noncommercial
        )
    )
    return providers


_libraries: dict[tuple[tuple[Path, ...], Path], LocalLibrary] = {}
_libraries_lock = threading.Lock()


def local_library(folders: Sequence[Path], index_path: Path) -> LocalLibrary:
    """The process's library for these folders and index: one, so its index, sentence vectors and
    freshness survive from one request (or scene) to the next instead of being reloaded each time."""
    key = (tuple(Path(folder).expanduser().absolute() for folder in folders), index_path)
    with _libraries_lock:
        library = _libraries.get(key)
        if library is None:
            library = _libraries[key] = LocalLibrary(folders, index_path)
        return library
