"""Socket.IO on the API's own host and port (`/socket.io/`), authenticated with the API token.

python-socketio (and the HTTP client stack it pulls in) is imported when the first Socket.IO request
arrives, not when the engine starts: a one-shot embedded command that never subscribes to events
should not pay for it. Until someone connects there is no one to tell, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import EngineConfig
from ..errors import EngineError
from .context import EngineContext, authenticate

logger = logging.getLogger("scriptsensei.engine")

if TYPE_CHECKING:
    import socketio

SOCKETIO_PATH = "socket.io"


class Realtime:
    """The engine's ASGI entry: `/socket.io/` goes to python-socketio, everything else to the API."""

    def __init__(self, api: ASGIApp, context: EngineContext) -> None:
        self.api = api
        self.context = context
        self.server: socketio.AsyncServer | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._socketio_app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope["path"].startswith(f"/{SOCKETIO_PATH}/"):
            self.loop = asyncio.get_running_loop()
            await self._socketio()(scope, receive, send)
        else:
            await self.api(scope, receive, send)

    def _socketio(self) -> ASGIApp:
        if self._socketio_app is None:
            import socketio

            config = self.context.config
            manager = (
                socketio.AsyncRedisManager(config.events_url, channel=config.namespace)
                if config.events_url
                else None
            )
            server = socketio.AsyncServer(
                async_mode="asgi",
                client_manager=manager,
                # The origins the configuration names; none: no CORS headers, as before.
                cors_allowed_origins=list(config.cors_origins),
                cors_credentials="*" not in config.cors_origins,
                logger=False,
                engineio_logger=False,
            )
            server.on("connect", self._connect)
            server.on("subscribe_to_job", self._subscribe)
            server.on("unsubscribe_from_job", self._unsubscribe)
            server.on("subscribe_to_bulk", self._subscribe_bulk)
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

    async def _subscribe(self, sid: str, data: Any = None) -> dict[str, Any]:
        """Join a job's room, then get its current state at once: no early event is ever missed.

        The state event and live events may cross; both carry the job's sequence number, so a
        client keeps whichever is newer.
        """
        assert self.server is not None
        job_id = data.get("job_id") if isinstance(data, dict) else None
        session = await self.server.get_session(sid)
        snap = await asyncio.to_thread(self._owned_snapshot, str(job_id or ""), session.get("user_id"))
        if snap is None:
            return {"ok": False, "error": "NOT_FOUND", "message": f"job {job_id!r} not found"}
        await self.server.enter_room(sid, room(snap.id))
        from ..jobs.events import event_for_snapshot

        event, payload = await asyncio.to_thread(event_for_snapshot, snap, self.context.db)
        await self.server.emit(event, payload, to=sid)
        return {"ok": True, "status": snap.status, "seq": snap.seq}

    async def _subscribe_bulk(self, sid: str, data: Any = None) -> dict[str, Any]:
        """Join a batch's room (`bulk_progress` events, one per change of any of its videos)."""
        assert self.server is not None
        bulk_id = str(data.get("job_id") if isinstance(data, dict) else "")
        session = await self.server.get_session(sid)
        from ..services.bulk import bulk_status

        try:
            status = await asyncio.to_thread(
                bulk_status, self.context.db, session.get("user_id") or "", bulk_id
            )
        except EngineError:
            return {"ok": False, "error": "NOT_FOUND", "message": f"bulk job {bulk_id!r} not found"}
        await self.server.enter_room(sid, room(f"bulk:{bulk_id}"))
        return {"ok": True, "status": status.status}

    async def _unsubscribe(self, sid: str, data: Any = None) -> None:
        assert self.server is not None
        job_id = data.get("job_id") if isinstance(data, dict) else None
        await self.server.leave_room(sid, room(str(job_id)))

    def _owned_snapshot(self, job_id: str, user_id: str | None) -> Any:
        from ..jobs.ledger import snapshot

        snap = snapshot(self.context.db, job_id)
        return snap if snap is not None and snap.user_id == user_id else None

    def publish(self, job_id: str, event: str, payload: dict[str, Any]) -> None:
        """Send a job event to its room; callable from any thread. No subscriber yet: no one to tell."""
        server, loop = self.server, self.loop
        if server is None or loop is None:
            return

        def emit() -> None:  # in the loop's own thread: the coroutine exists only if it will run
            loop.create_task(server.emit(event, payload, room=room(job_id)))

        # RuntimeError: the loop closed meanwhile; the engine is stopping and no one listens.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(emit)


def room(job_id: str) -> str:
    return f"job:{job_id}"


class RedisPublisher:
    """Job events from any process (a worker, an API node) to every API node, through Redis: each
    node's Socket.IO server relays them to its clients in the job's room."""

    def __init__(self, url: str, channel: str) -> None:
        import socketio

        self._manager = socketio.RedisManager(url, channel=channel, write_only=True)

    def __call__(self, job_id: str, event: str, payload: dict[str, Any]) -> None:
        try:
            self._manager.emit(event, payload, room=room(job_id), namespace="/")
        except Exception:  # Redis away: clients fall back to polling; the render goes on
            logger.warning("could not publish %s for %s", event, job_id, exc_info=True)


def event_publisher(config: EngineConfig) -> RedisPublisher | None:
    return RedisPublisher(config.events_url, config.namespace) if config.events_url else None
