"""What every command shares: global state, output options, the way to reach the API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..output.formatters import FORMATS, resolve_format

if TYPE_CHECKING:
    from ..client import ScriptSensei
    from ..settings import Settings


@dataclass
class AppState:
    """Global flags from the root callback; settings are resolved once, on first use."""

    profile: str | None = None
    flags: dict[str, Any] = field(default_factory=dict)
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from ..settings import load_settings

            self._settings = load_settings(self.flags, profile=self.profile)
        return self._settings


def state(ctx: typer.Context) -> AppState:
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState()
    return root.obj


@contextmanager
def api(ctx: typer.Context, *, workers: int | None = None, batch: bool = False) -> Iterator[ScriptSensei]:
    from ..connection import connect

    with connect(state(ctx).settings, workers=workers, batch=batch) as client:
        yield client


def confirm_destructive(yes: bool, question: str) -> None:
    """Ask on a terminal; elsewhere refuse unless --yes was given (exit 2)."""
    from ..output import console
    from ..output.errors import CLIError
    from ..output.exit_codes import ExitCode

    if yes:
        return
    if not console.interactive():
        raise CLIError("refusing to delete without confirmation", hint="pass --yes", exit_code=ExitCode.USAGE)
    typer.confirm(question, abort=True, err=True)


def _check_format(value: str | None) -> str | None:
    if value is not None and value not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}")
    return value


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (same as -o json).")]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="table, json, ndjson, csv or tsv. Default: table on a terminal, tsv when piped.",
        callback=_check_format,
        metavar="FORMAT",
    ),
]


def output_format(ctx: typer.Context, json_flag: bool, output: str | None) -> str:
    return resolve_format(json_flag, output, state(ctx).settings.output)
