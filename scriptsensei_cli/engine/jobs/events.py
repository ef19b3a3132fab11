"""A job's ledger snapshot as its Socket.IO events (the mapping itself is the contract's `job_event`)."""

from __future__ import annotations

from typing import Any

from ...contract.events import BulkProgress, JobState, job_event
from ..store.db import Database
from ..store.models import Video
from .ledger import Snapshot


def event_for_snapshot(snap: Snapshot, db: Database) -> tuple[str, dict[str, Any]]:
    duration = None
    if snap.status == "completed":
        with db.session() as session:
            video = session.get(Video, snap.video_id)
            duration = video.duration if video else None
    error = snap.error or {}
    state = JobState(
        job_id=snap.id,
        video_id=snap.video_id,
        seq=snap.seq,
        status=snap.status,
        progress=snap.progress,
        stage=snap.stage,
        message=snap.message,
        error_stage=error.get("stage"),
        error_message=error.get("message"),
        duration=duration,
    )
    name, event = job_event(state)
    return name, event.model_dump()


def bulk_event(snap: Snapshot, db: Database) -> dict[str, Any] | None:
    """The `bulk_progress` event for a video that belongs to a batch (None otherwise)."""
    with db.session() as session:
        video = session.get(Video, snap.video_id)
        if video is None or video.bulk_id is None:
            return None
        return BulkProgress(
            job_id=video.bulk_id,
            video_id=video.id,
            row=video.row_number,
            status=snap.status,
            progress=snap.progress,
            stage=snap.stage,
            seq=snap.seq,
        ).model_dump()
