"""Bulk jobs: a batch of videos from one sheet, idempotent row by row.

A row's key is a hash of its content and options, computed by the client. Submitting a batch again
finds the videos those keys already made: done rows stay done, rows in flight keep going, failed
rows render again only when asked. So a rerun after a crash never duplicates anything.
"""

from __future__ import annotations

from sqlalchemy import select

from ...contract.bulk import BulkJob as BulkJobOut
from ...contract.bulk import BulkRequest, BulkStatus
from ...contract.videos import FINAL_STATUSES
from ..config import EngineConfig
from ..errors import EngineError, not_found
from ..store.db import Database
from ..store.models import BulkJob, Job, Video
from .videos import prepare_video, rerender, video_out

FAILED = ("failed", "cancelled")


def submit(db: Database, config: EngineConfig, user_id: str, body: BulkRequest) -> tuple[str, list[str]]:
    """Create (or find) the batch and its videos; return the batch id and the jobs to enqueue.

    Every new row is validated before any is stored: an invalid batch creates nothing.
    """
    with db.session() as session:
        bulk = session.scalar(select(BulkJob).where(BulkJob.user_id == user_id, BulkJob.key == body.key))
        if bulk is None:
            bulk = BulkJob(user_id=user_id, key=body.key, name=body.name)
            session.add(bulk)
            session.flush()
        bulk_id = bulk.id
        existing = {
            video.row_key: (video, session.get(Job, video.job_id))
            for video in session.scalars(
                select(Video).where(
                    Video.user_id == user_id, Video.row_key.in_([row.key for row in body.rows])
                )
            ).all()
        }
    prepared = {}
    for row in body.rows:
        if row.key in existing:
            continue
        try:
            prepared[row.key] = prepare_video(db, config, user_id, row.request)
        except EngineError as exc:
            exc.message = f"row {row.row}: {exc.message}"
            exc.details = {**(exc.details or {}), "row": row.row}
            raise
    to_enqueue: list[str] = []
    from .videos import insert_video

    for row in body.rows:
        if row.key in existing:
            video, job = existing[row.key]
            if body.retry_failed and job is not None and job.status in FAILED:
                to_enqueue.append(rerender(db, user_id, video.id).id)
            if video.bulk_id != bulk_id:
                with db.session() as session:
                    stored = session.get(Video, video.id)
                    if stored is not None:
                        stored.bulk_id, stored.row_number, stored.output_name = (
                            bulk_id,
                            row.row,
                            row.output_name,
                        )
            continue
        _, job = insert_video(
            db,
            config,
            user_id,
            prepared[row.key],
            bulk_id=bulk_id,
            row_key=row.key,
            row_number=row.row,
            output_name=row.output_name,
        )
        to_enqueue.append(job.id)
    return bulk_id, to_enqueue


def bulk_status(db: Database, user_id: str, bulk_id: str) -> BulkJobOut:
    with db.session() as session:
        bulk = session.get(BulkJob, bulk_id)
        if bulk is None or bulk.user_id != user_id:
            raise not_found("bulk job", bulk_id)
        rows = session.execute(
            select(Video, Job)
            .join(Job, Job.id == Video.job_id)
            .where(Video.bulk_id == bulk_id)
            .order_by(Video.row_number, Video.id)
        ).all()
        videos = [video_out(video, job) for video, job in rows]
        name = bulk.name
    counts = {status: sum(1 for v in videos if v.status == status) for status in FINAL_STATUSES}
    return BulkJobOut(
        job_id=bulk_id,
        name=name,
        status=overall_status([v.status for v in videos]),
        total_videos=len(videos),
        completed_videos=counts["completed"],
        failed_videos=counts["failed"],
        cancelled_videos=counts["cancelled"],
        video_ids=[v.id for v in videos],
        videos=videos,
    )


def overall_status(statuses: list[str]) -> BulkStatus:
    if not statuses or all(s == "pending" for s in statuses):
        return "pending"
    if any(s in ("pending", "processing") for s in statuses):
        return "processing"
    if all(s == "completed" for s in statuses):
        return "completed"
    if all(s == "cancelled" for s in statuses):
        return "cancelled"
    if any(s == "completed" for s in statuses):
        return "completed_with_errors"
    return "failed"


def cancel(db: Database, user_id: str, bulk_id: str) -> list[str]:
    """The jobs of the batch that are still pending or running (the caller cancels them)."""
    status = bulk_status(db, user_id, bulk_id)
    return [v.job_id for v in status.videos if v.status in ("pending", "processing")]
