"""`ss worker`: a render worker process for a scaled-out engine (docs/scale-out.md).

It takes render tasks from the shared queue, holds each job's lease in the shared database while it
renders, publishes progress through Redis to every API node, writes outputs to the shared data
directory or uploads them to object storage, and on SIGTERM drains: it takes no new task, lets the
renders in flight finish, and past the drain timeout hands the rest back to the queue for another
worker.
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass

from .config import EngineConfig
from .http.realtime import event_publisher
from .jobs.runtime import JobRuntime
from .services.video_scripts import VideoScripts
from .store.db import HEAD_REVISION, Database
from .store.objects import StorageError, open_storage

logger = logging.getLogger("scriptsensei.worker")
SIGNAL_POLL_SECONDS = 0.5


class WorkerError(Exception):
    """The worker cannot start; the message says what to set up."""


@dataclass
class WorkerReport:
    name: str
    handed_back: list[str]


def check_schema(db: Database) -> None:
    current = db.current_revision()
    if current != HEAD_REVISION:
        raise WorkerError(
            f"the database schema is at {current or 'nothing'}, not {HEAD_REVISION}: "
            "run `ss server migrate` (or start an API node, which migrates) first"
        )


def run_worker(
    config: EngineConfig, *, drain_seconds: float, stop: threading.Event | None = None
) -> WorkerReport:
    """Consume render tasks until SIGTERM or SIGINT (or `stop`), then drain."""
    db = Database(config.resolved_database_url)
    check_schema(db)
    storage = open_storage(config)
    try:
        storage.check()
    except StorageError as exc:
        db.dispose()
        raise WorkerError(exc.message) from exc
    logger.info("outputs and media: %s", storage.describe())
    if config.queue_url is None:
        logger.warning(
            "no SCRIPTSENSEI_QUEUE_URL: consuming the SQLite queue in %s (this host only)", config.data_dir
        )
    runtime = JobRuntime.for_config(db, config, storage, consume=True)
    runtime.publisher = event_publisher(config)
    runtime.script_stage = VideoScripts(db, config.data_dir)
    stop = stop or threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        runtime.start()
        logger.info(
            "worker %s: %d render thread(s) on %s", runtime.worker_name, runtime.workers, _queue_name(config)
        )
        # Wake now and then: Python runs a signal's handler only when the main thread runs, and a
        # SIGTERM the kernel hands to another thread (a render's, say) would not wake a plain wait.
        while not stop.wait(SIGNAL_POLL_SECONDS):
            pass
        logger.info("worker %s: draining (up to %.0f s)", runtime.worker_name, drain_seconds)
        handed = runtime.drain(drain_seconds)
        if handed:
            logger.warning("worker %s: handed back %s", runtime.worker_name, ", ".join(handed))
        return WorkerReport(runtime.worker_name, handed)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        db.dispose()


def _queue_name(config: EngineConfig) -> str:
    if not config.queue_url:
        return "the local SQLite queue"
    from urllib.parse import urlsplit

    parts = urlsplit(config.queue_url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path} ({config.namespace})"
