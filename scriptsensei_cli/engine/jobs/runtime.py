"""The job runtime of one engine process: the Huey queue, its consumer threads, the stale-lease
sweeper, and the bridge that turns ledger changes into Socket.IO events.

Embedded (the default) the queue is a SqliteHuey file in the data dir and the consumer runs as
threads inside the engine, so the API's event loop never does render work. At scale
(docs/scale-out.md) the queue is Redis: API nodes only enqueue (`consume=False`) and `ss worker`
processes, on any number of hosts, consume; the job ledger in the shared database stays the truth.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.db import Database
from ..store.objects import Storage
from . import ledger
from .ledger import Snapshot

if TYPE_CHECKING:
    from ..config import EngineConfig
    from ..render.request import RenderRequest
    from ..render.visuals import VisualPicker
    from .tasks import ScriptStage

logger = logging.getLogger("scriptsensei.jobs")
SWEEP_SECONDS = ledger.LEASE_SECONDS / 2
LOST_TASK_SECONDS = 30  # a pending job this old with an empty queue was lost by the queue
Publisher = Callable[[str, str, dict[str, Any]], None]  # (job_id, event name, payload)


def default_workers() -> int:
    """Renders are ffmpeg-bound and ffmpeg uses every core it gets: one worker per 4 cores, at
    least one, and no more than memory allows (~1.5 GB per 1080p render)."""
    cores = os.cpu_count() or 1
    try:
        memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory_gb = 4.0
    return max(1, min(cores // 4 or 1, int(memory_gb // 1.5) or 1))


class JobRuntime:
    def __init__(
        self,
        db: Database,
        data_dir: Path,
        *,
        workers: int | None = None,
        render_threads: int | None = None,
        queue_url: str | None = None,
        namespace: str = "scriptsensei",
        consume: bool = True,
        storage: Storage | None = None,
        media: EngineConfig | None = None,
    ) -> None:
        self.db = db
        self.data_dir = data_dir
        self.storage = storage or Storage()  # where finished outputs go (default: they stay in data_dir)
        self.workers = workers or default_workers()
        self.render_threads = render_threads
        self.queue_url = queue_url
        self.namespace = namespace
        self.consume = consume
        self.handed_back: set[str] = set()
        self.media_config = media  # the media library and stock sources scenes are picked from
        self._stock_providers: list[Any] | None = None
        self._stock_lock = threading.Lock()
        # Unique per runtime, not just per process: a stale thread of a stopped runtime must never
        # pass for the worker that took its job over.
        self.worker_name = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.publisher: Publisher | None = None
        # Writes the script of a video asked for with a topic (set by the entry points: app, worker).
        self.script_stage: ScriptStage | None = None
        self.huey: Any = None
        self.render_task: Any = None
        self._cancelled: set[str] = set()
        self._stop = threading.Event()
        self._consumer: Any = None
        self._sweeper: threading.Thread | None = None
        self._narrator: Any = None
        self._narrator_lock = threading.Lock()
        self._import_lock = threading.Lock()
        self._start_lock = threading.Lock()

    # -- lifecycle --------------------------------------------------------------------------------

    @classmethod
    def for_config(cls, db: Database, config: EngineConfig, storage: Storage, *, consume: bool) -> JobRuntime:
        """The runtime an engine process runs: sized, queued and stored as its configuration says."""
        return cls(
            db,
            config.data_dir,
            workers=config.workers,
            render_threads=config.render_threads,
            queue_url=config.queue_url,
            namespace=config.namespace,
            consume=consume,
            storage=storage,
            media=config,
        )

    def start(self) -> None:
        """Open the queue, start the consumer threads, and pick up work a previous run left.

        Idempotent. A server calls it at once; the embedded engine on the first request that
        touches videos, so a one-shot `ss script …` never pays for (or resumes) renders.
        """
        with self._start_lock:
            if self.huey is not None:
                return
            from huey.consumer import Consumer

            from .tasks import register

            class QuietConsumer(Consumer):  # type: ignore[misc]
                def _set_signal_handlers(self) -> None:
                    """Signals belong to the host process (uvicorn, the CLI, ss worker), not the queue."""

            self.huey = self._queue()
            self.render_task = register(self.huey, self)
            if self.consume:
                self._consumer = QuietConsumer(
                    self.huey, workers=self.workers, worker_type="thread", periodic=False
                )
                self._consumer.start()
            # Another node may have queued these already: a job is claimed once, the repeat is a no-op.
            for job_id in ledger.requeue_stale(self.db) + ledger.pending_jobs(self.db):
                self._write_ahead(job_id)
                self.render_task(job_id)
            self.remove_dead_scratch()
            self._sweeper = threading.Thread(
                target=self._sweep, name="scriptsensei-lease-sweeper", daemon=True
            )
            self._sweeper.start()
            if self.consume:
                threading.Thread(target=self._warm_up, name="scriptsensei-warm-up", daemon=True).start()

    def scene_picker(self, user_id: str, request: RenderRequest) -> VisualPicker | None:
        """What chooses pictures for the request's scenes without media (None: its mode draws them)."""
        from ..media.scenes import SOURCES_FOR_MODE, ScenePicker, VisualUses

        if request.visuals not in SOURCES_FOR_MODE:
            return None
        return ScenePicker(
            self.stock_providers(),
            self.data_dir / "cache",
            uses=VisualUses(self.db, user_id),
            mode=request.visuals,
            script=request.script,
            language=request.language,
        )

    def stock_providers(self) -> list[Any]:
        """The library and stock sources, made once per process: their index, cache and HTTP clients
        serve every render."""
        with self._stock_lock:
            if self._stock_providers is None:
                from ..media.stock import providers_from_config

                config = self.media_config
                self._stock_providers = (
                    providers_from_config(config, self.data_dir / "cache" / "stock") if config else []
                )
            return self._stock_providers

    def _warm_up(self) -> None:
        """Load what a render needs before the first job asks: the render stack, the default voice's
        model and the hardware-encoder probe (about half a second a process pays once). A job that
        starts meanwhile waits for the model rather than loading it twice; a failure here is left
        for that job to report."""
        try:
            self.load_render_stack()
            from ..render.ffmpeg import available_encoder
            from ..render.voices import voice_for

            self.narrator().preload(voice_for("en"))
            available_encoder()
            if self.media_config is not None and self.media_config.media_library:
                self._warm_up_library()
        except Exception:  # the job that needs the voice will say what is wrong
            logger.debug("render warm-up failed", exc_info=True)

    def _warm_up_library(self) -> None:
        """With a media library set, scenes pick from it: load its index (embedding files new since
        the last run) and the sentence model now, not in the first render."""
        from ..media.embedding import text_embedder
        from ..media.stock import LocalLibrary
        from ..media.terms import scene_terms

        text_embedder()
        scene_terms("A warm-up sentence about the morning light.", "", "en")  # the lemma tables (0.3 s)
        for provider in self.stock_providers():
            if isinstance(provider, LocalLibrary):
                provider.refresh()

    def load_render_stack(self) -> None:
        """Import the render stack one thread at a time: the warm-up and every job come through here
        before they import anything of it (see `render.load_numeric` for why)."""
        from ..render import load_numeric

        load_numeric()
        with self._import_lock:
            from ..render import pipeline, request  # noqa: F401

    def _queue(self) -> Any:
        if self.queue_url:
            from huey import RedisHuey

            return RedisHuey(self.namespace, url=self.queue_url)
        from huey import SqliteHuey

        return SqliteHuey(self.namespace, filename=str(self.data_dir / "queue.db"))

    def stop(self) -> None:
        self._stop.set()
        if self._consumer is not None:
            self._consumer.stop(graceful=False)
        with self._stock_lock:
            for provider in self._stock_providers or ():
                close = getattr(provider, "close", None)
                if close is not None:
                    close()  # the remote sources' HTTP clients
            self._stock_providers = None

    def drain(self, timeout: float) -> list[str]:
        """Stop taking tasks and let the renders in flight finish; past `timeout`, hand the
        unfinished ones back to the queue (another worker renders them) and stop them.

        Returns the ids handed back.
        """
        self._stop.set()
        if self._consumer is None:
            return []
        stopper = threading.Thread(target=self._consumer.stop, kwargs={"graceful": True}, daemon=True)
        stopper.start()
        stopper.join(timeout)
        if not stopper.is_alive():
            return []
        handed = ledger.hand_back(self.db, self.worker_name)
        self.handed_back.update(handed)
        self._cancelled.update(handed)  # their ffmpeg stops at the next progress tick
        for job_id in handed:
            self.render_task(job_id)
        stopper.join(30)
        return handed

    def _sweep(self) -> None:
        while not self._stop.wait(SWEEP_SECONDS):
            try:
                self.sweep()
            except Exception:  # a sweep must never kill the sweeper
                logger.exception("lease sweep failed")

    def sweep(self) -> None:
        """One pass of the sweeper: re-queue jobs whose worker is gone, remove what dead attempts
        left in the scratch folder, and refill a queue that lost its tasks."""
        for job_id in ledger.requeue_stale(self.db):
            logger.warning("job %s lost its worker; re-queued", job_id)
            self.enqueue(job_id)
        self.remove_dead_scratch()
        self._refill_lost_queue()

    # -- scratch folders: <data dir>/work/<job id>-<attempt> ---------------------------------------

    @property
    def work_root(self) -> Path:
        return self.data_dir / "work"

    def scratch_folder(self, job_id: str) -> Path:
        """A new attempt's own folder; whatever earlier, dead attempts of the job left is removed.

        Called once the attempt holds the job's lease, so no other live attempt owns those folders.
        """
        for folder in self._scratch_folders().get(job_id, []):
            logger.info("job %s: removing %s, left by an attempt that died", job_id, folder.name)
            shutil.rmtree(folder, ignore_errors=True)
        return self.work_root / f"{job_id}-{secrets.token_hex(4)}"

    def remove_dead_scratch(self) -> list[Path]:
        """Remove the scratch folders of jobs no attempt is rendering (killed renders; an attempt
        removes its own folder before it records its outcome). Returns what it removed.

        Folders are listed before the ledger is read: a folder listed belongs to an attempt that had
        claimed its job by then, so a job not processing at the read has no live attempt in it.
        """
        folders = self._scratch_folders()
        live = ledger.processing(self.db, list(folders))
        removed = [folder for job_id, paths in folders.items() if job_id not in live for folder in paths]
        for folder in removed:
            logger.warning("removing %s, left by a render that died", folder)
            shutil.rmtree(folder, ignore_errors=True)
        return removed

    def _scratch_folders(self) -> dict[str, list[Path]]:
        try:
            entries = [entry for entry in self.work_root.iterdir() if entry.is_dir()]
        except FileNotFoundError:
            return {}
        folders: dict[str, list[Path]] = {}
        for entry in entries:
            job_id, dash, _ = entry.name.rpartition("-")
            if dash and job_id:
                folders.setdefault(job_id, []).append(entry)
        return folders

    def _refill_lost_queue(self) -> None:
        """The ledger says jobs wait, the queue holds nothing: the queue lost them (a Redis restart
        without persistence). Queue them again; a job already claimed ignores the repeat."""
        if self.huey is None or self.huey.pending_count() > 0:
            return
        waiting = ledger.pending_jobs(self.db, older_than=LOST_TASK_SECONDS)
        for job_id in waiting:
            self.render_task(job_id)
        if waiting:
            logger.warning("the queue had lost %d waiting job(s); queued them again", len(waiting))

    # -- work -------------------------------------------------------------------------------------

    def enqueue(self, job_id: str) -> None:
        self.start()
        self._write_ahead(job_id)
        self.render_task(job_id)

    def _write_ahead(self, job_id: str) -> None:
        """A topic video's script starts being written now, while workers render other videos (only
        where this process renders too: the job's stage takes the outcome in this process)."""
        if self.consume and self.script_stage is not None:
            self.script_stage.ahead(job_id)

    @property
    def encoder_threads(self) -> int | None:
        """Each render's share of the cores when several run at once (None: one render, all cores).

        Two encoders each spreading over every core thrash more than they gain."""
        if (self.render_threads or 0) > 0:  # several worker processes on one host share its cores
            return self.render_threads
        cores = os.cpu_count() or 1
        return max(1, cores // self.workers) if self.workers > 1 else None

    def narrator(self) -> Any:
        with self._narrator_lock:
            if self._narrator is None:
                from ..render.tts import Narrator

                self._narrator = Narrator(self.data_dir / "cache" / "tts", renders=self.workers)
            return self._narrator

    def cancel(self, job_id: str) -> Snapshot | None:
        self._cancelled.add(job_id)
        snap = ledger.request_cancel(self.db, job_id)
        if snap is not None and snap.status == "cancelled":
            self.publish_snapshot(snap)
        return snap

    def is_cancelled(self, job_id: str) -> bool:
        return job_id in self._cancelled

    def stopping(self) -> bool:
        return self._stop.is_set()

    # -- events -----------------------------------------------------------------------------------

    def publish(self, job_id: str, event: str, payload: dict[str, Any]) -> None:
        if self.publisher is not None:
            self.publisher(job_id, event, payload)

    def publish_snapshot(self, snap: Snapshot) -> None:
        from .events import bulk_event, event_for_snapshot

        event, payload = event_for_snapshot(snap, self.db)
        self.publish(snap.id, event, payload)
        bulk = bulk_event(snap, self.db)
        if bulk is not None and self.publisher is not None:
            self.publisher(f"bulk:{bulk['job_id']}", "bulk_progress", bulk)
