"""The job runtime of one engine process: the Huey queue, its consumer threads, the stale-lease
sweeper, and the bridge that turns ledger changes into Socket.IO events.

Embedded (the default) the queue is a SqliteHuey file in the data dir and the consumer runs as
threads inside the engine, so the API's event loop never does render work.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..store.db import Database
from . import ledger
from .ledger import Snapshot

logger = logging.getLogger("scriptsensei.jobs")
SWEEP_SECONDS = ledger.LEASE_SECONDS / 2
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
    def __init__(self, db: Database, data_dir: Path, *, workers: int | None = None) -> None:
        self.db = db
        self.data_dir = data_dir
        self.workers = workers or int(os.environ.get("SCRIPTSENSEI_WORKERS", "0")) or default_workers()
        # Unique per runtime, not just per process: a stale thread of a stopped runtime must never
        # pass for the worker that took its job over.
        self.worker_name = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.publisher: Publisher | None = None
        self.huey: Any = None
        self.render_task: Any = None
        self._cancelled: set[str] = set()
        self._stop = threading.Event()
        self._consumer: Any = None
        self._sweeper: threading.Thread | None = None
        self._narrator: Any = None
        self._narrator_lock = threading.Lock()
        self._start_lock = threading.Lock()

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the queue, start the consumer threads, and pick up work a previous run left.

        Idempotent. A server calls it at once; the embedded engine on the first request that
        touches videos, so a one-shot `ss script …` never pays for (or resumes) renders.
        """
        with self._start_lock:
            if self._consumer is not None:
                return
            from huey import SqliteHuey
            from huey.consumer import Consumer

            from .tasks import register

            class QuietConsumer(Consumer):  # type: ignore[misc]
                def _set_signal_handlers(self) -> None:
                    """Signals belong to the host process (uvicorn or the CLI), not to the queue."""

            self.huey = SqliteHuey("scriptsensei", filename=str(self.data_dir / "queue.db"))
            self.render_task = register(self.huey, self)
            self._consumer = QuietConsumer(
                self.huey, workers=self.workers, worker_type="thread", periodic=False
            )
            self._consumer.start()
            for job_id in ledger.requeue_stale(self.db) + ledger.pending_jobs(self.db):
                self.render_task(job_id)
            self._sweeper = threading.Thread(
                target=self._sweep, name="scriptsensei-lease-sweeper", daemon=True
            )
            self._sweeper.start()

    def stop(self) -> None:
        self._stop.set()
        if self._consumer is not None:
            self._consumer.stop(graceful=False)

    def _sweep(self) -> None:
        while not self._stop.wait(SWEEP_SECONDS):
            try:
                for job_id in ledger.requeue_stale(self.db):
                    logger.warning("job %s lost its worker; re-queued", job_id)
                    self.enqueue(job_id)
            except Exception:  # a sweep must never kill the sweeper
                logger.exception("lease sweep failed")

    # -- work -------------------------------------------------------------------------------------

    def enqueue(self, job_id: str) -> None:
        self.start()
        self.render_task(job_id)

    @property
    def encoder_threads(self) -> int | None:
        """Each render's share of the cores when several run at once (None: one render, all cores).

        Two encoders each spreading over every core thrash more than they gain."""
        cores = os.cpu_count() or 1
        return max(1, cores // self.workers) if self.workers > 1 else None

    def narrator(self) -> Any:
        with self._narrator_lock:
            if self._narrator is None:
                from ..render.tts import Narrator

                # Sentences in parallel only where cores are spare: not when renders already share them.
                parallel = min(2, max(1, (os.cpu_count() or 1) // self.workers))
                self._narrator = Narrator(self.data_dir / "cache" / "tts", parallel=parallel)
            return self._narrator

    def cancel(self, job_id: str) -> Snapshot | None:
        self._cancelled.add(job_id)
        snap = ledger.request_cancel(self.db, job_id)
        if snap is not None and snap.status == "cancelled":
            self.publish_snapshot(snap)
        return snap

    def is_cancelled(self, job_id: str) -> bool:
        return job_id in self._cancelled

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
