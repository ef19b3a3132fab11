"""`ss video generate|list|fonts|get|watch|wait|scenes|update-scene|render|download|cancel|delete`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..contract.vocabulary import FRAME_SIZES, PLATFORMS, VISUALS_MODES, names
from ..output import console
from ..output.errors import CLIError, require_file
from ..output.exit_codes import ExitCode
from ..output.formatters import Column, emit, short_time
from ._shared import JsonOption, OutputOption, api, confirm_destructive, output_format, state

if TYPE_CHECKING:
    from ..client import ScriptSensei
    from ..contract import Video

app = typer.Typer(
    help="Render videos: voiceover, captions, scenes, thumbnail; follow and download them.",
    no_args_is_help=True,
)

VIDEO_COLUMNS = [
    Column("id", fixed=True),
    Column("title"),
    Column("status", fixed=True),
    Column("progress", "%", fixed=True),
    Column("platform", fixed=True),
    Column("duration", "SECS", fixed=True),
    Column("created_at", "CREATED (UTC)", fixed=True, human=short_time),
]
SCENE_COLUMNS = [
    Column("index", "#", fixed=True),
    Column("start", fixed=True),
    Column("duration", fixed=True),
    Column("text"),
    Column("visual.source", "SOURCE", fixed=True),
    Column("visual", "SHOWS", human=lambda v: _shown(v)),
    Column("visual.query", "TERMS"),
    Column("visual.reason", "WHY"),
    Column("visual", "CREDIT", human=lambda v: _credit(v)),
]
FONT_COLUMNS = [Column("family"), Column("default", fixed=True)]
VideoId = Annotated[str, typer.Argument(help="Video id (vid_…).", metavar="ID")]
OutOption = Annotated[
    Path, typer.Option("--out", help="Folder for the MP4, thumbnail and captions.", file_okay=False)
]
TimeoutOption = Annotated[
    float | None, typer.Option("--timeout", min=0, help="Give up waiting after S seconds (exit 8).")
]


def _shown(visual: dict[str, Any]) -> str:
    """What a scene shows: the file (a stock file also by its provider), or the drawn background."""
    if visual.get("source") in ("generated", "none"):
        return "background" if visual["source"] == "generated" else "plain"
    name = visual.get("file") or visual.get("title") or visual.get("id") or ""
    return f"{visual['provider']}: {name}" if visual.get("source") == "stock" else str(name)


def _credit(visual: dict[str, Any]) -> str:
    """ "Jane Doe, CC BY 4.0, https://…": what a licence asks a creator to credit."""
    return ", ".join(str(visual[key]) for key in ("author", "licence", "page_url") if visual.get(key))


def _local_file(value: str, what: str) -> str:
    """A local path, made absolute for the engine; a media library id (med_…) passes as it is."""
    from ..contract.media import is_media_id

    if what == "--media" and is_media_id(value):
        return value
    return str(require_file(Path(value).expanduser(), shown=value, what=what).resolve())


@app.command("generate")
def generate(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Option("--text", help="The narration text itself.")] = None,
    script_file: Annotated[
        Path | None,
        typer.Option("--script-file", help="Read the narration from a file ('-' = stdin).", allow_dash=True),
    ] = None,
    script_id: Annotated[
        str | None, typer.Option("--script-id", help="A saved script (ss script list).")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Title (thumbnail, file names). Default: from the script.")
    ] = None,
    voice: Annotated[
        str | None, typer.Option(help="Voice id (default: the language's neural voice).")
    ] = None,
    language: Annotated[str, typer.Option("--language", "-l", help="Language of the narration.")] = "en",
    platform: Annotated[
        str,
        typer.Option(
            "--platform",
            "-p",
            help=f"One of: {names(PLATFORMS)}.",
        ),
    ] = "tiktok",
    aspect_ratio: Annotated[
        str | None,
        typer.Option("--aspect-ratio", help=f"One of: {names(FRAME_SIZES)} (default: the platform's)."),
    ] = None,
    quality: Annotated[str, typer.Option(help="draft (quarter size, fast), standard or high.")] = "standard",
    media: Annotated[
        list[str] | None,
        typer.Option(
            "--media", help="Image or video for the scenes, in turn: a path or a media id (repeatable)."
        ),
    ] = None,
    visuals: Annotated[
        str,
        typer.Option(
            help=f"For scenes without --media: {', '.join(VISUALS_MODES)}. auto: your media library "
            "(SCRIPTSENSEI_MEDIA_LIBRARY), then stock sources, then a drawn background.",
        ),
    ] = "auto",
    captions: Annotated[
        str, typer.Option(help="word_highlight, karaoke, standard, or none.")
    ] = "word_highlight",
    music: Annotated[str | None, typer.Option(help="Background music file, ducked under the voice.")] = None,
    transition: Annotated[str, typer.Option(help="none or fade.")] = "none",
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="Wait for the render and download the files.")
    ] = True,
    out: OutOption = Path("."),
    timeout: TimeoutOption = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Turn a script into a finished MP4 with voiceover, synced captions, moving visuals and a thumbnail.

    Examples:

      ss video generate --text "Three habits of great sleepers. One: …" --platform tiktok

      ss video generate --script-id scr_0123 --media a.jpg --media b.mp4 --out renders/

      ss video generate --script-file script.txt --quality draft --no-wait --json

      SCRIPTSENSEI_MEDIA_LIBRARY=~/b-roll ss video generate --text "…"   (scenes pick from your clips)
    """
    from ..client import new_idempotency_key
    from ..contract import GenerateVideoRequest

    sources = [value for value in (text, script_file, script_id) if value is not None]
    if len(sources) != 1:
        raise CLIError("give exactly one of --text, --script-file or --script-id", exit_code=ExitCode.USAGE)
    if script_file is not None:
        text = sys.stdin.read() if str(script_file) == "-" else _read(script_file)
    body: dict[str, Any] = {
        "script": text,
        "script_id": script_id,
        "title": title,
        "language": language,
        "voice": voice,
        "platform": platform,
        "aspect_ratio": aspect_ratio,
        "quality": quality,
        "captions": None if captions == "none" else {"style": captions},
        "media": [_local_file(item, "--media") for item in media or []],
        "visuals": visuals,
        "music": _local_file(music, "--music") if music else None,
        "transition": transition,
    }
    request = GenerateVideoRequest.model_validate(body)
    fmt = output_format(ctx, json_flag, output)
    with api(ctx) as client:
        job = client.videos.generate(request, idempotency_key=new_idempotency_key())
        if not wait:
            if fmt == "table":
                console.info(
                    f"queued {job.video_id} (job {job.job_id}); follow it with: ss video watch {job.video_id}"
                )
                if state(ctx).settings.api_url is None:
                    console.warn(
                        "the embedded engine renders only while an ss command runs; "
                        "`ss video wait` resumes it"
                    )
            emit(job, fmt)
            return
        video = _wait(
            client, job.video_id, timeout=timeout, title=request.title or "Rendering", embedded=_embedded(ctx)
        )
        _download_all(client, video, out)
    emit(video, fmt, columns=VIDEO_COLUMNS, human=_show_video)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CLIError(f"--script-file: no such file: {path}", exit_code=ExitCode.USAGE) from exc
    except UnicodeDecodeError as exc:
        raise CLIError(f"--script-file: {path} is not UTF-8 text", exit_code=ExitCode.USAGE) from exc


def _embedded(ctx: typer.Context) -> bool:
    """No server configured: the engine lives and dies with this command."""
    return state(ctx).settings.api_url is None


def _wait(client: ScriptSensei, video_id: str, *, timeout: float | None, title: str, embedded: bool) -> Video:
    """Follow the render with a bar (on a terminal); the final video, or the failure as an error."""
    from ..client.realtime import WaitTimeout, follow_job
    from ..output.progress import JobProgress

    try:
        with JobProgress(title[:40]) as bar:
            for name, event in follow_job(client, video_id, timeout=timeout):
                if name == "progress_update":
                    bar.update(event.progress, event.current_step, event.message)  # type: ignore[attr-defined]
                elif name == "processing_completed":
                    bar.update(100, "done")
    except WaitTimeout as exc:
        raise CLIError(
            str(exc), hint=f"keep waiting with: ss video wait {video_id}", exit_code=ExitCode.TIMED_OUT
        ) from exc
    except KeyboardInterrupt:
        hint = (
            f"resume with: ss video wait {video_id}"
            if embedded
            else f"it goes on; follow it with: ss video watch {video_id}"
        )
        raise CLIError("stopped waiting", hint=hint, exit_code=ExitCode.INTERRUPTED) from None
    video = client.videos.get(video_id)
    if video.status == "completed" and video.message and video.message.startswith("done; "):
        console.warn(video.message.removeprefix("done; "))  # e.g. a stock source that failed
    if video.status == "failed":
        error = video.error
        stage = f" at the {error.stage} stage" if error else ""
        raise CLIError(
            f"video {video_id} failed{stage}: {error.message if error else video.message}",
            hint=(error.details or None) if error else None,
        )
    if video.status == "cancelled":
        raise CLIError(f"video {video_id} was cancelled")
    return video


def _download_all(client: ScriptSensei, video: Video, out: Path) -> list[Path]:
    from ..client.resources.videos import output_files
    from ..common.naming import safe_name

    base = out / f"{safe_name(video.title, 50)}-{video.id[-6:]}"
    files = [
        client.videos.download(video.id, path, kind=kind, params=params)
        for path, kind, params in output_files(video, base)
    ]
    for path in files:
        console.info(f"saved {path}")
    return files


def _show_video(video: Video) -> None:
    from ..output.formatters import key_values

    rows: list[tuple[str, Any]] = [
        ("id", video.id),
        ("title", video.title),
        ("status", video.status),
        ("progress", f"{video.progress:.0f}%"),
        ("platform", f"{video.platform} ({video.aspect_ratio}, {video.quality})"),
    ]
    if video.width:
        rows.append(("frame", f"{video.width}x{video.height}, {video.duration:.1f} s, {video.encoder}"))
    if video.error:
        rows.append(("error", f"{video.error.stage}: {video.error.message}"))
    rows.append(("created", short_time(video.created_at.isoformat())))
    console.show(key_values(rows))


@app.command("watch")
def watch(ctx: typer.Context, video_id: VideoId, timeout: TimeoutOption = None) -> None:
    """Follow a render: a progress bar on a terminal, NDJSON events when piped.

    Example: ss video watch vid_0123 | jq -c 'select(.event=="progress_update")'
    """
    from ..client.realtime import WaitTimeout, follow_job

    with api(ctx) as client:
        if console.stdout_is_terminal():
            video = _wait(client, video_id, timeout=timeout, title="Rendering", embedded=_embedded(ctx))
            _show_video(video)
            return
        try:
            for name, event in follow_job(client, video_id, timeout=timeout):
                console.write_data(json.dumps({"event": name, **event.model_dump(mode="json")}))
        except WaitTimeout as exc:
            raise CLIError(str(exc), exit_code=ExitCode.TIMED_OUT) from exc
        final = client.videos.get(video_id)
    if final.status != "completed":
        raise CLIError(f"video {video_id} {final.status}")


@app.command("wait")
def wait_(
    ctx: typer.Context,
    video_id: VideoId,
    timeout: TimeoutOption = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Wait until a render ends; exit 8 if --timeout expires first.

    Example: ss video wait vid_0123 --timeout 600 --json
    """
    with api(ctx) as client:
        video = _wait(client, video_id, timeout=timeout, title="Rendering", embedded=_embedded(ctx))
    emit(video, output_format(ctx, json_flag, output), columns=VIDEO_COLUMNS, human=_show_video)


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="pending, processing, completed, failed or cancelled.")
    ] = None,
    platform: Annotated[str | None, typer.Option("--platform", "-p", help="Only this platform.")] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 20,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """List your videos, newest first."""
    with api(ctx) as client:
        result = client.videos.list(page=page, limit=limit, status=status, platform=platform)
    emit(result.videos, output_format(ctx, json_flag, output), columns=VIDEO_COLUMNS)


@app.command("fonts")
def fonts(ctx: typer.Context, json_flag: JsonOption = False, output: OutputOption = None) -> None:
    """List the caption font families the server offers (captions.font), the default first."""
    with api(ctx) as client:
        result = client.videos.fonts()
    rows = [{"family": family, "default": family == result.default} for family in result.fonts]
    emit(rows, output_format(ctx, json_flag, output), columns=FONT_COLUMNS)


@app.command("get")
def get(
    ctx: typer.Context, video_id: VideoId, json_flag: JsonOption = False, output: OutputOption = None
) -> None:
    """Show one video and its render state."""
    with api(ctx) as client:
        video = client.videos.get(video_id)
    emit(video, output_format(ctx, json_flag, output), columns=VIDEO_COLUMNS, human=_show_video)


@app.command("scenes")
def scenes(
    ctx: typer.Context, video_id: VideoId, json_flag: JsonOption = False, output: OutputOption = None
) -> None:
    """List a video's scenes: text, timing, and what each shows and why (the search terms, the source,
    and the credit its licence asks for).

    Example: ss video scenes vid_0123 --json | jq '.scenes[].visual'
    """
    with api(ctx) as client:
        result = client.videos.scenes(video_id)
    emit(result, output_format(ctx, json_flag, output), columns=SCENE_COLUMNS)


@app.command("update-scene")
def update_scene(
    ctx: typer.Context,
    video_id: VideoId,
    index: Annotated[int, typer.Argument(help="Scene number (from ss video scenes).", min=0)],
    text: Annotated[str | None, typer.Option(help="New narration for the scene.")] = None,
    media: Annotated[
        str | None, typer.Option(help="New image or clip ('' for a generated background).")
    ] = None,
    json_flag: JsonOption = False,
) -> None:
    """Edit a scene; `ss video render ID` renders the video again with it.

    Example: ss video update-scene vid_0123 2 --text "A better line." && ss video render vid_0123
    """
    from ..contract import SceneUpdate

    changes: dict[str, Any] = {}
    if text is not None:
        changes["text"] = text
    if media is not None:
        changes["media"] = _local_file(media, "--media") if media else ""
    if not changes:
        raise CLIError("nothing to change", hint="pass --text or --media", exit_code=ExitCode.USAGE)
    with api(ctx) as client:
        scene = client.videos.update_scene(video_id, index, SceneUpdate.model_validate(changes))
    emit(scene, "json" if json_flag else output_format(ctx, False, None), columns=SCENE_COLUMNS)


@app.command("render")
def render(
    ctx: typer.Context,
    video_id: VideoId,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="Wait and download the files.")] = True,
    out: OutOption = Path("."),
    timeout: TimeoutOption = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Render a video again (after editing its scenes)."""
    fmt = output_format(ctx, json_flag, output)
    with api(ctx) as client:
        job = client.videos.render(video_id)
        if not wait:
            emit(job, fmt)
            return
        video = _wait(client, video_id, timeout=timeout, title="Re-rendering", embedded=_embedded(ctx))
        _download_all(client, video, out)
    emit(video, fmt, columns=VIDEO_COLUMNS, human=_show_video)


@app.command("download")
def download(ctx: typer.Context, video_id: VideoId, out: OutOption = Path(".")) -> None:
    """Download a finished video's MP4, thumbnail and captions into --out."""
    with api(ctx) as client:
        video = client.videos.get(video_id)
        if video.status != "completed":
            raise CLIError(
                f"video {video_id} is {video.status}, not completed", hint=f"ss video wait {video_id}"
            )
        for path in _download_all(client, video, out):
            console.write_data(str(path))


@app.command("cancel")
def cancel(ctx: typer.Context, video_id: VideoId, json_flag: JsonOption = False) -> None:
    """Cancel a pending or running render (ffmpeg is stopped at once)."""
    with api(ctx) as client:
        video = client.videos.cancel(video_id)
    if json_flag:
        emit(video, "json")
    else:
        console.success(f"{video_id}: {video.status}")


@app.command("delete")
def delete(
    ctx: typer.Context,
    video_id: VideoId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete a video and its files."""
    confirm_destructive(yes, f"Delete video {video_id} and its files?")
    with api(ctx) as client:
        client.videos.delete(video_id)
    console.success(f"deleted {video_id}")
