"""The engine's ASGI application: FastAPI for /api/v1, python-socketio for /socket.io/."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import select

from .. import __version__
from .config import EMBEDDED_USER_EMAIL, EngineConfig
from .http.context import EngineContext
from .http.errors import RequestIdMiddleware, install_error_handlers
from .http.realtime import Realtime, event_publisher
from .http.routing import install_method_routing, install_openapi
from .store.db import Database
from .store.models import User
from .writer import BuiltinWriter

API_PREFIX = "/api/v1"


def bootstrap(config: EngineConfig) -> EngineContext:
    """Open and migrate the database; in embedded mode make sure the local user exists."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(config.resolved_database_url)
    db.migrate()
    if config.embedded_token:
        with db.session() as session:
            if session.scalar(select(User.id).where(User.email == EMBEDDED_USER_EMAIL)) is None:
                session.add(
                    User(email=EMBEDDED_USER_EMAIL, name="Local user", password_hash=None, is_admin=True)
                )
    from .jobs.runtime import JobRuntime
    from .services.video_scripts import VideoScripts
    from .store.objects import open_storage

    writer = BuiltinWriter()
    jobs = JobRuntime.for_config(db, config, open_storage(config), consume=config.consume)
    jobs.script_stage = VideoScripts(db, config.data_dir, writer)
    return EngineContext(config=config, db=db, writer=writer, jobs=jobs)


# Services a one-shot command seldom touches: their modules (and what they import: the analytics
# importers, the document parsers) load on their first request, or for the OpenAPI document.
LAZY_SERVICES = {
    "/media": "media",
    "/analytics": "analytics",
    "/trends": "trends",
    "/content": "content",
    "/users": "users",
}
DOCUMENTATION = ("/openapi.json", "/docs")
# Where tools look first: the same document as /api/v1/openapi.json.
ROOT_OPENAPI = "/openapi.json"


class LazyServices:
    """The API with some routers added on first use; about a third of a second off every start."""

    def __init__(self, api: FastAPI) -> None:
        self.api = api
        self.loaded: set[str] = set()
        self._lock = threading.Lock()

    def load(self, names: list[str]) -> None:
        import importlib

        with self._lock:
            for name in names:
                if name not in self.loaded:
                    module = importlib.import_module(f"{__package__}.http.routes.{name}")
                    self.api.include_router(module.router, prefix=API_PREFIX)
                    self.loaded.add(name)
                    self.api.openapi_schema = None  # the document now has more to say

    def wanted(self, path: str) -> list[str]:
        if path == ROOT_OPENAPI:
            return list(LAZY_SERVICES.values())
        if not path.startswith(API_PREFIX):
            return []
        rest = path[len(API_PREFIX) :]
        if rest in DOCUMENTATION:
            return list(LAZY_SERVICES.values())
        return [
            name for prefix, name in LAZY_SERVICES.items() if rest == prefix or rest.startswith(prefix + "/")
        ]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            names = [name for name in self.wanted(scope["path"]) if name not in self.loaded]
            if names:
                self.load(names)
        await self.api(scope, receive, send)


def create_app(context: EngineContext) -> Any:
    """The full ASGI app; `context` is shared by HTTP routes and Socket.IO handlers."""
    from .http.routes import auth, health, scripts, videos, voices

    api = FastAPI(
        title="ScriptSensei API",
        version=__version__,
        description="The reference implementation of the ScriptSensei API, served by `ss server start`.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    api.state.engine = context
    install_method_routing(api)  # 405 with the path's whole `Allow` (http/routing.py)
    install_error_handlers(api)
    install_openapi(api)
    # FastAPI builds a route's machinery the first time a request is matched against it, in order;
    # the busiest service goes first so a one-shot embedded command builds little else.
    routers = (scripts.router, videos.router, auth.router, voices.router, health.router, videos.fonts_router)
    for router in routers:
        api.include_router(router, prefix=API_PREFIX)
    api.add_api_route(ROOT_OPENAPI, lambda: JSONResponse(api.openapi()), include_in_schema=False)
    api.add_middleware(RequestIdMiddleware)
    if context.config.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        origins = list(context.config.cors_origins)
        api.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            # Browsers refuse credentials with a wildcard origin; with named origins each one is echoed.
            allow_credentials="*" not in origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID", "Range"],
            expose_headers=["X-Request-ID", "Retry-After", "Content-Disposition", "Content-Range"],
            max_age=600,
        )

    realtime = Realtime(LazyServices(api), context)
    # With Redis fan-out, this node's own events go through Redis like every worker's, so a client
    # on any node hears them; otherwise straight to this process's Socket.IO server.
    context.jobs.publisher = event_publisher(context.config) or realtime.publish
    return realtime
