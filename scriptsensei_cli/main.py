"""`ss`: the root command, global options, and the boundary where errors become exit codes."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__
from .commands._shared import AppState
from .output.errors import report

# Subcommands load when they run: building every command's options costs ~100 ms that `ss --help`
# and `ss script …` should not pay. (name: module, attribute, one-line help for `ss --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "bulk": ("bulk", "bulk", "Render one finished video per row of a CSV, TSV, JSON Lines or .xlsx file."),
    "video": ("video", "app", "Render videos: voiceover, captions, scenes, thumbnail; follow and download."),
    "script": ("script", "app", "Write, list, edit and delete scripts."),
    "voice": ("voice", "app", "Voices: list, preview, match your own from a sample, delete."),
    "media": ("media", "app", "Your media library: upload, list, delete; stock search; generated images."),
    "trends": ("trends", "app", "Trending topics: list, search, forecast; import observations."),
    "analytics": (
        "analytics",
        "app",
        "Your numbers: import platform exports, overview with charts, export CSV.",
    ),
    "auth": ("auth", "app", "Log in to a server, inspect and manage tokens."),
    "users": ("users", "app", "Manage a server's accounts (admins): add, list, disable, reset passwords."),
    "config": (
        "config",
        "app",
        "Read and change settings (flags > SCRIPTSENSEI_* env > profile > defaults).",
    ),
    "server": ("server", "app", "Run the ScriptSensei engine as a server; migrate its database."),
    "worker": ("worker", "worker", "Render jobs from a shared queue (scale-out: many workers, many hosts)."),
    "help": (
        "help_topics",
        "show",
        "Reference topics: exit codes, config, auth, output, formats, LLMs, scores.",
    ),
}


def load_command(name: str) -> Any:
    """The Click command for `name`, built from its module on first use."""
    import importlib

    import typer.main

    module_name, attribute, _ = COMMANDS[name]
    target = getattr(importlib.import_module(f"scriptsensei_cli.commands.{module_name}"), attribute)
    if not isinstance(target, typer.Typer):
        holder = typer.Typer()
        holder.command(name)(target)
        target = holder
    command = typer.main.get_command(target)
    command.name = name
    return command


class BoundaryGroup(TyperGroup):
    """The root group: loads subcommands lazily, and maps every exception a command raises to a
    message on stderr and a documented exit code."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in COMMANDS.items()])

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if type(exc).__module__.startswith("typer"):  # usage errors: Typer prints them, exits 2
                raise
            _log_traceback()
            raise typer.Exit(report(exc)) from None


def _log_traceback() -> None:
    import logging

    logger = logging.getLogger("scriptsensei")
    if logger.isEnabledFor(logging.DEBUG):
        logger.exception("traceback (shown because of --debug)")


app = typer.Typer(
    name="ss",
    cls=BoundaryGroup,
    help=(
        "ScriptSensei: batch short-video production from the command line.\n\n"
        "With no server configured, commands start the embedded engine on loopback: no account, "
        "no key, no network needed."
    ),
    epilog=(
        "Examples:\n\n"
        "  ss bulk samples/videos.csv\n\n"
        '  ss script generate "AI in healthcare" --platform youtube --duration 60\n\n'
        "  ss script list -o csv > scripts.csv\n\n"
        "  ss help exit-codes"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"scriptsensei-cli {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    profile: Annotated[
        str | None, typer.Option("--profile", envvar="SCRIPTSENSEI_PROFILE", help="Config profile to use.")
    ] = None,
    api_url: Annotated[
        str | None,
        typer.Option(
            "--api-url",
            help="Server URL for this command (overrides config and environment).",
            show_envvar=False,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Log HTTP traffic to stderr (tokens redacted).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    ctx.obj = AppState(profile=profile, flags={"api_url": api_url})
    if debug:
        from .output.console import enable_debug_log

        enable_debug_log()


def run() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="ss" if sys.argv[0].endswith("ss") else "scriptsensei")
    except SystemExit as done:
        _exit(done.code)


def _exit(code: str | int | None) -> None:
    """Exit; after an embedded engine ran, skip the interpreter's module teardown.

    Tearing down the engine's stack (FastAPI, SQLAlchemy, pydantic: ~1,500 modules) takes about
    0.3 s, a fifth of a one-shot command. atexit handlers still run and the streams are flushed;
    the database is consistent already (every request has committed, and SQLite's WAL is durable).
    """
    if "scriptsensei_cli.engine.server" not in sys.modules:
        sys.exit(code)
    import atexit
    import os

    status = code if isinstance(code, int) else (0 if code is None else 1)
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            status = status or 1
    os._exit(status)
