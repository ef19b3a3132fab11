"""The dry run's plan: each row's output path and length, and what the batch will cost this machine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .validate import PlannedRow

# Rough bitrates (MB per second of video) and speeds (seconds of video rendered per second on two
# cores), measured with bench/render.py on the reference video.
MB_PER_SECOND = {"draft": 0.08, "standard": 0.5, "high": 0.2}
REALTIME_FACTOR = {"draft": 8.0, "standard": 2.0, "high": 0.6}
DEFAULT_SECONDS = 30  # a topic row without a duration: the writer's default length
OVERHEAD = 1.2  # scripts, downloads and the first render's warm-up


@dataclass(frozen=True)
class PlanLine:
    row: int
    title: str
    platform: str
    quality: str
    seconds: int
    path: str


@dataclass(frozen=True)
class Plan:
    lines: list[PlanLine]
    narration_minutes: float
    render_minutes: float  # wall time with `workers` at once (one at a time when None)
    disk_mb: float
    workers: int | None


def plan(rows: Sequence[PlannedRow], out_dir: Path, workers: int | None) -> Plan:
    def seconds(row: PlannedRow) -> float:
        return row.estimated_seconds or row.duration or DEFAULT_SECONDS

    render = sum(seconds(row) / REALTIME_FACTOR.get(row.quality, 1.0) for row in rows)
    at_once = max(min(workers or 1, len(rows)), 1)
    return Plan(
        lines=[
            PlanLine(
                row.row,
                row.title,
                row.platform,
                row.quality,
                round(seconds(row)),
                str(out_dir / f"{row.output_name}.mp4"),
            )
            for row in rows
        ],
        narration_minutes=sum(seconds(row) for row in rows) / 60,
        render_minutes=render / at_once / 60 * OVERHEAD,
        disk_mb=sum(seconds(row) * MB_PER_SECOND.get(row.quality, 0.5) for row in rows),
        workers=workers,
    )
