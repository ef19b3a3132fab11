"""/api/v1/health: is the engine up, which version. No authentication, no data."""

from __future__ import annotations

from fastapi import APIRouter

from .... import __version__
from ....contract import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health() -> Health:
    return Health(status="ok", version=__version__)
