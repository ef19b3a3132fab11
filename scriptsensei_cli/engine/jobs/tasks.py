"""The render task: claim the job, hold its lease, render, record the outcome exactly once."""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import logging
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ...common.checksum import sha256_of
from ...contract.events import ProcessingStarted
from ...contract.videos import JobStatus
from ..errors import EngineError
from ..store.models import Video
from ..store.objects import OUTPUT_TYPES, Storage, StorageError, output_key
from . import ledger

if TYPE_CHECKING:
    from ..render.request import RenderRequest
    from .runtime import JobRuntime

logger = logging.getLogger("scriptsensei.jobs")
HEARTBEAT_SECONDS = ledger.LEASE_SECONDS / 3
EVENT_INTERVAL = 0.1  # at most ~10 progress events per second per job
LEDGER_INTERVAL = 0.5
CANCEL_CHECK_INTERVAL = 0.5
DB_RETRY_SECONDS = 120.0
T = TypeVar("T")
# In a video's spec: the script its job writes first (a video asked for with a topic), kept after.
PENDING_SCRIPT = "write"


class ScriptStage(Protocol):
    """The first stage of a video asked for with a topic (services/video_scripts.py implements it;
    the entry points give it to the runtime, since jobs/ sits below services/)."""

    def share(self, video_id: str) -> float:
        """The part of the video's job that writing its script is expected to take; 0.0 when it
        has nothing to write (no topic, or a script saved by an earlier attempt)."""
        ...

    def write(self, video_id: str) -> None:
        """Write the script, save it and make it the video's (text, title, scenes, `script_id`) in
        one unit of work, once; an `EngineError` says why the writer refused or failed."""
        ...

    def ahead(self, job_id: str) -> None:
        """Start writing the script of a job just queued, without holding a render worker."""
        ...


def release_freed_memory() -> None:
    """Hand memory freed by the render back to the OS (glibc keeps it otherwise, per thread arena,
    and a long batch would look like a leak)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


class Throttle:
    """At most one pass per `interval` seconds, except when forced (state changes, the last tick)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._last = 0.0

    def ready(self, force: bool = False) -> bool:
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._last = now
            return True
        return False


def register(huey: Any, runtime: JobRuntime) -> Any:
    """The render task on `huey`, bound to `runtime` (one engine process may host several in tests)."""

    def render_video(job_id: str) -> None:
        run_render_job(runtime, job_id)

    return huey.task(name="render_video", retries=0)(render_video)


def run_render_job(runtime: JobRuntime, job_id: str) -> None:
    db, worker = runtime.db, runtime.worker_name
    snap = ledger.claim(db, job_id, worker)
    if snap is None:
        return  # already done, cancelled, or another worker's
    runtime.publish(
        job_id,
        "processing_started",
        ProcessingStarted(
            job_id=job_id, seq=snap.seq, video_id=snap.video_id, message="render started"
        ).model_dump(),
    )
    lost = threading.Event()
    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(HEARTBEAT_SECONDS):
            if not _tolerant(job_id, lambda: ledger.renew_lease(db, job_id, worker), True):
                lost.set()
                return

    beat = threading.Thread(target=heartbeat, name=f"lease-{job_id}", daemon=True)
    beat.start()
    events, writes, cancel_checks = (
        Throttle(EVENT_INTERVAL),
        Throttle(LEDGER_INTERVAL),
        Throttle(CANCEL_CHECK_INTERVAL),
    )
    last_stage = [""]
    cancel_seen = [False]

    def progress(stage: str, overall: float, message: str) -> None:
        changed = stage != last_stage[0]
        last_stage[0] = stage
        percent = round(overall * 100, 1)
        if writes.ready(changed or overall >= 1.0):
            unreachable: int | None = 0  # no sequence number while the database is away: still ours
            seq = _tolerant(
                job_id,
                lambda: ledger.record_progress(db, job_id, worker, percent, stage, message),
                unreachable,
            )
            if seq is None:
                lost.set()
                return
        if events.ready(changed or overall >= 1.0):
            snap_now = _tolerant(job_id, lambda: ledger.snapshot(db, job_id), None)
            if snap_now is not None:
                runtime.publish_snapshot(snap_now)

    def cancelled() -> bool:
        if runtime.is_cancelled(job_id) or lost.is_set():
            return True
        if cancel_checks.ready():
            cancel_seen[0] = _tolerant(job_id, lambda: ledger.cancel_requested(db, job_id), cancel_seen[0])
        return cancel_seen[0]

    # Per attempt: a stale worker that has not noticed it lost the job must not clean up the
    # files of the worker that took it over.
    work_dir = runtime.scratch_folder(job_id)
    try:
        outcome = _render(runtime, job_id, snap.video_id, work_dir, progress, cancelled)
    finally:
        done.set()
        shutil.rmtree(work_dir, ignore_errors=True)
    status, error, message = outcome
    if (lost.is_set() or job_id in runtime.handed_back) and status != "completed":
        logger.warning("job %s: no longer ours; leaving it to the worker that takes it over", job_id)
        return
    final = _retrying(lambda: ledger.finish(db, job_id, worker, status, error=error, message=message))
    if final is not None:
        runtime.publish_snapshot(final)
    release_freed_memory()


def _tolerant(job_id: str, call: Callable[[], T], fallback: T) -> T:
    """`call()`, or `fallback` while the database is unreachable (a restart): a render in flight
    carries on rather than failing over a progress write; its lease protects the job meanwhile."""
    from sqlalchemy.exc import DBAPIError

    try:
        return call()
    except DBAPIError as exc:
        logger.warning("job %s: the database is unavailable (%s); carrying on", job_id, type(exc).__name__)
        return fallback


def _retrying(call: Callable[[], T], seconds: float = DB_RETRY_SECONDS) -> T:
    """`call()`, retried while the database is unreachable, for up to `seconds`: a finished render's
    outcome is worth waiting for. Past that the job keeps its lapsing lease and is rendered again."""
    from sqlalchemy.exc import DBAPIError

    deadline = time.monotonic() + seconds
    while True:
        try:
            return call()
        except DBAPIError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)


def _render(
    runtime: JobRuntime, job_id: str, video_id: str, work_dir: Path, progress: Any, cancelled: Any
) -> tuple[JobStatus, dict[str, Any] | None, str]:
    runtime.load_render_stack()
    from ..render.errors import RenderError
    from ..render.ffmpeg import Cancelled
    from ..render.pipeline import render_video
    from ..render.request import RenderRequest

    db = runtime.db
    written = _write_script(runtime, job_id, video_id, progress, cancelled)
    if isinstance(written, tuple):
        return written
    progress = written
    with db.session() as session:
        video = session.get(Video, video_id)
        if video is None:
            return (
                "failed",
                {"stage": "setup", "message": f"video {video_id} no longer exists"},
                "video deleted",
            )
        # As stored when the video was created, with its scenes as they are now (edits included).
        scenes = [
            {key: scene.get(key) for key in ("text", "media", "visual", "hint")} for scene in video.scenes
        ]
        spec = {key: value for key, value in video.spec.items() if key != PENDING_SCRIPT}
        request = RenderRequest.model_validate({**spec, "scenes": scenes or None})
        output = Path(video.output_dir) / "video.mp4"
        user_id = video.user_id
    storage = runtime.storage
    stored_media: dict[str, str] = {}  # cached path → the `storage:` reference it stands for
    if storage.remote:
        output = work_dir / "out" / "video.mp4"  # uploaded below: a worker keeps nothing
        try:
            request, stored_media = _fetch_media(storage, request, runtime.data_dir / "cache" / "storage")
        except StorageError as exc:
            return "failed", {"stage": "storage", "message": exc.message}, "storage failed"
    try:
        result = render_video(
            request,
            narrator=runtime.narrator(),
            work_dir=work_dir,
            output=output,
            progress=progress,
            cancelled=cancelled,
            cache_dir=runtime.data_dir / "cache",
            threads=runtime.encoder_threads,
            picker=runtime.scene_picker(user_id, request),
        )
    except Cancelled:
        return "cancelled", None, "cancelled while rendering"
    except RenderError as exc:
        return (
            "failed",
            {"stage": exc.stage, "message": exc.message, "details": exc.details},
            f"{exc.stage} failed",
        )
    except Exception as exc:  # a bug: record it, keep the worker alive
        logger.exception("job %s crashed", job_id)
        return "failed", {"stage": "internal", "message": f"{type(exc).__name__}: {exc}"}, "internal error"
    if storage.remote:  # before the job is recorded completed: "completed" means downloadable
        progress("storage", 1.0, "storing the outputs")
        try:
            for path in (result.video, result.thumbnail, result.srt, result.vtt):
                if path is not None:
                    storage.upload(output_key(user_id, video_id, path.name), path, OUTPUT_TYPES[path.suffix])
        except StorageError as exc:
            return "failed", {"stage": "storage", "message": exc.message}, "storage failed"
    digest = sha256_of(result.video)
    scenes = [
        {
            "text": s.text,
            "start": s.start,
            "duration": s.duration,
            "media": stored_media.get(str(s.media), str(s.media)) if s.media else None,
            "visual": s.visual,
            "hint": s.hint,
        }
        for s in result.scenes
    ]

    def record() -> None:
        with db.session() as session:
            video = session.get(Video, video_id)
            if video is not None:
                video.width, video.height = result.width, result.height
                video.duration, video.encoder = result.duration, result.encoder
                video.sha256, video.scenes = digest, scenes
                video.completed_at = datetime.now(UTC)

    _retrying(record)
    return "completed", None, _done_message(result.scenes)


def _done_message(scenes: Sequence[Any]) -> str:
    """ "done", or "done; …" naming the picture sources that failed (the render went on without them)."""
    failed = sorted(
        {failure for scene in scenes if scene.visual for failure in scene.visual.get("failed", [])}
    )
    return "done" if not failed else "done; pictures: " + "; ".join(failed)


Outcome = tuple[JobStatus, dict[str, Any] | None, str]
Progress = Callable[[str, float, str], None]


def _write_script(
    runtime: JobRuntime, job_id: str, video_id: str, progress: Progress, cancelled: Callable[[], bool]
) -> Progress | Outcome:
    """The "script" stage, for a video with a script to write: the outcome when it ends the job
    (the writer failed, or the job was cancelled meanwhile), else the render's progress callback,
    which reports the rest of the job after the part the script took."""
    stage = runtime.script_stage
    with runtime.db.session() as session:
        video = session.get(Video, video_id)
        pending = video is not None and video.script_id is None and PENDING_SCRIPT in video.spec
    if not pending:
        return progress
    if stage is None:
        message = "this worker cannot write scripts (it was started without a script stage)"
        return "failed", {"stage": "script", "message": message}, "script failed"
    share = stage.share(video_id)
    progress("script", 0.0, "writing the script")
    try:
        stage.write(video_id)
    except EngineError as exc:
        return "failed", {"stage": "script", "message": exc.message}, "script failed"
    except Exception as exc:  # a bug: record it, keep the worker alive
        logger.exception("job %s: the script stage crashed", job_id)
        return "failed", {"stage": "script", "message": f"{type(exc).__name__}: {exc}"}, "internal error"
    if cancelled():
        return "cancelled", None, "cancelled after the script was written"
    progress("script", share, "script written")

    def rest(name: str, overall: float, message: str) -> None:
        progress(name, share + (1.0 - share) * overall, message)

    return rest


def _fetch_media(
    storage: Storage, request: RenderRequest, cache_dir: Path
) -> tuple[RenderRequest, dict[str, str]]:
    """The request with its media in object storage fetched into this worker's cache; and the
    reference each cached path stands for, so the scenes keep the reference, not this host's path."""
    stored: dict[str, str] = {}

    def local(path: Path | None) -> Path | None:
        if path is None:
            return None
        fetched = storage.local_path(str(path), cache_dir)
        stored[fetched] = str(path)
        return Path(fetched)

    scenes = tuple(dataclasses.replace(s, media=local(s.media)) for s in request.scenes or ())
    media = tuple(fetched for m in request.media if (fetched := local(m)) is not None)
    request = request.model_copy(update={"media": media, "scenes": scenes or request.scenes})
    return request, stored
