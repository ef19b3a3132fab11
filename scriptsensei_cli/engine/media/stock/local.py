"""The user's own folders as a stock source: offline, always on, indexed into a JSON file."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import subprocess
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from scriptsensei_cli.contract.media import MediaType
from scriptsensei_cli.engine.render.ffmpeg import FFmpegError, ffmpeg_exe, probe
from scriptsensei_cli.engine.render.visuals import IMAGE_SUFFIXES, VIDEO_SUFFIXES

from ....common.atomic import atomic_path
from .base import StockItem, StockPage, StockProviderError, check_search_args, orientation_of, tokenize

logger = logging.getLogger("scriptsensei.media")

INDEX_VERSION = 1
PROBE_WORKERS = 4
LOCAL_LICENCE = "local"
# Container metadata that describes the content (`ffmpeg -i` prints it under the input's Metadata).
METADATA_TAG_KEYS = ("title", "comment", "description", "synopsis", "keywords", "genre", "subject")
METADATA_AUTHOR_KEYS = ("artist", "author", "album_artist", "composer")


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
            type=entry.kind,
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
