"""The job ledger: every state change of a job goes through here, idempotently.

A job moves pending → processing → completed | failed | cancelled. Workers hold a lease while they
run and renew it; a job whose lease lapsed (its worker died) goes back to pending to be run again.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from ...contract.videos import FINAL_STATUSES, JobStatus
from ..store.db import Database
from ..store.models import Job

LEASE_SECONDS = 30


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Snapshot:
    """A job's state as events and polling see it."""

    id: str
    user_id: str
    video_id: str
    status: JobStatus
    progress: float
    stage: str | None
    message: str | None
    seq: int
    error: dict[str, Any] | None

    @classmethod
    def of(cls, job: Job) -> Snapshot:
        return cls(
            job.id,
            job.user_id,
            job.video_id,
            job.status,
            job.progress,
            job.stage,
            job.message,
            job.seq,
            job.error,
        )


def snapshot(db: Database, job_id: str) -> Snapshot | None:
    with db.session() as session:
        job = session.get(Job, job_id)
        return Snapshot.of(job) if job else None


def claim(db: Database, job_id: str, worker: str) -> Snapshot | None:
    """Take a pending job for `worker`; None if it is not pending (done, cancelled, or taken)."""
    with db.session() as session:
        result = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "pending", Job.cancel_requested.is_(False))
            .values(
                status="processing",
                worker=worker,
                attempts=Job.attempts + 1,
                lease_expires_at=now() + timedelta(seconds=LEASE_SECONDS),
                started_at=now(),
                seq=Job.seq + 1,
                stage="queued",
                message="started",
                updated_at=now(),
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        job = session.get(Job, job_id)
        return Snapshot.of(job) if job else None


def renew_lease(db: Database, job_id: str, worker: str) -> bool:
    """Extend the lease; False if the job is no longer this worker's (it was re-queued or ended)."""
    with db.session() as session:
        result = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.worker == worker, Job.status == "processing")
            .values(lease_expires_at=now() + timedelta(seconds=LEASE_SECONDS))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def record_progress(
    db: Database, job_id: str, worker: str, progress: float, stage: str, message: str
) -> int | None:
    """Store progress (never backwards) and return the new sequence number; None if not ours."""
    with db.session() as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.status != "processing" or job.worker != worker:
            return None
        job.progress = max(job.progress, round(progress, 2))
        job.stage, job.message = stage, message[:500]
        job.seq += 1
        job.updated_at = now()
        return job.seq


def finish(
    db: Database,
    job_id: str,
    worker: str,
    status: JobStatus,
    *,
    error: dict[str, Any] | None = None,
    message: str = "",
) -> Snapshot | None:
    """End a job once: completed, failed or cancelled. A repeat (or a stale worker) changes nothing."""
    assert status in FINAL_STATUSES
    with db.session() as session:
        job = session.get(Job, job_id, with_for_update=True)
        if (
            job is None
            or job.status in FINAL_STATUSES
            or (job.worker != worker and job.status == "processing")
        ):
            return None
        job.status = status
        job.error = error
        job.message = message[:500] or job.message
        if status == "completed":
            job.progress = 100.0
        job.seq += 1
        job.finished_at = job.updated_at = now()
        job.lease_expires_at = None
        return Snapshot.of(job)


def request_cancel(db: Database, job_id: str) -> Snapshot | None:
    """Flag a job for cancellation; a pending one ends at once, a running one at its next tick."""
    with db.session() as session:
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.status in FINAL_STATUSES:
            return Snapshot.of(job) if job else None
        job.cancel_requested = True
        if job.status == "pending":
            job.status = "cancelled"
            job.message = "cancelled before it started"
            job.seq += 1
            job.finished_at = job.updated_at = now()
        return Snapshot.of(job)


def cancel_requested(db: Database, job_id: str) -> bool:
    with db.session() as session:
        return bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def worker_is_dead(worker: str | None) -> bool:
    """True when `worker` ran on this host in a process that no longer exists (kill -9, crash)."""
    if not worker:
        return False
    host, _, rest = worker.partition(":")
    pid = rest.split(":", 1)[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """A killed process its parent has not reaped yet still answers kill(0): it is dead all the same."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


def requeue_stale(db: Database) -> list[str]:
    """Jobs whose worker is gone go back to pending; returns their ids.

    Gone means its lease lapsed, or (sooner) it ran on this host in a process that has died.
    """
    with db.session() as session:
        running = session.execute(
            select(Job.id, Job.worker, Job.lease_expires_at).where(Job.status == "processing")
        ).all()
        stale = [
            job_id
            for job_id, worker, lease in running
            if (lease is not None and lease < now()) or worker_is_dead(worker)
        ]
        _requeue(session, stale, "re-queued: its worker stopped")
        return stale


def processing(db: Database, job_ids: list[str]) -> set[str]:
    """Those of `job_ids` that an attempt is rendering now (status processing)."""
    if not job_ids:
        return set()
    with db.session() as session:
        query = select(Job.id).where(Job.id.in_(job_ids), Job.status == "processing")
        return set(session.scalars(query).all())


def hand_back(db: Database, worker: str) -> list[str]:
    """Return `worker`'s running jobs to the queue (a draining worker that cannot finish them)."""
    with db.session() as session:
        held = list(
            session.scalars(select(Job.id).where(Job.status == "processing", Job.worker == worker)).all()
        )
        _requeue(session, held, "re-queued: its worker is shutting down", Job.worker == worker)
        return held


def _requeue(session: Any, job_ids: list[str], message: str, *conditions: Any) -> None:
    """Put running jobs back to pending, unless they changed hands or ended since they were read."""
    if job_ids:
        session.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.status == "processing", *conditions)
            .values(status="pending", worker=None, lease_expires_at=None, message=message, seq=Job.seq + 1)
        )


def pending_jobs(db: Database, *, older_than: float | None = None) -> list[str]:
    """Waiting jobs, oldest first; with `older_than`, only those unchanged for that many seconds."""
    query = select(Job.id).where(Job.status == "pending")
    if older_than is not None:
        query = query.where(Job.updated_at < now() - timedelta(seconds=older_than))
    with db.session() as session:
        return list(session.scalars(query.order_by(Job.created_at)).all())
