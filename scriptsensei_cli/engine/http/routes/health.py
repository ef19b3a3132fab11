"""/api/v1/health: is the engine up, which version, how many renders it runs at once. No authentication."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from .... import __version__
from ....contract import Health
from ..context import EngineContext, engine_context

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(context: Annotated[EngineContext, Depends(engine_context)]) -> Health:
    workers = context.jobs.workers if context.config.consume else None
    return Health(status="ok", version=__version__, render_workers=workers)
