"""`ss server start|status`: run the engine for a team or for background batches."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..output import console
from ..output.errors import CLIError
from ..output.exit_codes import ExitCode
from ..output.formatters import emit
from ._shared import JsonOption, OutputOption, output_format, state

app = typer.Typer(help="Run the ScriptSensei engine as a server.", no_args_is_help=True)

DEFAULT_PORT = 8765


@app.command("start")
def start(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Interface to bind. Loopback unless --allow-remote.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = DEFAULT_PORT,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Where the database and outputs live.", file_okay=False)
    ] = None,
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="Permit binding a non-loopback address (put TLS in front).")
    ] = False,
    open_signup: Annotated[
        bool,
        typer.Option(
            "--open-signup",
            help="Let anyone who can reach the server create an account (else: `ss users add`).",
        ),
    ] = False,
    workers: Annotated[
        bool,
        typer.Option(
            "--workers/--no-workers",
            help="Render here too (default), or run an API node that only queues (for `ss worker`s).",
        ),
    ] = True,
) -> None:
    """Start the engine in the foreground (Ctrl-C stops it).

    The first start creates the first (admin) user: prompted on a terminal, or from
    SCRIPTSENSEI_ADMIN_EMAIL and SCRIPTSENSEI_ADMIN_PASSWORD.

    Example: ss server start --port 8765
    """
    from ..connection import ENGINE_MISSING_HINT, engine_available

    if not engine_available():
        raise CLIError("the engine is not installed", hint=ENGINE_MISSING_HINT)
    from ..engine.server import is_loopback

    if not is_loopback(host) and not allow_remote:
        raise CLIError(
            f"refusing to bind {host}: it is reachable from other machines",
            hint="pass --allow-remote if that is what you want (and put TLS in front of it)",
            exit_code=ExitCode.USAGE,
        )
    from ..engine.config import EngineConfig
    from ..engine.server import serve_forever
    from ..engine.services.users import UserError, ensure_first_user

    config = EngineConfig.from_env(data_dir or state(ctx).settings.data_dir, consume=workers)
    if open_signup:
        config.signup_open = True
    if not workers and config.queue_url is None:
        console.warn("--no-workers without SCRIPTSENSEI_QUEUE_URL: jobs wait for an `ss worker` on this host")
    from ..engine.store.objects import StorageError, open_storage

    try:
        open_storage(config).check()  # a wrong bucket or endpoint stops here, not at the first render
    except StorageError as exc:
        raise CLIError(exc.message, exit_code=ExitCode.USAGE) from exc
    try:
        created = ensure_first_user(config, prompt=_prompt_first_user)
    except UserError as exc:
        raise CLIError(f"cannot create the first user: {exc}", exit_code=ExitCode.USAGE) from exc
    if created:
        console.success(f"created the first user {created} (admin)")
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    console.info(f"ScriptSensei engine on {url}  (data: {config.data_dir})")
    console.info(f"Use it from another shell: ss config set api_url {url} && ss auth login")
    serve_forever(config, host, port)


@app.command("migrate")
def migrate(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Where the database lives (SQLite).", file_okay=False)
    ] = None,
) -> None:
    """Bring the database schema up to date (API nodes also do it when they start).

    Example: SCRIPTSENSEI_DATABASE_URL=postgresql+psycopg://ss@db/ss ss server migrate
    """
    from ..engine.config import EngineConfig
    from ..engine.store.db import HEAD_REVISION, Database

    config = EngineConfig.from_env(data_dir or state(ctx).settings.data_dir)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(config.resolved_database_url)
    try:
        before = db.migrate()
    finally:
        db.dispose()
    if before == HEAD_REVISION:
        console.info(f"the schema is already at {HEAD_REVISION}")
    else:
        console.success(f"migrated the schema from {before or 'nothing'} to {HEAD_REVISION}")


def _prompt_first_user() -> tuple[str, str]:
    if not console.interactive():
        raise CLIError(
            "this server has no users yet and there is no terminal to ask for the first one",
            hint="set SCRIPTSENSEI_ADMIN_EMAIL and SCRIPTSENSEI_ADMIN_PASSWORD for the first start",
            exit_code=ExitCode.USAGE,
        )
    console.info("No users yet: create the first (admin) account.")
    email = typer.prompt("Email", err=True)
    password = typer.prompt("Password (8+ characters)", hide_input=True, confirmation_prompt=True, err=True)
    return email, password


@app.command("status")
def status(ctx: typer.Context, json_flag: JsonOption = False, output: OutputOption = None) -> None:
    """Check the configured server: reachable, which version.

    Example: ss server status --json
    """
    from ..connection import anonymous

    settings = state(ctx).settings
    if settings.api_url is None:
        console.info("No api_url configured: each command starts the embedded engine on loopback.")
        return
    with anonymous(settings) as client:
        health = client.health()
    emit({"api_url": settings.api_url, **health.model_dump()}, output_format(ctx, json_flag, output))
