"""Bulk jobs: one video per row of a sheet (seed, Example 7)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from .limits import MAX_BULK_ROWS
from .videos import GenerateVideoRequest, Video

BulkStatus = Literal["pending", "processing", "completed", "completed_with_errors", "failed", "cancelled"]


class BulkRow(BaseModel):
    row: int = Field(ge=1, description="The row's number in the sheet (header = 1).")
    key: str = Field(min_length=8, max_length=64, description="Content hash of the row and options.")
    output_name: str = Field(min_length=1, max_length=200)
    request: GenerateVideoRequest


class BulkRequest(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    key: str = Field(min_length=8, max_length=64, description="Content hash of the whole batch.")
    rows: list[BulkRow] = Field(min_length=1, max_length=MAX_BULK_ROWS)
    retry_failed: bool = Field(default=False, description="Render failed or cancelled rows again.")

    @field_validator("rows")
    @classmethod
    def _keys_are_unique(cls, rows: list[BulkRow]) -> list[BulkRow]:
        """A row's key names its video (one per user and key): two rows with one key would be one video."""
        first_row: dict[str, int] = {}
        for row in rows:
            if row.key in first_row:
                raise ValueError(
                    f"row {row.row} repeats the key {row.key!r} of row {first_row[row.key]}; "
                    "each row's key must be unique in a batch"
                )
            first_row[row.key] = row.row
        return rows


class BulkJob(BaseModel):
    job_id: str
    name: str
    status: BulkStatus
    total_videos: int
    completed_videos: int
    failed_videos: int
    cancelled_videos: int = 0
    video_ids: list[str]
    videos: list[Video]


# -- `ss bulk --events FILE`: one JSON object a line, for CI (the README documents these). ----------


class BulkRunEvent(BaseModel):
    ts: float = Field(description="Unix time, in seconds.")


class BulkSubmitted(BulkRunEvent):
    event: Literal["bulk_submitted"] = "bulk_submitted"
    job_id: str
    total_videos: int


class VideoStateChanged(BulkRunEvent):
    event: Literal["video_state"] = "video_state"
    job_id: str
    row: int | None
    video_id: str
    title: str
    status: str
    stage: str | None
    progress: float
    error: str | None


class VideoSaved(BulkRunEvent):
    event: Literal["video_saved"] = "video_saved"
    row: int
    video_id: str
    path: str
    skipped: bool


class BulkFinished(BulkRunEvent):
    event: Literal["bulk_finished"] = "bulk_finished"
    job_id: str
    status: BulkStatus
    completed_videos: int
    failed_videos: int
