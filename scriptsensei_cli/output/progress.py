"""Progress bars on stderr, only when a person is watching (stderr is a terminal)."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from . import console


class JobProgress:
    """A bar for one job: percent, stage, elapsed, ETA. A no-op when stderr is not a terminal.

    with JobProgress("Rendering") as bar:
        bar.update(42.0, "render", "encoding")
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> JobProgress:
        if console.stderr_is_terminal():
            from rich.progress import (
                BarColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("[dim]{task.fields[stage]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console.stderr(),
                transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.title, total=100, stage="queued")
        return self

    def update(self, percent: float, stage: str, message: str = "") -> None:
        if self._progress is not None:
            from rich.markup import escape

            self._progress.update(self._task, completed=percent, stage=escape(stage))

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()


class BulkProgress:
    """The batch view: an overall bar (done, failed, queued, ETA) and a bar per video in flight.

    Off a terminal it prints one line per state change instead (never per percent).
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self._progress: Any = None
        self._overall: Any = None
        self._tasks: dict[str, Any] = {}
        self._last: dict[str, tuple[str, str | None]] = {}

    def __enter__(self) -> BulkProgress:
        if console.stderr_is_terminal():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("[dim]{task.fields[note]}"),
                TimeRemainingColumn(),
                console=console.stderr(),
            )
            self._progress.start()
            self._overall = self._progress.add_task("All videos", total=self.total, note="queued")
        return self

    def update(self, status: Any, changed: list[Any]) -> None:
        from rich.markup import escape

        if self._progress is None:
            for video in changed:
                state = (video.status, video.stage)
                if self._last.get(video.id) != state:
                    self._last[video.id] = state
                    stage = f" ({video.stage})" if video.status == "processing" and video.stage else ""
                    console.info(f"row {video.row_number}: {video.status}{stage}  {video.title}")
            return
        queued = sum(1 for v in status.videos if v.status == "pending")
        finished = status.completed_videos + status.failed_videos + status.cancelled_videos
        note = f"{status.completed_videos} done, {status.failed_videos} failed, {queued} queued"
        self._progress.update(self._overall, completed=finished, note=note)
        for video in status.videos:
            task = self._tasks.get(video.id)
            if video.status == "processing":
                label = escape(f"row {video.row_number}: {video.title[:28]}")
                if task is None:
                    self._tasks[video.id] = self._progress.add_task(
                        label, total=100, note=escape(video.stage or "")
                    )
                else:
                    self._progress.update(task, completed=video.progress, note=escape(video.stage or ""))
            elif task is not None:
                self._progress.remove_task(task)
                del self._tasks[video.id]

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()


class TransferProgress:
    """Upload bars, one per file: bytes sent, total, rate. Safe to update from several threads.

    Off a terminal it draws nothing; the command reports each file when it is done.

    with TransferProgress() as bars:
        task = bars.add("clip.mp4", total=size)
        bars.update(task, sent)
    """

    def __init__(self) -> None:
        self._progress: Any = None

    def __enter__(self) -> TransferProgress:
        if console.stderr_is_terminal():
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=console.stderr(),
            )
            self._progress.start()
        return self

    def add(self, name: str, total: int) -> int | None:
        if self._progress is None:
            return None
        from rich.markup import escape

        return int(self._progress.add_task(escape(name), total=total))

    def update(self, task: int | None, sent: int) -> None:
        if self._progress is not None and task is not None:
            self._progress.update(task, completed=sent)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
