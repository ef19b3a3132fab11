"""Which server a command talks to, and as whom: the configured one, or the embedded engine.

There is one code path: with no `api_url`, the engine is started on loopback and used through the
same HTTP client as any remote server (DESIGN.md §1).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from typing import TYPE_CHECKING

from .credentials import CredentialStore, StoredCredentials
from .output.errors import CLIError
from .output.exit_codes import ExitCode
from .settings import Settings, config_dir

if TYPE_CHECKING:
    from .client import ScriptSensei

ENGINE_MISSING_HINT = "install it with `pip install 'scriptsensei-cli[engine]'`, or point api_url at a server"


def credential_store() -> CredentialStore:
    from .output import console

    return CredentialStore(config_dir(), warn=console.warn)


ENGINE_MODULES = ("fastapi", "uvicorn", "sqlalchemy", "huey", "piper", "imageio_ffmpeg", "fontTools")


def engine_available() -> bool:
    """Every part of the [engine] extra is importable (a partial install fails here, not mid-command)."""
    return all(find_spec(name) is not None for name in ENGINE_MODULES)


@contextmanager
def connect(
    settings: Settings,
    store: CredentialStore | None = None,
    *,
    workers: int | None = None,
    batch: bool = False,
) -> Iterator[ScriptSensei]:
    """A ready client for the command's server; the embedded engine lives as long as the block.

    `workers` sizes the embedded engine's render workers, `batch` says many videos follow (a remote
    server sizes its own, and says how in `health().render_workers`).
    """
    from .client import LoginRequiredError, ScriptSensei, Timeouts

    timeouts = Timeouts(connect=settings.connect_timeout, read=settings.read_timeout)
    if settings.api_url is None:
        if not engine_available():
            raise CLIError(
                "no api_url is configured and the embedded engine is not installed", hint=ENGINE_MISSING_HINT
            )
        from .engine.server import EngineServer

        server = EngineServer.embedded(settings.data_dir, workers=workers, batch=batch).start()
        try:
            with ScriptSensei(
                server.url, token=server.token, timeouts=timeouts, max_retries=settings.max_retries
            ) as api:
                yield api
        finally:
            server.stop(wait=False)
        return

    store = store or credential_store()
    loaded = store.load(settings.api_url)
    if loaded is None:
        raise LoginRequiredError(f"not logged in to {settings.api_url}", api_url=settings.api_url)
    stored = loaded.credentials

    def remember(access_token: str, refresh_token: str | None) -> None:
        if stored.kind == "session":
            store.save(
                StoredCredentials(stored.api_url, access_token, refresh_token, "session", stored.email)
            )

    with ScriptSensei(
        settings.api_url,
        token=stored.access_token,
        refresh_token=stored.refresh_token,
        on_tokens_changed=remember,
        timeouts=timeouts,
        max_retries=settings.max_retries,
    ) as api:
        yield api


def require_api_url(settings: Settings) -> str:
    if settings.api_url is None:
        raise CLIError(
            "no api_url is configured: commands use the embedded engine, which needs no login",
            hint="to use a server: `ss config set api_url http://HOST:PORT`",
            exit_code=ExitCode.USAGE,
        )
    return settings.api_url


@contextmanager
def anonymous(settings: Settings, token: str | None = None) -> Iterator[ScriptSensei]:
    """A client without stored credentials (for login and health checks), or with `token` only."""
    from .client import ScriptSensei, Timeouts

    api_url = require_api_url(settings)
    timeouts = Timeouts(connect=settings.connect_timeout, read=settings.read_timeout)
    with ScriptSensei(api_url, token=token, timeouts=timeouts, max_retries=settings.max_retries) as api:
        yield api
