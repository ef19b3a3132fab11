"""`ss bulk FILE`: the main job. Validate the whole sheet, plan, render every row, resume on rerun."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from ..output import console
from ..output.errors import CLIError
from ..output.exit_codes import ExitCode
from ._shared import api, state

if TYPE_CHECKING:
    from ..batch.validate import PlannedRow, Problem
    from ..client import ScriptSensei
    from ..contract import BulkJob, Video

# Rough bitrates (MB per second of video) and speeds (seconds of video rendered per second on two
# cores), for the dry-run plan; measured with bench/render.py on the reference video.
MB_PER_SECOND = {"draft": 0.08, "standard": 0.5, "high": 0.2}
REALTIME_FACTOR = {"draft": 8.0, "standard": 2.0, "high": 0.6}

SCHEMA_HELP = """\
Columns (header row; names are case-insensitive):

  title        required; {{variables}} allowed
  script       the narration; or
  topic        a subject: the writer drafts the script (one of script/topic per row)
  voice, platform, aspect_ratio, language, duration, tone, template, captions, quality
  media        images or clips for the scenes, '|'-separated, paths or globs relative to the file
  music        a background music file
  output_name  file name for the row's video (default: from the title)

Every other column is a template variable: {{product_name}} in title or script is replaced per row.
CSV (comma, semicolon or tab; UTF-8 with or without BOM), TSV, JSON Lines and .xlsx (with the
excel extra) are read.
"""


def bulk(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="The sheet: .csv, .tsv, .jsonl or .xlsx.", show_default=False)
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and print the plan; render nothing.")
    ] = False,
    concurrency: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=32,
            help="Videos rendered at once by the embedded engine [default: 2, or 1 per 4 cores].",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the results [default: ./scriptsensei-out/<file>/].", file_okay=False
        ),
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Render rows that failed last time again.")
    ] = False,
    events: Annotated[
        str | None,
        typer.Option("--events", help="Write NDJSON events to FILE ('-' = stdout).", metavar="FILE"),
    ] = None,
    timeout: Annotated[
        float | None, typer.Option(min=0, help="Stop waiting after S seconds (exit 8).")
    ] = None,
    platform: Annotated[
        str, typer.Option("--platform", "-p", help="Default for rows without one.")
    ] = "tiktok",
    voice: Annotated[str | None, typer.Option(help="Default voice.")] = None,
    aspect_ratio: Annotated[str | None, typer.Option("--aspect-ratio", help="Default aspect ratio.")] = None,
    language: Annotated[str, typer.Option("--language", "-l", help="Default language.")] = "en",
    captions: Annotated[str, typer.Option(help="Default caption style (or none).")] = "word_highlight",
    quality: Annotated[str, typer.Option(help="Default quality: draft, standard, high.")] = "standard",
    tone: Annotated[str, typer.Option(help="Default tone for topic rows.")] = "casual",
    status_of: Annotated[
        str | None, typer.Option("--status", help="Show a bulk job's state and exit.", metavar="JOB")
    ] = None,
    cancel_job: Annotated[
        str | None, typer.Option("--cancel", help="Cancel a bulk job's remaining rows.", metavar="JOB")
    ] = None,
) -> None:
    """Render one finished video per row of a CSV, TSV or JSON Lines file.

    The whole file is checked first; any problem is listed (row and column) and nothing is rendered.
    Rerunning the same command resumes: finished rows are neither rendered nor downloaded again.

    Examples:

      ss bulk samples/videos.csv

      ss bulk videos.csv --dry-run

      ss bulk videos.csv --platform youtube_shorts --quality draft --concurrency 2 --out renders/

      ss bulk videos.csv --events - | jq -c .

    Columns: title (required); script or topic (one per row; topic rows get a script from the
    writer); voice, platform, aspect_ratio, language, duration, tone, template, captions, quality;
    media ('|'-separated paths or globs, relative to the file); music; output_name. Any other
    column is a template variable: {{product_name}} in title or script is replaced per row.
    Exit codes: 0 all done, 6 some rows failed, 1 all failed, 2 invalid input, 130 interrupted.
    """
    if status_of or cancel_job:
        _status_or_cancel(ctx, status_of, cancel_job)
        return
    if file is None:
        raise CLIError(
            "give the sheet to render, e.g. ss bulk videos.csv", hint=SCHEMA_HELP, exit_code=ExitCode.USAGE
        )
    from ..batch.reader import SheetError, read_sheet
    from ..batch.validate import Defaults, validate
    from ..contract import MAX_BULK_ROWS

    try:
        sheet = read_sheet(file, max_rows=MAX_BULK_ROWS)
    except SheetError as exc:
        raise CLIError(str(exc), exit_code=ExitCode.USAGE) from exc
    defaults = Defaults(
        platform=platform,
        voice=voice,
        aspect_ratio=aspect_ratio,
        language=language,
        tone=tone,
        captions=captions,
        quality=quality,
    )
    out_dir = out or Path("scriptsensei-out") / file.stem
    with api(ctx, workers=concurrency, batch=True) as client:
        rows, problems = validate(sheet, defaults, _facts(client))
        if problems:
            _print_problems(problems, file)
            raise typer.Exit(ExitCode.USAGE)
        if dry_run:
            _print_plan(rows, out_dir, concurrency or client.health().render_workers)
            return
        sink = _open_events(events)
        try:
            code = _run(ctx, client, rows, file, out_dir, retry_failed, timeout, sink)
        finally:
            if sink is not None and sink is not sys.stdout:
                sink.close()
    raise typer.Exit(code)


def _facts(client: ScriptSensei) -> Any:
    from typing import get_args

    from ..batch.validate import Facts
    from ..contract.scripts import Tone
    from ..contract.videos import CaptionStyleName, QualityName
    from ..contract.vocabulary import VIDEO_MAX_SECONDS, AspectRatio

    return Facts(
        platforms=VIDEO_MAX_SECONDS,
        aspect_ratios=get_args(AspectRatio),
        caption_styles=get_args(CaptionStyleName),
        qualities=get_args(QualityName),
        tones=get_args(Tone),
        voices={voice.id: voice.language for voice in client.voices.all()},
        templates=[template.id for template in client.scripts.templates().templates],
        can_translate=client.scripts.providers().chain != ["builtin"],
    )


def _print_problems(problems: list[Problem], file: Path) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(f"{file}: {len(problems)} problem(s); nothing was rendered"), title_justify="left"
    )
    table.add_column("ROW", justify="right", no_wrap=True)
    table.add_column("COLUMN", no_wrap=True)
    table.add_column("PROBLEM")
    for problem in problems:
        table.add_row(Text(str(problem.row or "-")), Text(problem.column or "-"), Text(problem.message))
    console.stderr().print(table)


def _print_plan(rows: list[PlannedRow], out_dir: Path, workers: int | None) -> None:
    from ..output.formatters import Column, emit

    narration = sum(row.estimated_seconds or row.duration or 30 for row in rows)
    render = sum(
        (row.estimated_seconds or row.duration or 30) / REALTIME_FACTOR.get(row.quality, 1.0) for row in rows
    )
    disk = sum(
        (row.estimated_seconds or row.duration or 30) * MB_PER_SECOND.get(row.quality, 0.5) for row in rows
    )
    plan = [
        {
            "row": row.row,
            "title": row.title,
            "platform": row.platform,
            "quality": row.quality,
            "seconds": round(row.estimated_seconds or row.duration or 30),
            "path": str(out_dir / f"{row.output_name}.mp4"),
        }
        for row in rows
    ]
    emit(
        plan,
        "table" if console.stdout_is_terminal() else "tsv",
        columns=[
            Column("row", fixed=True),
            Column("title"),
            Column("platform", fixed=True),
            Column("quality", fixed=True),
            Column("seconds", fixed=True),
            Column("path"),
        ],
    )
    pace = (
        f"with {workers} at once" if workers else "one at a time (the server does not say how many at once)"
    )
    console.info(
        f"{len(rows)} videos, about {narration / 60:.1f} min of narration; estimated render time on this "
        f"machine about {render / max(min(workers or 1, len(rows)), 1) / 60 * 1.2:.1f} min {pace}; "
        f"about {disk:.0f} MB of disk in {out_dir}"
    )


def _open_events(target: str | None) -> TextIO | None:
    if target is None:
        return None
    if target == "-":
        return sys.stdout
    try:
        return open(target, "a", encoding="utf-8")
    except OSError as exc:
        raise CLIError(f"--events: cannot write {target}: {exc.strerror}", exit_code=ExitCode.USAGE) from exc


def _run(
    ctx: typer.Context,
    client: ScriptSensei,
    rows: list[PlannedRow],
    file: Path,
    out_dir: Path,
    retry_failed: bool,
    timeout: float | None,
    sink: TextIO | None,
) -> int:
    from ..batch.runner import (
        BulkTimeout,
        Follower,
        build_batch,
        download,
        manifest_rows,
        remove_partial_downloads,
        sidecar_for,
        write_manifests,
    )
    from ..output.progress import BulkProgress

    by_row = {row.row: row for row in rows}
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_partial_downloads(out_dir)
    paths: dict[str, Path] = {}
    skipped = 0
    topic_rows = sum(1 for row in rows if row.script is None)
    if topic_rows:
        console.info(f"writing scripts for {topic_rows} topic row(s)…")
    batch = build_batch(client, rows, file.name, retry_failed=retry_failed)
    job = client.bulk.submit(batch)
    _emit(sink, {"event": "bulk_submitted", "job_id": job.job_id, "total_videos": job.total_videos})
    console.info(f"bulk job {job.job_id}: {job.total_videos} videos → {out_dir}")

    with BulkProgress(job.total_videos) as view:

        def on_change(status: BulkJob, changed: list[Video]) -> None:
            view.update(status, changed)
            for video in changed:
                row = by_row.get(video.row_number or 0)
                _emit(
                    sink,
                    {
                        "event": "video_state",
                        "job_id": status.job_id,
                        "row": video.row_number,
                        "video_id": video.id,
                        "title": row.title if row else video.title,
                        "status": video.status,
                        "stage": video.stage,
                        "progress": video.progress,
                        "error": video.error.message if video.error else None,
                    },
                )

        def on_finished(video: Video) -> None:
            nonlocal skipped
            row = by_row.get(video.row_number or 0)
            if video.status != "completed" or row is None:
                return
            result = download(client, video, out_dir, sidecar_for(row, video))
            paths[video.id] = result.video
            skipped += result.skipped
            _emit(
                sink,
                {
                    "event": "video_saved",
                    "row": row.row,
                    "video_id": video.id,
                    "path": str(result.video),
                    "skipped": result.skipped,
                },
            )

        try:
            final = Follower(client, job.job_id, on_change, on_finished).run(timeout)
        except BulkTimeout as exc:
            raise CLIError(
                str(exc), hint="rerun the same command to keep waiting", exit_code=ExitCode.TIMED_OUT
            ) from exc
        except KeyboardInterrupt:
            write_manifests(out_dir, manifest_rows(rows, client.bulk.status(job.job_id), paths))
            embedded = state(ctx).settings.api_url is None
            hint = (
                "rerun the same command to resume (finished rows are kept)"
                if embedded
                else "it goes on; rerun the same command to follow and download, "
                f"or cancel with: ss bulk --cancel {job.job_id}"
            )
            raise CLIError("stopped waiting", hint=hint, exit_code=ExitCode.INTERRUPTED) from None

    csv_path, _ = write_manifests(out_dir, manifest_rows(rows, final, paths))
    _emit(
        sink,
        {
            "event": "bulk_finished",
            "job_id": final.job_id,
            "status": final.status,
            "completed_videos": final.completed_videos,
            "failed_videos": final.failed_videos,
        },
    )
    reused = f" ({skipped} already downloaded)" if skipped else ""
    console.info(
        f"{final.completed_videos} of {final.total_videos} done{reused}, "
        f"{final.failed_videos} failed; manifest: {csv_path}"
    )
    for video in final.videos:
        if video.status != "completed":
            reason = f"{video.error.stage}: {video.error.message}" if video.error else video.status
            console.warn(f"row {video.row_number} ({video.title}): {reason}")
    if final.failed_videos or final.cancelled_videos:
        console.info("hint: fix the rows and rerun; add --retry-failed to render failed rows again")
    if final.completed_videos == final.total_videos:
        return ExitCode.OK
    return ExitCode.PARTIAL_FAILURE if final.completed_videos else ExitCode.ERROR


def _emit(sink: TextIO | None, event: dict[str, Any]) -> None:
    if sink is not None:
        sink.write(json.dumps({"ts": round(time.time(), 3), **event}, ensure_ascii=False) + "\n")
        sink.flush()


def _status_or_cancel(ctx: typer.Context, status_of: str | None, cancel_job: str | None) -> None:
    from ..output.formatters import Column, emit, resolve_format

    with api(ctx) as client:
        job = client.bulk.cancel(cancel_job) if cancel_job else client.bulk.status(status_of or "")
    console.info(
        f"{job.job_id} ({job.name}): {job.status}; "
        f"{job.completed_videos} done, {job.failed_videos} failed of {job.total_videos}"
    )
    emit(
        job.videos,
        resolve_format(False, None),
        columns=[
            Column("row_number", "ROW", fixed=True),
            Column("id", fixed=True),
            Column("title"),
            Column("status", fixed=True),
            Column("progress", "%", fixed=True),
        ],
    )
