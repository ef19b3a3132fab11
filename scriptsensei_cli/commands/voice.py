"""`ss voice list|get`: the voices the server can render (offline neural voices and their variants)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..output.formatters import Column, emit
from ._shared import JsonOption, OutputOption, api, output_format

app = typer.Typer(help="Voices for narration: list them, show one.", no_args_is_help=True)

VOICE_COLUMNS = [
    Column("id", fixed=True),
    Column("name"),
    Column("language", fixed=True),
    Column("gender", fixed=True),
    Column("style"),
    Column("quality", fixed=True),
    Column("provider", fixed=True),
]


@app.command("list")
def list_(
    ctx: typer.Context,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Only voices for this language.")
    ] = None,
    gender: Annotated[str | None, typer.Option(help="Only this gender.")] = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """List voices; use an id with `--voice` in ss video and ss bulk.

    Example: ss voice list --language en
    """
    with api(ctx) as client:
        result = client.voices.list(language=language, gender=gender)
    emit(result.voices, output_format(ctx, json_flag, output), columns=VOICE_COLUMNS)


@app.command("get")
def get(
    ctx: typer.Context,
    voice_id: Annotated[str, typer.Argument(help="Voice id, e.g. en-us-joe.", metavar="ID")],
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Show one voice."""
    with api(ctx) as client:
        voice = client.voices.get(voice_id)
    emit(voice, output_format(ctx, json_flag, output), columns=VOICE_COLUMNS)
