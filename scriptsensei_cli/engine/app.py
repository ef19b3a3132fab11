"""The engine's ASGI application: FastAPI for /api/v1, python-socketio for /socket.io/."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from .. import __version__
from .config import EMBEDDED_USER_EMAIL, EngineConfig
from .context import EngineContext
from .errors import RequestIdMiddleware, install_error_handlers
from .realtime import Realtime, event_publisher
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

    jobs = JobRuntime(
        db,
        config.data_dir,
        workers=config.workers,
        queue_url=config.queue_url,
        namespace=config.namespace,
        consume=config.consume,
    )
    return EngineContext(config=config, db=db, writer=BuiltinWriter(), jobs=jobs)


def create_app(context: EngineContext) -> Any:
    """The full ASGI app; `context` is shared by HTTP routes and Socket.IO handlers."""
    from .api import analytics, auth, content, health, media, scripts, trends, videos, voices

    api = FastAPI(
        title="ScriptSensei API",
        version=__version__,
        description="The reference implementation of the ScriptSensei API, served by `ss server start`.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    api.state.engine = context
    install_error_handlers(api)
    # FastAPI builds a route's machinery the first time a request is matched against it, in order;
    # the busiest service goes first so a one-shot embedded command builds little else.
    for router in (
        scripts.router,
        videos.router,
        auth.router,
        voices.router,
        media.router,
        analytics.router,
        trends.router,
        content.router,
        health.router,
    ):
        api.include_router(router, prefix=API_PREFIX)
    api.add_middleware(RequestIdMiddleware)

    realtime = Realtime(api, context)
    # With Redis fan-out, this node's own events go through Redis like every worker's, so a client
    # on any node hears them; otherwise straight to this process's Socket.IO server.
    context.jobs.publisher = event_publisher(context.config) or realtime.publish
    return realtime
