"""`ss media`: your media library (upload, list, show, download, delete), stock search, generated images."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..output import console
from ..output.formatters import Column, emit
from ._shared import JsonOption, OutputOption, api, confirm_destructive, output_format

if TYPE_CHECKING:
    from ..client import ScriptSensei
    from ..contract import MediaItem
    from ..output.progress import TransferProgress

app = typer.Typer(
    help="Your media library: upload, list, delete; search stock media; generate images.",
    no_args_is_help=True,
)

MEDIA_COLUMNS = [
    Column("id", fixed=True),
    Column("type", fixed=True),
    Column("source", fixed=True),
    Column("name"),
    Column("width", fixed=True),
    Column("height", fixed=True),
    Column("duration", fixed=True),
    Column("size_bytes", fixed=True),
]
STOCK_COLUMNS = [
    Column("id", fixed=True),
    Column("type", fixed=True),
    Column("title"),
    Column("width", fixed=True),
    Column("height", fixed=True),
    Column("author"),
    Column("licence"),
]
MediaId = Annotated[str, typer.Argument(help="Media id (med_…), from `ss media list`.", metavar="ID")]
UPLOAD_CONCURRENCY = 3


@app.command("upload")
def upload(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Images or video clips.", metavar="FILE…")],
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Upload images and video clips (several at once, a progress bar each).

    The server checks each file's content, not its name. Use the ids anywhere a media path goes:
    `ss video generate --media med_…`, or the `media` column of a bulk sheet.

    Examples:
      ss media upload intro.mp4 beach.jpg
      ss media upload shots/*.jpg --json | jq -r '.[].id'
    """
    from concurrent.futures import ThreadPoolExecutor

    from ..output.errors import CLIError, about, explain
    from ..output.exit_codes import ExitCode
    from ..output.progress import TransferProgress

    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise CLIError(
            f"no such file: {', '.join(missing)}", hint="nothing was uploaded", exit_code=ExitCode.USAGE
        )
    uploaded: list[MediaItem] = []
    failures: list[tuple[Path, BaseException]] = []
    with api(ctx) as client, TransferProgress() as bars:
        workers = min(UPLOAD_CONCURRENCY, len(files))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [(path, pool.submit(_upload_one, client, path, bars)) for path in files]
            for path, future in futures:
                try:
                    uploaded.append(future.result())
                except Exception as exc:
                    failures.append((path, exc))
    if len(files) == 1 and failures:
        raise failures[0][1]
    for path, failure in failures:
        message, _hint, _code = explain(failure)
        console.error(about(str(path), message, also=path.name))
    emit(uploaded, output_format(ctx, json_flag, output), columns=MEDIA_COLUMNS)
    if failures:
        raise typer.Exit(ExitCode.PARTIAL_FAILURE)


def _upload_one(client: ScriptSensei, path: Path, bars: TransferProgress) -> MediaItem:
    task = bars.add(path.name, path.stat().st_size)
    return client.media.upload(path, on_progress=lambda sent, _total: bars.update(task, sent))


@app.command("list")
def list_(
    ctx: typer.Context,
    type_: Annotated[str | None, typer.Option("--type", help="image or video.")] = None,
    source: Annotated[str | None, typer.Option(help="upload, generated or stock.")] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 20,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """List your media, newest first.

    Example: ss media list --type video
    """
    with api(ctx) as client:
        result = client.media.list(type=type_, source=source, page=page, limit=limit)
    emit(result.media, output_format(ctx, json_flag, output), columns=MEDIA_COLUMNS)


@app.command("get")
def get(
    ctx: typer.Context, media_id: MediaId, json_flag: JsonOption = False, output: OutputOption = None
) -> None:
    """Show one item."""
    with api(ctx) as client:
        item = client.media.get(media_id)
    emit(item, output_format(ctx, json_flag, output), columns=MEDIA_COLUMNS)


@app.command("download")
def download(
    ctx: typer.Context,
    media_id: MediaId,
    out: Annotated[Path, typer.Option("--out", help="Directory to write into.")] = Path("."),
    thumbnail: Annotated[bool, typer.Option(help="The 320-pixel thumbnail instead of the file.")] = False,
) -> None:
    """Download an item's file (or its thumbnail)."""
    with api(ctx) as client:
        item = client.media.get(media_id)
        name = f"{item.id}.thumb.jpg" if thumbnail else f"{item.id}{Path(item.name).suffix.lower()}"
        path = client.media.download(media_id, out / name, thumbnail=thumbnail)
    console.write_data(str(path))


@app.command("delete")
def delete(
    ctx: typer.Context,
    media_ids: Annotated[list[str], typer.Argument(help="Media ids.", metavar="ID…")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete items and their files. Refused while a queued or rendering video uses one."""
    confirm_destructive(yes, f"Delete {len(media_ids)} item(s)?")
    with api(ctx) as client:
        for media_id in media_ids:
            client.media.delete(media_id)
            console.success(f"deleted {media_id}")


@app.command("stock")
def stock(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for, e.g. 'city night'.")],
    type_: Annotated[str | None, typer.Option("--type", help="image or video.")] = None,
    orientation: Annotated[str | None, typer.Option(help="portrait, landscape or square.")] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 20,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Search stock media: your library folders, Pexels and Pixabay when keys are set, Openverse and
    Wikimedia Commons (no key; SCRIPTSENSEI_ONLINE_MEDIA=off turns online sources off).

    Import a result into your library with `ss media import ID`.

    Examples:
      ss media stock "beach sunset" --orientation portrait
      ss media stock "" --type video        # everything in your folders
    """
    with api(ctx) as client:
        result = client.media.stock(query, type=type_, orientation=orientation, page=page, limit=limit)
    for warning in result.warnings:
        console.warn(warning)
    emit(result.items, output_format(ctx, json_flag, output), columns=STOCK_COLUMNS)


@app.command("import")
def import_(
    ctx: typer.Context,
    item_ids: Annotated[list[str], typer.Argument(help="Result ids from `ss media stock`.", metavar="ID…")],
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Copy stock results into your library (with author and licence); prints the new media ids.

    Example: ss media import local:3f2a9c… pexels:2014422
    """
    with api(ctx) as client:
        items = [client.media.import_stock(item_id) for item_id in item_ids]
    emit(items, output_format(ctx, json_flag, output), columns=MEDIA_COLUMNS)


@app.command("ai")
def ai(
    ctx: typer.Context,
    prompt: Annotated[str, typer.Argument(help="What the image is about; it seeds colours and layout.")],
    style: Annotated[str, typer.Option(help="gradient, bokeh, geometric or paper.")] = "gradient",
    size: Annotated[str, typer.Option(help="WIDTHxHEIGHT.")] = "1080x1920",
    provider: Annotated[
        str | None, typer.Option(help="An image-generation provider configured on the server.")
    ] = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Generate a background image into your library.

    Built in: procedural backgrounds, the same prompt and style always giving the same image.

    Example: ss media ai "ocean sunset" --style bokeh --size 1080x1920
    """
    from ..contract import GenerateMediaRequest
    from ..output.errors import CLIError
    from ..output.exit_codes import ExitCode

    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        raise CLIError(f"--size: expected WIDTHxHEIGHT, got {size!r}", exit_code=ExitCode.USAGE) from None
    request = GenerateMediaRequest(prompt=prompt, style=style, width=width, height=height, provider=provider)
    with api(ctx) as client:
        item = client.media.generate(request)
    emit(item, output_format(ctx, json_flag, output), columns=MEDIA_COLUMNS)
