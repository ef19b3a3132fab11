"""Job state as the Socket.IO events of DESIGN.md §2 (the same shapes polling clients can derive)."""

from __future__ import annotations

from typing import Any

from ...contract.videos import ProcessingCancelled, ProcessingCompleted, ProcessingFailed, ProgressUpdate
from ..store.db import Database
from ..store.models import Video
from .ledger import Snapshot


def video_urls(video_id: str) -> tuple[str, str]:
    base = f"/api/v1/videos/{video_id}"
    return f"{base}/download", f"{base}/thumbnail"


def event_for_snapshot(snap: Snapshot, db: Database) -> tuple[str, dict[str, Any]]:
    if snap.status == "completed":
        with db.session() as session:
            video = session.get(Video, snap.video_id)
            duration = video.duration if video and video.duration else 0.0
        video_url, thumbnail_url = video_urls(snap.video_id)
        return "processing_completed", ProcessingCompleted(
            job_id=snap.id,
            seq=snap.seq,
            video_id=snap.video_id,
            video_url=video_url,
            thumbnail_url=thumbnail_url,
            duration=duration,
        ).model_dump()
    if snap.status == "failed":
        error = snap.error or {}
        return "processing_failed", ProcessingFailed(
            job_id=snap.id,
            seq=snap.seq,
            error=f"{str(error.get('stage', 'render')).upper()}_FAILED",
            message=str(error.get("message") or snap.message or "the render failed"),
            stage=error.get("stage"),
        ).model_dump()
    if snap.status == "cancelled":
        return "processing_cancelled", ProcessingCancelled(
            job_id=snap.id, seq=snap.seq, message=snap.message or "cancelled"
        ).model_dump()
    return "progress_update", ProgressUpdate(
        job_id=snap.id,
        seq=snap.seq,
        progress=snap.progress,
        message=snap.message or snap.status,
        current_step=snap.stage or snap.status,
    ).model_dump()


def bulk_event(snap: Snapshot, db: Database) -> dict[str, Any] | None:
    """The `bulk_progress` event for a video that belongs to a batch (None otherwise)."""
    with db.session() as session:
        video = session.get(Video, snap.video_id)
        if video is None or video.bulk_id is None:
            return None
        return {
            "job_id": video.bulk_id,
            "video_id": video.id,
            "row": video.row_number,
            "status": snap.status,
            "progress": snap.progress,
            "stage": snap.stage,
            "seq": snap.seq,
        }
