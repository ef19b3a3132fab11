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
