"""Socket.IO events of a job (DESIGN.md §2), and the one mapping from a job's state to its event.

The engine publishes `job_event(state)` on every change; a client that polls derives the same event
from the video it fetched, so a subscriber and a poller see the same sequence.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from .videos import JobStatus, Video, video_urls

FINAL_EVENTS = ("processing_completed", "processing_failed", "processing_cancelled")


class JobEvent(BaseModel):
    """Every event carries the job's sequence number: progress never goes backwards."""

    job_id: str
    seq: int


class ProcessingStarted(JobEvent):
    video_id: str
    message: str


class ProgressUpdate(JobEvent):
    progress: float = Field(ge=0, le=100)
    message: str
    current_step: str


class ProcessingCompleted(JobEvent):
    video_id: str
    video_url: str
    thumbnail_url: str
    duration: float


class ProcessingFailed(JobEvent):
    error: str
    message: str
    stage: str | None = None


class ProcessingCancelled(JobEvent):
    message: str


class BulkProgress(BaseModel):
    """`bulk_progress`, in a batch's room: one of its videos changed."""

    job_id: str = Field(description="The bulk job's id.")
    video_id: str
    row: int | None
    status: JobStatus
    progress: float
    stage: str | None
    seq: int


EVENT_MODELS: dict[str, type[JobEvent]] = {
    "processing_started": ProcessingStarted,
    "progress_update": ProgressUpdate,
    "processing_completed": ProcessingCompleted,
    "processing_failed": ProcessingFailed,
    "processing_cancelled": ProcessingCancelled,
}


@dataclass(frozen=True)
class JobState:
    """What an event is made of: the ledger's snapshot on the engine, a polled `Video` on a client."""

    job_id: str
    video_id: str
    seq: int
    status: str
    progress: float
    stage: str | None = None
    message: str | None = None
    error_stage: str | None = None
    error_message: str | None = None
    duration: float | None = None

    @classmethod
    def of_video(cls, video: Video) -> JobState:
        return cls(
            job_id=video.job_id,
            video_id=video.id,
            seq=video.seq,
            status=video.status,
            progress=video.progress,
            stage=video.stage,
            message=video.message,
            error_stage=video.error.stage if video.error else None,
            error_message=video.error.message if video.error else None,
            duration=video.duration,
        )


def job_event(state: JobState) -> tuple[str, JobEvent]:
    """The event a subscriber receives for this state: a final one, or the latest progress."""
    if state.status == "completed":
        video_url, thumbnail_url = video_urls(state.video_id)
        return "processing_completed", ProcessingCompleted(
            job_id=state.job_id,
            seq=state.seq,
            video_id=state.video_id,
            video_url=video_url,
            thumbnail_url=thumbnail_url,
            duration=state.duration or 0.0,
        )
    if state.status == "failed":
        return "processing_failed", ProcessingFailed(
            job_id=state.job_id,
            seq=state.seq,
            error=f"{(state.error_stage or 'render').upper()}_FAILED",
            message=state.error_message or state.message or "the render failed",
            stage=state.error_stage,
        )
    if state.status == "cancelled":
        return "processing_cancelled", ProcessingCancelled(
            job_id=state.job_id, seq=state.seq, message=state.message or "cancelled"
        )
    return "progress_update", ProgressUpdate(
        job_id=state.job_id,
        seq=state.seq,
        progress=state.progress,
        message=state.message or state.status,
        current_step=state.stage or state.status,
    )
