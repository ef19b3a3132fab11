"""The error body every non-2xx response carries (seed, "Error Response Format")."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorCode:
    """Machine-readable values of `ErrorBody.error`."""

    VALIDATION_ERROR = "VALIDATION_ERROR"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    CONFLICT = "CONFLICT"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    UPSTREAM_ERROR = "UPSTREAM_ERROR"  # a third-party service failed after the engine's own retries


class ErrorBody(BaseModel):
    error: str
    message: str
    details: dict[str, Any] | None = None
    field: str | None = None
    request_id: str | None = None
