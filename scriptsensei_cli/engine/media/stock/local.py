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
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from scriptsensei_cli.contract.media import MediaType
from scriptsensei_cli.engine.render.ffmpeg import FFmpegError, ffmpeg_exe, probe
from scriptsensei_cli.engine.render.visuals import IMAGE_SUFFIXES, VIDEO_SUFFIXES

from ....common.atomic import atomic_path
from ..embedding import text_embedder
from .base import StockItem, StockPage, StockProviderError, check_search_args, tokenize
from .ranking import Catalogue, encode_vector

logger = logging.getLogger("scriptsensei.media")

# 2: entries hold what the file shows (`subject`) and its sentence vector; the index names the model.
INDEX_VERSION = 2
# A search within this many seconds of the last walk of the folders trusts it, unless a folder's own
# mtime changed (a file added, removed or renamed in it): files edited in place are seen after this.
FRESH_FOR = 5.0
# A folder changed this close to a walk may change again without its mtime moving (coarse clocks).
RACY_NS = 2_000_000_000
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
    # What the file shows, in words (its name, sub-folders and metadata, not the library folder's name):
    # what the sentence model reads. `vector` is its unit vector as base64 float16, by the index's model.
    subject: str = ""
    vector: str | None = None


@dataclass(frozen=True)
class IndexStats:
    """What one refresh did: files indexed, files probed (new or changed), entries dropped, and files
    given a sentence vector (new ones, or all of them when the model changed)."""

    files: int
    probed: int
    removed: int
    embedded: int = 0


class LocalLibrary:
    """The user's own folders, searchable offline by what the files show: the words of their names,
    folders and embedded metadata, and what those words mean.

    The index is a JSON file, brought up to date before a search: files whose mtime and size are
    unchanged keep their entry (they are not probed again), deleted files drop out, new or changed ones
    are probed in parallel and given a sentence vector. Unreadable files are remembered too, so they are
    not probed again until they change. Searches within `fresh_for` seconds of a walk of the folders
    trust it unless a folder's mtime moved, so a video's scenes do not each walk 10,000 files.

    ```python
    library = LocalLibrary([Path("~/Videos/b-roll").expanduser()], data_dir / "media-library.json")
    for item, score in library.rank("a cyclist in the rain", orientation="portrait", limit=3):
        ...  # only files that match; none when nothing does (try another source)
    ```
    """

    name = "local"

    def __init__(self, folders: Sequence[Path], index_path: Path, *, fresh_for: float = FRESH_FOR) -> None:
        self.folders = [Path(folder).expanduser().absolute() for folder in folders]
        self.index_path = index_path
        self.fresh_for = fresh_for
        self._entries: dict[str, IndexEntry] | None = None
        self._model: str | None = None  # the model that made the loaded entries' vectors
        self._walked_at = 0.0
        self._folder_mtimes: dict[str, int] = {}
        self._racy = True
        self._catalogue: Catalogue | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LocalLibrary(folders={[str(f) for f in self.folders]!r})"

    def missing_folders(self) -> list[Path]:
        return [folder for folder in self.folders if not folder.is_dir()]

    def entries(self) -> dict[str, IndexEntry]:
        """The index as it is now (refreshed first when it may be stale), keyed by absolute path."""
        return dict(self._fresh_catalogue().index)

    def refresh(self) -> IndexStats:
        """Bring the index up to date with the folders; probe and embed only new and changed files."""
        with self._lock:
            return self._refresh()

    def rank(
        self,
        query: str,
        *,
        kind: str | None = None,
        orientation: str | None = None,
        limit: int = 10,
        language: str = "en",
    ) -> list[tuple[StockItem, float]]:
        """The files that match `query`, best first, with a score in [0, 1]; none when nothing does.

        Files whose words hold every query word, as a lemma ("Espresso shots" finds espresso-shot.jpg)
        score 0.9 and up; the others score by meaning (the sentence model's cosine, plus a little for
        the query words they hold) and count only from `RELEVANT` up. Without the model installed,
        any file holding a query word counts, ranked by how many and how well.
        """
        check_search_args(kind, orientation, 1, limit)
        catalogue = self._fresh_catalogue()
        rows, scores = catalogue.rank(tokenize(query), kind=kind, orientation=orientation, language=language)
        return [
            (self._item(catalogue.paths[row], catalogue.entries[row]), round(float(score), 4))
            for row, score in zip(rows[:limit], scores[:limit], strict=True)
        ]

    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        orientation: str | None = None,
        page: int = 1,
        limit: int = 20,
    ) -> StockPage:
        """`rank`'s matches, a page at a time; an empty query lists every file (in path order)."""
        check_search_args(kind, orientation, page, limit)
        catalogue = self._fresh_catalogue()
        rows, _ = catalogue.rank(tokenize(query), kind=kind, orientation=orientation, list_all=True)
        start = (page - 1) * limit
        items = [
            self._item(catalogue.paths[row], catalogue.entries[row]) for row in rows[start : start + limit]
        ]
        return StockPage(items, len(rows), page, limit)

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

    def _fresh_catalogue(self) -> Catalogue:
        """The search structures for the index as it is now: the ones in memory while the folders look
        unchanged (see `fresh_for`), else rebuilt after a refresh."""
        with self._lock:
            if self._entries is None or not self._looks_fresh():
                self._refresh()
            if self._catalogue is None:
                assert self._entries is not None
                self._catalogue = Catalogue(self._entries)
            return self._catalogue

    def _looks_fresh(self) -> bool:
        if self._racy or time.monotonic() - self._walked_at > self.fresh_for:
            return False
        for folder, mtime in self._folder_mtimes.items():
            try:
                if os.stat(folder).st_mtime_ns != mtime:
                    return False
            except OSError:
                if mtime != 0:
                    return False
        return True

    def _refresh(self) -> IndexStats:
        embedder = text_embedder()
        model = embedder.model_id if embedder is not None else None
        known = self._entries if self._entries is not None else self._load()
        stale_vectors = model is not None and model != self._model
        started_ns = time.time_ns()
        folder_mtimes: dict[str, int] = {}
        current: dict[str, IndexEntry] = {}
        changed: list[tuple[Path, Path, os.stat_result]] = []
        for root, path, stat in self._walk(folder_mtimes):
            entry = known.get(str(path))
            if entry and entry.mtime_ns == stat.st_mtime_ns and entry.size == stat.st_size:
                current[str(path)] = entry
            else:
                changed.append((root, path, stat))
        current.update(_index_files(changed))
        if stale_vectors:
            for entry in current.values():
                entry.vector = None
        embedded = _embed(current.values()) if embedder is not None else 0
        removed = len(known.keys() - current.keys())
        if changed or removed or embedded or stale_vectors or not self.index_path.exists():
            self._save(current, model or self._model)
        if changed or removed or embedded or stale_vectors or self._entries is None:
            self._catalogue = None
        self._model = model or self._model
        self._entries = current
        self._walked_at = time.monotonic()
        self._folder_mtimes = folder_mtimes
        self._racy = any(started_ns - mtime < RACY_NS for mtime in folder_mtimes.values())
        return IndexStats(files=len(current), probed=len(changed), removed=removed, embedded=embedded)

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

    def _walk(self, folder_mtimes: dict[str, int]) -> Iterator[tuple[Path, Path, os.stat_result]]:
        """(root, file, stat) for every image and video under the folders, hidden ones skipped; each
        folder's mtime goes into `folder_mtimes` (0 for a library folder that is missing)."""
        suffixes = IMAGE_SUFFIXES | VIDEO_SUFFIXES
        seen: set[Path] = set()
        for root in self.folders:
            folder_mtimes.setdefault(str(root), 0)
            for directory, dirnames, filenames in os.walk(root):
                with contextlib.suppress(OSError):
                    folder_mtimes[directory] = os.stat(directory).st_mtime_ns
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
            entries = {path: IndexEntry(**entry) for path, entry in data["entries"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}
        self._model = data.get("model")
        return entries

    def _save(self, entries: dict[str, IndexEntry], model: str | None) -> None:
        """Write the index atomically; a library on a read-only data dir still works, unindexed."""
        document = {
            "version": INDEX_VERSION,
            "model": model,
            "entries": {path: asdict(e) for path, e in entries.items()},
        }
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
    described = [metadata[key] for key in METADATA_TAG_KEYS if key in metadata]
    words = [path.stem, *folders, *described]
    entry.usable = True
    entry.width, entry.height = info.width, info.height
    entry.duration = info.duration if kind == "video" else None
    entry.title = metadata.get("title") or " ".join(re.split(r"[\W_]+", path.stem)).strip() or path.name
    entry.tags = tokenize(" ".join(words))
    entry.subject = " ".join(tokenize(" ".join([path.stem, *folders[1:], *described])))
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


def _embed(entries: Iterable[IndexEntry]) -> int:
    """Give usable entries without a vector one (in batches); how many were given one."""
    missing = [entry for entry in entries if entry.usable and entry.vector is None]
    embedder = text_embedder()
    if not missing or embedder is None:
        return 0
    started = time.perf_counter()
    vectors = embedder.embed([entry.subject or entry.title for entry in missing])
    for entry, vector in zip(missing, vectors, strict=True):
        entry.vector = encode_vector(vector)
    logger.info("media library: %d files embedded in %.1f s", len(missing), time.perf_counter() - started)
    return len(missing)
