"""Running a validated sheet: one idempotent submission (a topic row's script is written by the
engine, as the first stage of the row's own job), following the batch, downloading each finished
video once, and the manifests. No printing: callers get callbacks.
"""

from __future__ import annotations

import csv
import hashlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..client.resources.videos import output_files
from ..common.atomic import atomic_write, atomic_write_text, leftovers
from ..common.checksum import sha256_of
from ..contract import (
    BulkJob,
    BulkRequest,
    BulkRow,
    CaptionOptions,
    GenerateVideoRequest,
    Scene,
    Video,
)
from ..contract.scripts import Script, ScriptCreate
from ..contract.videos import FINAL_STATUSES, ScriptToWrite
from ..contract.vocabulary import PLATFORMS

if TYPE_CHECKING:
    from ..client._client import ScriptSensei
    from .validate import PlannedRow

SOCKET_SAFETY_POLL = 3.0  # with a live socket, poll this often anyway (an event can be lost)
EVENT_COALESCE = 0.1
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_TOPIC_SECONDS = 30  # a topic row without a duration (batch/plan.py plans with the same)


class BulkTimeout(Exception):
    pass


def _stat(path: Path | str) -> str:
    if isinstance(path, str):  # a media id: library items never change, the id is the identity
        return path
    info = path.stat()
    return f"{path}:{info.st_size}:{int(info.st_mtime)}"


def row_key(request: GenerateVideoRequest, row: PlannedRow) -> str:
    """What makes a row the same row: its request and the files it uses (by size and mtime)."""
    files = [_stat(p) for p in [*row.media, *([row.music] if row.music else [])]]
    canonical = json.dumps({"request": request.model_dump(mode="json"), "files": files}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:40]


def build_batch(
    api: ScriptSensei,
    rows: Sequence[PlannedRow],
    name: str,
    *,
    retry_failed: bool = False,
    on_script: Callable[[PlannedRow, Script], None] | None = None,
) -> BulkRequest:
    """The batch request. A topic row asks the engine to write its script (`write`: the first stage
    of the row's job, so scripts are written while other rows render); a row with a script in
    another language gets its translation first, here, and `on_script` hears of each."""
    batch_rows = []
    keys: set[str] = set()
    for row in rows:
        script_id = None
        write = None
        if row.script is None:
            write = ScriptToWrite(
                topic=row.topic or "",
                tone=row.tone,
                duration=row.duration or DEFAULT_TOPIC_SECONDS,
                template_id=row.template,
                variables=row.variables,
            )
        elif row.script_language is not None:
            script = _translated(api, row)
            script_id = script.id
            if on_script is not None:
                on_script(row, script)
        request = GenerateVideoRequest(
            script=row.script if script_id is None else None,
            script_id=script_id,
            write=write,
            title=row.title,
            language=row.language,
            voice=row.voice,
            platform=row.platform,
            aspect_ratio=row.aspect_ratio,
            quality=row.quality,
            captions=CaptionOptions(style=row.captions) if row.captions else None,
            media=[str(p) for p in row.media],
            visuals=row.visuals,
            music=str(row.music) if row.music else None,
        )
        key = row_key(request, row)
        if key in keys:
            # An identical row under its own output name: a video of its own, keyed the same way each
            # run (the server keeps one video per key and refuses a batch that repeats one).
            key = hashlib.sha256(f"{key}|{row.output_name.casefold()}".encode()).hexdigest()[:40]
        keys.add(key)
        batch_rows.append(BulkRow(row=row.row, key=key, output_name=row.output_name, request=request))
    batch_key = hashlib.sha256("|".join(r.key for r in batch_rows).encode()).hexdigest()[:40]
    return BulkRequest(name=name, key=batch_key, rows=batch_rows, retry_failed=retry_failed)


def _translated(api: ScriptSensei, row: PlannedRow) -> Script:
    """The row's script, saved in its own language and translated into the video's (idempotently:
    a rerun finds both, and the server's LLM cache makes no second paid call)."""
    assert row.script is not None and row.script_language is not None
    original = ScriptCreate(
        content=row.script,
        title=row.title or None,
        platform=PLATFORMS[row.platform].script_platform,
        language=row.script_language,
        tone=row.tone,
    )
    digest = hashlib.sha256(original.model_dump_json().encode()).hexdigest()[:40]
    saved = api.scripts.create(original, idempotency_key=f"script-{digest}")
    return api.scripts.translate(saved.id, row.language, idempotency_key=f"translate-{digest}-{row.language}")


@dataclass
class Downloaded:
    video: Path
    files: list[Path]
    skipped: bool


@dataclass
class Follower:
    """Polls a batch until every video is final, reporting changes and finished videos once each,
    and (`on_poll`) the whole batch after each poll's reports."""

    api: ScriptSensei
    bulk_id: str
    on_change: Callable[[BulkJob, list[Video]], None]
    on_finished: Callable[[Video], None]
    poll_interval: float = 1.0
    on_poll: Callable[[BulkJob], None] | None = None
    _seen: dict[str, tuple[str, str | None, float]] = field(default_factory=dict)
    _finished: set[str] = field(default_factory=set)

    def run(self, timeout: float | None = None) -> BulkJob:
        """Poll on every Socket.IO `bulk_progress` event (or every poll interval without a socket)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        wake = threading.Event()
        socket = _bulk_socket(self.api, self.bulk_id, wake)
        try:
            return self._loop(deadline, wake, socket)
        finally:
            if socket is not None:
                socket.disconnect()

    def _loop(self, deadline: float | None, wake: threading.Event, socket: Any) -> BulkJob:
        while True:
            status = self.api.bulk.status(self.bulk_id)
            changed = []
            for video in status.videos:
                state = (video.status, video.stage, round(video.progress))
                if self._seen.get(video.id) != state:
                    self._seen[video.id] = state
                    changed.append(video)
            if changed:
                self.on_change(status, changed)
            for video in status.videos:
                if video.status in FINAL_STATUSES and video.id not in self._finished:
                    self._finished.add(video.id)
                    self.on_finished(video)
            if self.on_poll is not None:
                self.on_poll(status)
            if status.videos and all(video.status in FINAL_STATUSES for video in status.videos):
                return status
            if deadline is not None and time.monotonic() > deadline:
                raise BulkTimeout(f"bulk job {self.bulk_id} is still running")
            connected = socket is not None and socket.connected
            wake.wait(SOCKET_SAFETY_POLL if connected else self.poll_interval)
            wake.clear()
            time.sleep(EVENT_COALESCE)  # events come in bursts; one poll answers them all


def download(
    api: ScriptSensei, video: Video, out_dir: Path, sidecar: Callable[[], dict[str, Any]]
) -> Downloaded:
    """The video, thumbnail, captions and a JSON sidecar (made by `sidecar` only when it is written);
    what is already there is not fetched again (the MP4 is trusted only when its checksum matches)."""
    name = video.output_name or video.id
    mp4 = out_dir / f"{name}.mp4"
    fetched = []
    for path, kind, params in output_files(video, out_dir / name, vtt=False):
        have = path.exists() and (path != mp4 or sha256_of(path) == video.sha256)
        if not have:
            fetched.append(api.videos.download(video.id, path, kind=kind, params=params))
    meta = out_dir / f"{name}.json"
    if fetched or not meta.exists():
        atomic_write_text(meta, json.dumps(sidecar(), indent=2, ensure_ascii=False))
        fetched.append(meta)
    return Downloaded(mp4, fetched, skipped=not fetched)


def remove_partial_downloads(out_dir: Path) -> int:
    """Temporary files a killed run left behind (those of older versions too)."""
    stale = leftovers(out_dir)
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def sidecar_for(row: PlannedRow, video: Video, scenes: Sequence[Scene]) -> dict[str, Any]:
    """The JSON saved beside a video: its settings, and per scene what it shows and the credit owed."""
    return {
        "row": row.row,
        "title": video.title,
        "platform": video.platform,
        "aspect_ratio": video.aspect_ratio,
        "duration": video.duration,
        "voice": video.voice,
        "language": video.language,
        "captions": row.captions,
        "visuals": row.visuals,
        "media": [scene_visual(scene, row) for scene in scenes],
        "music": str(row.music) if row.music else None,
        "video_id": video.id,
        "sha256": video.sha256,
    }


def scene_visual(scene: Scene, row: PlannedRow) -> dict[str, Any]:
    """One scene's entry in the sidecar's `media`: its source (media, library, stock, generated, none),
    the file, the search terms and why, and author, licence and page to credit. A scene showing the
    row's own media names it as the row did (its path here, or its media id), never the server's copy."""
    entry: dict[str, Any] = {"scene": scene.index, "start": scene.start, "duration": scene.duration}
    if scene.visual is not None:
        entry.update(scene.visual.model_dump(exclude_none=True))
    if scene.media and row.media:
        own = row.media[scene.index % len(row.media)]  # the scenes take the row's media in turn
        entry.update({"media_id": own} if isinstance(own, str) else {"path": str(own)})
        entry.pop("file", None)
    return entry


MANIFEST_COLUMNS = ("row", "title", "status", "video_id", "path", "duration", "failed_stage", "error")


def protect_cell(value: Any) -> str:
    """A cell safe to open in a spreadsheet: text that would start a formula is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def manifest_rows(rows: Sequence[PlannedRow], final: BulkJob, paths: dict[str, Path]) -> list[dict[str, Any]]:
    by_row = {video.row_number: video for video in final.videos}
    result = []
    for row in rows:
        video = by_row.get(row.row)
        error = video.error if video else None
        result.append(
            {
                "row": row.row,
                "title": row.title,
                "status": video.status if video else "not submitted",
                "video_id": video.id if video else None,
                "path": str(paths[video.id]) if video and video.id in paths else None,
                "duration": video.duration if video else None,
                "failed_stage": error.stage if error else None,
                "error": error.message if error else None,
            }
        )
    return result


def write_manifests(out_dir: Path, entries: list[dict[str, Any]]) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, json_path = out_dir / "results.csv", out_dir / "results.json"
    with atomic_write(csv_path, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MANIFEST_COLUMNS)
        for entry in entries:
            writer.writerow([protect_cell(entry[column]) for column in MANIFEST_COLUMNS])
    atomic_write_text(json_path, json.dumps(entries, indent=2, ensure_ascii=False))
    return csv_path, json_path


def _bulk_socket(api: ScriptSensei, bulk_id: str, wake: threading.Event) -> Any:
    """A Socket.IO client in the batch's room that sets `wake` on each event; None if unavailable."""
    from ..client.realtime import subscribe

    handlers = {"bulk_progress": lambda data: wake.set()}
    return subscribe(api, "subscribe_to_bulk", {"job_id": bulk_id}, handlers, reconnection=True)
