"""`ss auth login|status|token|logout|tokens`: credentials for a ScriptSensei server."""

from __future__ import annotations

import os
import sys
import time
from typing import Annotated

import typer

from ..credentials import TOKEN_ENV
from ..output import console
from ..output.errors import CLIError
from ..output.exit_codes import ExitCode
from ..output.formatters import Column, emit, key_values, short_time
from ._shared import JsonOption, OutputOption, api, output_format, state

app = typer.Typer(help="Log in to a server, inspect and manage tokens.", no_args_is_help=True)
tokens_app = typer.Typer(help="Personal API tokens for CI (long-lived, revocable).", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")


@app.command("login")
def login(
    ctx: typer.Context,
    email: Annotated[
        str | None, typer.Option(help="Account email (prompted on a terminal if omitted).")
    ] = None,
    with_token: Annotated[
        bool, typer.Option("--with-token", help="Read an API token from stdin instead of logging in.")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin (for scripts).")
    ] = False,
) -> None:
    """Log in to the configured server and store the credentials (keyring, else a 0600 file).

    Examples:

      ss auth login

      ss auth login --with-token < token.txt

      printf '%s' "$PASSWORD" | ss auth login --email me@example.com --password-stdin
    """
    from ..connection import anonymous, credential_store, require_api_url
    from ..credentials import StoredCredentials

    if os.environ.get(TOKEN_ENV):
        raise CLIError(
            f"{TOKEN_ENV} is set, and it takes precedence over any stored login",
            hint=f"unset {TOKEN_ENV} to log in, or keep using it",
            exit_code=ExitCode.USAGE,
        )
    settings = state(ctx).settings
    api_url = require_api_url(settings)
    store = credential_store()
    if with_token:
        token = sys.stdin.readline().strip()
        if not token:
            raise CLIError("--with-token read nothing from stdin", exit_code=ExitCode.USAGE)
        with anonymous(settings, token=token) as client:
            user = client.auth.me()
        credentials = StoredCredentials(api_url, token, kind="api_token", email=user.email)
    else:
        email, password = _ask_email_password(email, password_stdin)
        with anonymous(settings) as client:
            pair = client.auth.login(email, password)
        user = pair.user
        credentials = StoredCredentials(
            api_url, pair.access_token, pair.refresh_token, kind="session", email=user.email
        )
    where = store.save(credentials)
    console.success(f"logged in to {settings.api_url} as {user.email} (token stored in {where})")


def _ask_email_password(email: str | None, password_stdin: bool) -> tuple[str, str]:
    if password_stdin:
        if not email:
            raise CLIError("--password-stdin needs --email", exit_code=ExitCode.USAGE)
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CLIError("--password-stdin read nothing from stdin", exit_code=ExitCode.USAGE)
        return email, password
    if not console.interactive():
        raise CLIError(
            "no terminal to prompt for a password",
            hint="use --with-token, --email with --password-stdin, or set SCRIPTSENSEI_TOKEN",
            exit_code=ExitCode.USAGE,
        )
    email = email or typer.prompt("Email", err=True)
    password = typer.prompt("Password", hide_input=True, err=True)
    return email, password


@app.command("status")
def status(ctx: typer.Context, json_flag: JsonOption = False, output: OutputOption = None) -> None:
    """Who you are, on which server, where the token came from (masked) and when it expires.

    Example: ss auth status --json
    """
    from ..connection import credential_store
    from ..credentials import jwt_expiry, mask

    settings = state(ctx).settings
    if settings.api_url is None:
        embedded = {
            "api_url": None,
            "mode": "embedded",
            "user": "local",
            "token_source": "per-run (never stored)",
        }
        emit(
            embedded,
            output_format(ctx, json_flag, output),
            human=lambda data: console.show(key_values(data.items())),
        )
        return
    loaded = credential_store().load(settings.api_url)
    if loaded is None:
        raise CLIError(
            f"not logged in to {settings.api_url}", hint="run `ss auth login`", exit_code=ExitCode.AUTH
        )
    with api(ctx) as client:
        user = client.auth.me()
        token = client.http.credentials.access_token or ""
    expires = jwt_expiry(token)
    info: dict[str, object] = {
        "api_url": settings.api_url,
        "mode": "server",
        "user": user.email,
        "user_id": user.id,
        "token_source": loaded.source,
        "token_kind": loaded.credentials.kind,
        "token": mask(token),
        "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires)) if expires else None,
        "renews_automatically": loaded.credentials.refresh_token is not None,
    }
    emit(
        info, output_format(ctx, json_flag, output), human=lambda data: console.show(key_values(data.items()))
    )


@app.command("token")
def token(ctx: typer.Context) -> None:
    """Print the current access token (the only command that ever prints one).

    Example: curl -H "Authorization: Bearer $(ss auth token)" http://127.0.0.1:8765/api/v1/auth/me
    """
    if state(ctx).settings.api_url is None:
        raise CLIError(
            "the embedded engine's credentials exist only while a command runs; there is no token to print",
            exit_code=ExitCode.USAGE,
        )
    with api(ctx) as client:
        client.auth.me()  # refreshes an expired session token first
        console.write_data(client.http.credentials.access_token or "")


@app.command("logout")
def logout(ctx: typer.Context) -> None:
    """Revoke the session on the server and forget the stored token."""
    from ..client import ScriptSenseiError
    from ..connection import credential_store

    settings = state(ctx).settings
    if settings.api_url is None:
        console.info("No api_url configured: the embedded engine has no login to end.")
        return
    store = credential_store()
    loaded = store.load(settings.api_url)
    if loaded is not None and loaded.credentials.kind == "session":
        try:
            with api(ctx) as client:
                client.auth.logout(loaded.credentials.refresh_token)
        except ScriptSenseiError as exc:
            console.warn(
                f"could not revoke the session on the server ({exc.message}); forgetting it here anyway"
            )
    removed = store.delete(settings.api_url)
    if os.environ.get(TOKEN_ENV):
        console.warn(f"{TOKEN_ENV} is still set in your environment")
    console.success("logged out" if removed else f"no stored login for {settings.api_url}")


TOKEN_COLUMNS = [
    Column("id", fixed=True),
    Column("name"),
    Column("prefix", fixed=True),
    Column("created_at", "CREATED (UTC)", fixed=True, human=short_time),
    Column("expires_at", "EXPIRES (UTC)", fixed=True, human=short_time),
    Column("last_used_at", "LAST USED (UTC)", fixed=True, human=short_time),
]


@tokens_app.command("create")
def tokens_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. 'github-actions'.")],
    expires_in_days: Annotated[int | None, typer.Option(min=1, max=3650, help="Lifetime in days.")] = None,
    json_flag: JsonOption = False,
) -> None:
    """Create a personal API token; it is printed once, on stdout.

    Example: ss auth tokens create ci --expires-in-days 90 > token.txt
    """
    with api(ctx) as client:
        created = client.auth.create_token(name, expires_in_days)
    if json_flag:
        emit(created, "json")
    else:
        console.write_data(created.token)
        console.info(f"Created token {created.id} ({created.name}). It will not be shown again.")


@tokens_app.command("list")
def tokens_list(ctx: typer.Context, json_flag: JsonOption = False, output: OutputOption = None) -> None:
    """List your personal API tokens (never the secrets)."""
    with api(ctx) as client:
        page = client.auth.list_tokens(limit=100)
    emit(page.tokens, output_format(ctx, json_flag, output), columns=TOKEN_COLUMNS)


@tokens_app.command("revoke")
def tokens_revoke(
    ctx: typer.Context, token_id: Annotated[str, typer.Argument(help="Token id (tok_…).")]
) -> None:
    """Revoke a personal API token."""
    with api(ctx) as client:
        client.auth.revoke_token(token_id)
    console.success(f"revoked {token_id}")
