"""Socket.IO on the API's own host and port (`/socket.io/`), authenticated with the API token.

python-socketio (and the HTTP client stack it pulls in) is imported when the first Socket.IO request
arrives, not when the engine starts: a one-shot embedded command that never subscribes to events
should not pay for it. Until someone connects there is no one to tell, so nothing is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Receive, Scope, Send

from .context import EngineContext, authenticate

if TYPE_CHECKING:
    import socketio

SOCKETIO_PATH = "socket.io"


class Realtime:
    """The engine's ASGI entry: `/socket.io/` goes to python-socketio, everything else to the API."""

    def __init__(self, api: ASGIApp, context: EngineContext) -> None:
        self.api = api
        self.context = context
        self.server: socketio.AsyncServer | None = None
        self._socketio_app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope["path"].startswith(f"/{SOCKETIO_PATH}/"):
            await self._socketio()(scope, receive, send)
        else:
            await self.api(scope, receive, send)

    def _socketio(self) -> ASGIApp:
        if self._socketio_app is None:
            import socketio

            server = socketio.AsyncServer(
                async_mode="asgi", cors_allowed_origins=[], logger=False, engineio_logger=False
            )
            server.on("connect", self._connect)
            self.server = server
            self._socketio_app = socketio.ASGIApp(server, socketio_path=SOCKETIO_PATH)
        return self._socketio_app

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not token:
            header = str(environ.get("HTTP_AUTHORIZATION", ""))
            token = header[7:] if header.lower().startswith("bearer ") else None
        if not token or self.server is None:
            return False
        with self.context.db.session() as session:
            user = authenticate(session, self.context.config, str(token))
            if user is None:
                return False
            user_id = user.id
        await self.server.save_session(sid, {"user_id": user_id})
        return True
