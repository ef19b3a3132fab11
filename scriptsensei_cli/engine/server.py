"""Serving the engine: in the foreground for `ss server start`, or in a background thread (embedded)."""

from __future__ import annotations

import ipaddress
import logging
import secrets
import socket
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .config import EngineConfig

if TYPE_CHECKING:
    from .http.context import EngineContext

START_TIMEOUT = 20.0


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class EngineServer:
    """The engine served by uvicorn on a background thread: the embedded mode of DESIGN.md §1.

    with EngineServer.embedded(data_dir) as server:
        api = ScriptSensei(server.url, token=server.token)
    """

    def __init__(self, config: EngineConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config
        self.host = host
        self._socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.port = self._socket.getsockname()[1]
        self._thread: threading.Thread | None = None
        self._server: object | None = None
        self._context: EngineContext | None = None

    @classmethod
    def embedded(cls, data_dir: Path, *, batch: bool = False, **overrides: object) -> EngineServer:
        """Loopback, a free port, and a per-launch secret that acts as the local user.

        `batch`: many videos follow, so at least two render at once (one video's narration and
        scenes are prepared while another encodes), unless `workers` says how many.
        """
        if batch and overrides.get("workers") is None:
            from .jobs.runtime import default_workers

            overrides["workers"] = max(2, default_workers())
        config = EngineConfig.from_env(
            data_dir, embedded_token=secrets.token_urlsafe(32), allow_local_paths=True, **overrides
        )
        return cls(config)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def token(self) -> str | None:
        return self.config.embedded_token

    def start(self) -> EngineServer:
        import uvicorn

        from .app import bootstrap, create_app

        context = self._context = bootstrap(self.config)
        app = create_app(context)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
        self._server = server
        failure: list[BaseException] = []

        def run() -> None:
            try:
                server.run(sockets=[self._socket])
            except BaseException as exc:  # surfaced to the starting thread below
                failure.append(exc)

        self._thread = threading.Thread(target=run, name="scriptsensei-engine", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if failure or not self._thread.is_alive() or time.monotonic() > deadline:
                reason = failure[0] if failure else "it did not come up in time"
                raise RuntimeError(f"the embedded engine failed to start: {reason}")
            time.sleep(0.005)
        return self

    def stop(self, *, wait: bool = True) -> None:
        """Stop serving. `wait=False` suits a process about to exit: uvicorn's graceful shutdown
        (up to one 100 ms tick) is skipped, as every response has already been read."""
        server = self._server
        if server is not None and self._thread is not None:
            server.should_exit = True  # type: ignore[attr-defined]
            if wait:
                self._thread.join(START_TIMEOUT)
        self._socket.close()
        if self._context is not None:
            self._context.jobs.stop()
            if wait:
                self._context.db.dispose()

    def __enter__(self) -> EngineServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve_forever(config: EngineConfig, host: str, port: int) -> None:
    """Run the engine in the foreground until SIGINT/SIGTERM (uvicorn handles the signals)."""
    import uvicorn

    from .app import bootstrap, create_app

    context = bootstrap(config)
    app = create_app(context)
    context.jobs.start()
    logging.getLogger("uvicorn.error").setLevel(logging.INFO)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", lifespan="off")
    finally:
        context.jobs.stop()
