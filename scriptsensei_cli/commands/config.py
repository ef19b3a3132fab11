"""`ss config get|set|unset|list|path`: the settings file and where each value comes from."""

from __future__ import annotations

from typing import Annotated

import typer

from ..output import console
from ..output.formatters import Column, cell, emit
from ._shared import JsonOption, OutputOption, output_format, state

app = typer.Typer(
    help="Read and change settings (precedence: flags > SCRIPTSENSEI_* env > profile > defaults).",
    no_args_is_help=True,
)

Key = Annotated[str, typer.Argument(help="Setting name, e.g. api_url (see `ss help config`).")]


@app.command("get")
def get(ctx: typer.Context, key: Key) -> None:
    """Print one setting's value (empty when unset).

    Example: ss config get api_url
    """
    from ..settings import check_key

    console.write_data(cell(str(state(ctx).settings.get(check_key(key)) or "")))


@app.command("set")
def set_(
    ctx: typer.Context,
    key: Key,
    value: Annotated[str, typer.Argument(help="New value; an empty string removes it from the profile.")],
) -> None:
    """Store a setting in the active profile of the config file.

    Example: ss config set api_url http://127.0.0.1:8765
    """
    from ..settings import DEFAULT_PROFILE, set_value

    profile = state(ctx).profile or DEFAULT_PROFILE
    stored = set_value(key, value, profile=profile)
    verb = "removed" if stored is None else f"set to {stored}"
    console.success(f"{key} {verb} in profile {profile}")


@app.command("unset")
def unset(ctx: typer.Context, key: Key) -> None:
    """Remove a setting from the active profile."""
    set_(ctx, key, "")


@app.command("list")
def list_(
    ctx: typer.Context,
    show_source: Annotated[
        bool, typer.Option("--show-source", help="Say where each value comes from.")
    ] = False,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """List every setting with its value (and, with --show-source, its origin).

    Example: ss config list --show-source
    """
    settings = state(ctx).settings
    rows = [
        {"key": key, "value": "" if value.value is None else str(value.value), "source": value.source}
        for key, value in settings.items()
    ]
    columns = [Column("key"), Column("value")] + ([Column("source")] if show_source else [])
    if not show_source:
        rows = [{"key": row["key"], "value": row["value"]} for row in rows]
    emit(rows, output_format(ctx, json_flag, output), columns=columns)


@app.command("path")
def path() -> None:
    """Print the path of the config file."""
    from ..settings import config_path

    console.write_data(str(config_path()))
