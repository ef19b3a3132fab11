"""Stock media search: the user's own folders (offline, always on), Pexels and Pixabay when keyed, and
Openverse and Wikimedia Commons (no key) unless online media is off.

Every source maps its results onto one `StockItem` shape (the API's, plus how to fetch it) that carries
author and licence, so the API can credit the way the providers ask, and `fetch_stock()` turns an item
into a local file a render can read:

    providers = providers_from_config(config, cache_dir)
    result = search_stock(providers, "ocean waves", kind="video", orientation="portrait")
    clip = fetch_stock(providers, result.items[0], cache_dir)  # a local file, downloaded at most once

A remote provider that fails never hides the others' results: `search_stock` returns its error as a
warning. Online sources cache their searches for a day and their downloads for good (under the cache
dir), and a source that rate-limited us or did not answer is skipped for a while ("cooling down"), so
a batch asks each source once per distinct query and a render without a network never waits on it.
Openverse and Commons items carry only licences a video may use (no ND; NC only when allowed).
API keys never appear in errors or reprs. Pixabay's key travels in the query string, so request
URLs are never put in messages, exceptions are not chained to httpx's (whose request holds the URL),
and httpx's own request log line is redacted.

- `base`: the item, page and result shapes, the source protocol, the error, search words.
- `local`: the user's folders, indexed offline; `LocalLibrary.rank` finds a scene's files by meaning.
- `ranking`: how the library scores its files (exact lemmas first, then sentence-vector similarity).
- `remote`: what online sources share; `limits`: the search cache and cool-downs.
- `pexels`, `pixabay`: the keyed online sources; `openverse`, `wikimedia`: the key-free ones.
- `licences`: open licences, normalised, and which a video may use.
- `search`: all sources at once, the ones the configuration enables, and one library per process.
"""

from __future__ import annotations

from .base import (
    KINDS,
    ORIENTATIONS,
    StockItem,
    StockPage,
    StockProvider,
    StockProviderError,
    StockSearchResult,
    orientation_of,
    tokenize,
)
from .licences import Licence, parse_licence
from .limits import COOL_DOWNS, SearchCache
from .local import IndexEntry, IndexStats, LocalLibrary, read_metadata
from .openverse import OpenverseProvider
from .pexels import PexelsProvider
from .pixabay import PixabayProvider
from .search import fetch_stock, local_library, providers_from_config, search_stock
from .wikimedia import WikimediaProvider

__all__ = [
    "COOL_DOWNS",
    "KINDS",
    "ORIENTATIONS",
    "IndexEntry",
    "IndexStats",
    "Licence",
    "LocalLibrary",
    "OpenverseProvider",
    "PexelsProvider",
    "PixabayProvider",
    "SearchCache",
    "StockItem",
    "StockPage",
    "StockProvider",
    "StockProviderError",
    "StockSearchResult",
    "WikimediaProvider",
    "fetch_stock",
    "local_library",
    "orientation_of",
    "parse_licence",
    "providers_from_config",
    "read_metadata",
    "search_stock",
    "tokenize",
]
