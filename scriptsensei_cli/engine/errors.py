"""What the engine's services raise when a request cannot be served: domain errors, not HTTP.

    EngineError                 code, message, field, details (the seed's error body, without a status)
     ├── Invalid                VALIDATION_ERROR: the request names something wrong (`field` says what)
     ├── Unauthenticated        UNAUTHENTICATED: no valid credentials
     ├── Forbidden              FORBIDDEN: valid credentials, not allowed
     ├── NotFound               NOT_FOUND: no such resource for this owner
     ├── Conflict               CONFLICT: the resource's state does not allow it now
     ├── TooLarge               PAYLOAD_TOO_LARGE
     ├── Unsupported            UNSUPPORTED_MEDIA_TYPE: a file of a kind the service does not take
     ├── RateLimited            RATE_LIMITED: try again after `retry_after` seconds
     ├── UpstreamFailed         UPSTREAM_ERROR: a third-party service failed or refused
     ├── Unavailable            SERVICE_UNAVAILABLE: a part of this server is not set up or is down
     └── Internal               INTERNAL_ERROR

Services, domains and stores raise these; `engine.http.errors` alone turns a code into a status.
"""

from __future__ import annotations

from typing import Any

from ..contract import ErrorCode


class EngineError(Exception):
    code: str = ErrorCode.INTERNAL_ERROR

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        details: dict[str, Any] | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details
        self.headers = headers
        if code is not None:
            self.code = code  # narrower than the class's (e.g. TOKEN_EXPIRED); the status stays the class's


class Invalid(EngineError):
    code = ErrorCode.VALIDATION_ERROR


class Unauthenticated(EngineError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(EngineError):
    code = ErrorCode.FORBIDDEN


class NotFound(EngineError):
    code = ErrorCode.NOT_FOUND


class Conflict(EngineError):
    code = ErrorCode.CONFLICT


class TooLarge(EngineError):
    code = ErrorCode.PAYLOAD_TOO_LARGE


class Unsupported(EngineError):
    code = ErrorCode.UNSUPPORTED_MEDIA_TYPE


class RateLimited(EngineError):
    code = ErrorCode.RATE_LIMITED


class UpstreamFailed(EngineError):
    code = ErrorCode.UPSTREAM_ERROR


class Unavailable(EngineError):
    code = ErrorCode.SERVICE_UNAVAILABLE


class Internal(EngineError):
    code = ErrorCode.INTERNAL_ERROR


def not_found(kind: str, resource_id: str) -> NotFound:
    return NotFound(f"{kind} {resource_id!r} not found", details={"id": resource_id})
