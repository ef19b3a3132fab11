"""`ss bulk FILE`: the main job. Validate the whole sheet, plan, render every row, resume on rerun."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from ..output import console
from ..output.errors import CLIError
from ..output.exit_codes import ExitCode
from ._shared import api, state

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..batch.problems import Problem
    from ..batch.validate import PlannedRow
    from ..client import ScriptSensei
    from ..contract.bulk import BulkRunEvent
    from ..contract.media import FileUse

SCHEMA_HELP = """\
Columns (header row; names are case-insensitive):

  title        required; {{variables}} allowed
  script       the narration; or
  topic        a subject: the server's writer drafts the script as the row's first stage
               (one of script/topic per row)
  voice, platform, aspect_ratio, language, duration, tone, template, captions, quality
  media        images or clips for the scenes, '|'-separated, paths or globs relative to the file
  visuals      for scenes without media: auto (your library, then stock, then drawn), library,
               stock, generated or none
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
        bool,
        typer.Option(
            "--dry-run", help="Check every row and file as a run would; print the plan; render nothing."
        ),
    ] = False,
    concurrency: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=32,
            help="Videos rendered at once by the embedded engine (default: 2, or 1 per 4 cores).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the results (default: ./scriptsensei-out/<file>/).", file_okay=False
        ),
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Render rows that failed last time again.")
    ] = False,
    events: Annotated[
        str | None,
        typer.Option("--events", help="Write NDJSON events to FILE ('-' = stdout).", metavar="FILE"),
    ] = None,
    open_review: Annotated[
        bool,
        typer.Option(
            "--open",
            help="Open the review sheet (index.html in --out) in the default browser when the batch "
            "ends. Skipped, with a note, in CI or with no display to show a browser on; never an error.",
        ),
    ] = False,
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
    visuals: Annotated[
        str,
        typer.Option(help="Default visuals for scenes without media: auto, library, stock, generated, none."),
    ] = "auto",
    tone: Annotated[str, typer.Option(help="Default tone for topic rows.")] = "casual",
    status_of: Annotated[
        str | None, typer.Option("--status", help="Show a bulk job's state and exit.", metavar="JOB")
    ] = None,
    cancel_job: Annotated[
        str | None, typer.Option("--cancel", help="Cancel a bulk job's remaining rows.", metavar="JOB")
    ] = None,
) -> None:
    """Render one finished video per row of a CSV, TSV or JSON Lines file.

    The whole file is checked first, media and music files included (the server decodes each);
    any problem is listed (row and column) and nothing is rendered. --dry-run makes the same checks.
    Rerunning the same command resumes: finished rows are neither rendered nor downloaded again.

    Examples:

      ss bulk samples/videos.csv

      ss bulk videos.csv --dry-run

      ss bulk videos.csv --platform youtube_shorts --quality draft --concurrency 2 --out renders/

      ss bulk videos.csv --events - | jq -c .

      ss bulk videos.csv --open

    Review sheet: index.html beside results.csv in the output folder, one card per row
    (thumbnail, status, failure reason, captions, visual sources, a link that plays the MP4). It is
    rewritten as rows finish and refreshes itself while the batch runs; open it any time, or pass
    --open. Its links are relative: move or zip the folder and it still works, offline.

    Columns: title (required); script or topic (one per row; a topic row's script is written by
    the server's writer as the first stage of its job, while other rows render); voice,
    platform, aspect_ratio, language, duration, tone, template, captions, quality;
    media ('|'-separated paths or globs, relative to the file); visuals (auto, library, stock,
    generated, none: where scenes without media get pictures); music; output_name. Any other
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
        visuals=visuals,
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
            code = _run(ctx, client, rows, file, out_dir, retry_failed, timeout, sink, open_review)
        finally:
            if sink is not None and sink is not sys.stdout:
                sink.close()
    raise typer.Exit(code)


def _facts(client: ScriptSensei) -> Any:
    from ..batch.validate import Facts
    from ..contract.vocabulary import CAPTION_STYLES, FRAME_SIZES, QUALITY_NAMES, TONES, VIDEO_MAX_SECONDS

    return Facts(
        platforms=VIDEO_MAX_SECONDS,
        aspect_ratios=tuple(FRAME_SIZES),
        caption_styles=CAPTION_STYLES,
        qualities=QUALITY_NAMES,
        tones=TONES,
        voices={voice.id: voice.language for voice in client.voices.all()},
        templates=[template.id for template in client.scripts.templates().templates],
        can_translate=client.scripts.providers().chain != ["builtin"],
        check_files=lambda files: _check_files(client, files),
    )


def _check_files(client: ScriptSensei, files: list[tuple[str, FileUse]]) -> dict[tuple[str, FileUse], str]:
    """The server's check of the sheet's files: what the run's own submission would refuse."""
    from ..client import APIStatusError
    from ..contract.media import MediaCheckItem

    try:
        results = client.media.check([MediaCheckItem(value=value, use=use) for value, use in files])
    except APIStatusError as exc:
        if exc.status_code not in (404, 405):
            raise
        console.warn(
            "this server cannot check media files before rendering (it has no /media/check); "
            "a file it cannot decode fails its row when the batch runs"
        )
        return {}
    return {(result.value, result.use): result.problem for result in results if result.problem is not None}


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
    from dataclasses import asdict

    from ..batch.plan import plan
    from ..output.formatters import Column, emit

    estimate = plan(rows, out_dir, workers)
    emit(
        [asdict(line) for line in estimate.lines],
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
    pace = f"with {workers} at once" if workers else "one at a time (the server does not say)"
    videos = "1 video" if len(rows) == 1 else f"{len(rows)} videos"
    console.info(
        f"{videos}, about {estimate.narration_minutes:.1f} min of narration; estimated render "
        f"time on this machine about {estimate.render_minutes:.1f} min {pace}; "
        f"about {estimate.disk_mb:.0f} MB of disk in {out_dir}"
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
    open_review: bool = False,
) -> int:
    from ..batch.run import BatchRun
    from ..batch.runner import BulkTimeout
    from ..output.progress import BulkProgress
    from ._scripts import builtin_notice

    run = BatchRun(client, rows, out_dir, on_event=_writer(sink))
    job = run.submit(file.name, retry_failed=retry_failed)
    console.info(f"bulk job {job.job_id}: {job.total_videos} videos → {out_dir}")
    if run.topic_rows:
        console.info(f"{run.topic_rows} topic row(s): each video's job writes its script first")
    with BulkProgress(job.total_videos) as view:
        try:
            final = run.follow(job, timeout, on_change=view.update)
        except BulkTimeout as exc:
            run.write_manifests(client.bulk.status(job.job_id), end="timed_out")
            if open_review:
                _open(run.review_path)
            raise CLIError(
                str(exc), hint="rerun the same command to keep waiting", exit_code=ExitCode.TIMED_OUT
            ) from exc
        except KeyboardInterrupt:  # the user asked to stop: the sheet is written, not opened
            run.write_manifests(client.bulk.status(job.job_id), end="interrupted")
            embedded = state(ctx).settings.api_url is None
            hint = (
                "rerun the same command to resume (finished rows are kept)"
                if embedded
                else "it goes on; rerun the same command to follow and download, "
                f"or cancel with: ss bulk --cancel {job.job_id}"
            )
            raise CLIError("stopped waiting", hint=hint, exit_code=ExitCode.INTERRUPTED) from None

    csv_path = run.write_manifests(final)
    if run.builtin_drafts:
        builtin_notice(run.builtin_drafts)
    reused = f" ({run.already_saved} already downloaded)" if run.already_saved else ""
    console.info(
        f"{final.completed_videos} of {final.total_videos} done{reused}, "
        f"{final.failed_videos} failed; manifest: {csv_path}; review: {run.review_path}"
    )
    for video in final.videos:
        if video.status != "completed":
            reason = f"{video.error.stage}: {video.error.message}" if video.error else video.status
            console.warn(f"row {video.row_number} ({video.title}): {reason}")
    if final.failed_videos or final.cancelled_videos:
        console.info("hint: fix the rows and rerun; add --retry-failed to render failed rows again")
    if open_review:
        _open(run.review_path)
    if final.completed_videos == final.total_videos:
        return ExitCode.OK
    return ExitCode.PARTIAL_FAILURE if final.completed_videos else ExitCode.ERROR


def _open(page: Path) -> None:
    """`--open`: best effort; the batch's exit code is its own whatever the browser does."""
    from ..output.browser import open_in_browser

    reason = open_in_browser(page)
    if reason is not None:
        console.info(f"--open: {reason}; the review sheet is {page.resolve().as_uri()}")


def _writer(sink: TextIO | None) -> Callable[[BulkRunEvent], None] | None:
    """NDJSON lines for `--events`: one event a line, flushed at once (CI reads them as they come)."""
    if sink is None:
        return None

    def write(event: BulkRunEvent) -> None:
        sink.write(event.model_dump_json() + "\n")
        sink.flush()

    return write


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
