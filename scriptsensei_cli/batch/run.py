"""One run of a checked sheet: submit it, follow it, save each finished video once, write the manifests.

    run = BatchRun(client, rows, out_dir, on_event=write_ndjson)
    job = run.submit("videos.csv", retry_failed=False)
    final = run.follow(job, timeout=None, on_change=progress_bar.update)
    csv_path = run.write_manifests(final)         # or end="interrupted" / "timed_out"

No printing: progress goes to `on_change`, the `ss bulk --events` stream to `on_event`.
The review sheet (`index.html`, batch/review.py) is written on submission, after a poll in which a
row's state moved (started, saved, failed), and with the manifests; `run.review_path` is where.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..contract.bulk import BulkFinished, BulkRunEvent, BulkSubmitted, VideoSaved, VideoStateChanged
from .review import BatchEnd, ReviewSheet
from .runner import (
    Follower,
    build_batch,
    download,
    manifest_rows,
    remove_partial_downloads,
    sidecar_for,
    write_manifests,
)

if TYPE_CHECKING:
    from ..client import ScriptSensei
    from ..contract import BulkJob, Video
    from .validate import PlannedRow

EventSink = Callable[[BulkRunEvent], None]


class BatchRun:
    def __init__(
        self,
        client: ScriptSensei,
        rows: Sequence[PlannedRow],
        out_dir: Path,
        *,
        on_event: EventSink | None = None,
    ) -> None:
        self.client = client
        self.rows = {row.row: row for row in rows}
        self.out_dir = out_dir
        self.on_event = on_event or (lambda event: None)
        self.paths: dict[str, Path] = {}  # video id → the MP4 saved for it
        self.already_saved = 0
        self.review = ReviewSheet(out_dir, rows)
        self.builtin_drafts = 0  # saved topic rows whose script the built-in offline writer composed

    @property
    def review_path(self) -> Path:
        return self.review.path

    @property
    def topic_rows(self) -> int:
        return sum(1 for row in self.rows.values() if row.script is None)

    def submit(self, sheet_name: str, *, retry_failed: bool) -> BulkJob:
        """Submit the whole batch at once (idempotently: a rerun finds it); the engine writes the
        topic rows' scripts, each as the first stage of its row's job."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        remove_partial_downloads(self.out_dir)
        self.builtin_drafts = 0
        batch = build_batch(self.client, list(self.rows.values()), sheet_name, retry_failed=retry_failed)
        job = self.client.bulk.submit(batch)
        self.on_event(BulkSubmitted(ts=_now(), job_id=job.job_id, total_videos=job.total_videos))
        self.review.name = sheet_name
        self.review.update(job, self.paths, force=True)
        return job

    def follow(
        self,
        job: BulkJob,
        timeout: float | None,
        on_change: Callable[[BulkJob, list[Video]], None] | None = None,
    ) -> BulkJob:
        """Until every video is final; raises `BulkTimeout` when `timeout` passes first."""

        def changed(status: BulkJob, videos: list[Video]) -> None:
            if on_change is not None:
                on_change(status, videos)
            for video in videos:
                row = self.rows.get(video.row_number or 0)
                self.on_event(
                    VideoStateChanged(
                        ts=_now(),
                        job_id=status.job_id,
                        row=video.row_number,
                        video_id=video.id,
                        title=row.title if row else video.title,
                        status=video.status,
                        stage=video.stage,
                        progress=video.progress,
                        error=video.error.message if video.error else None,
                    )
                )

        def polled(status: BulkJob) -> None:
            """The review sheet, once a poll's finished videos are saved: one write for many changes."""
            self.review.update(status, self.paths)

        return Follower(self.client, job.job_id, changed, self._save, on_poll=polled).run(timeout)

    def _save(self, video: Video) -> None:
        row = self.rows.get(video.row_number or 0)
        if video.status != "completed" or row is None:
            return
        result = download(
            self.client,
            video,
            self.out_dir,
            lambda: sidecar_for(row, video, self.client.videos.scenes(video.id)),
        )
        self.paths[video.id] = result.video
        self.already_saved += result.skipped
        if row.script is None and video.script_id is not None:  # a topic row: who wrote its script
            self.builtin_drafts += self.client.scripts.get(video.script_id).builtin_draft
        self.on_event(
            VideoSaved(
                ts=_now(), row=row.row, video_id=video.id, path=str(result.video), skipped=result.skipped
            )
        )

    def write_manifests(self, status: BulkJob, *, end: BatchEnd = "finished") -> Path:
        """`results.csv`, `results.json` and the review sheet for the batch as it stands, at its `end`
        (finished; or interrupted, or timed out, with rows still going); the CSV's path."""
        csv_path, _ = write_manifests(
            self.out_dir, manifest_rows(list(self.rows.values()), status, self.paths)
        )
        self.review.write(status, self.paths, state=end)
        if end == "finished":
            self.on_event(
                BulkFinished(
                    ts=_now(),
                    job_id=status.job_id,
                    status=status.status,
                    completed_videos=status.completed_videos,
                    failed_videos=status.failed_videos,
                )
            )
        return csv_path


def _now() -> float:
    return round(time.time(), 3)
