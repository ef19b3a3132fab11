"""One error format for every failure (DESIGN.md §2): domain errors and the framework's own, as HTTP."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...contract import ErrorBody, ErrorCode
from ..errors import EngineError, Internal, Invalid

logger = logging.getLogger("scriptsensei.engine")
REQUEST_ID_HEADER = "X-Request-ID"

# The one place where a domain error's code becomes an HTTP status.
STATUS_BY_CODE = {
    ErrorCode.VALIDATION_ERROR: 400,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.CONFLICT: 409,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.UPSTREAM_ERROR: 502,
    ErrorCode.SERVICE_UNAVAILABLE: 503,
}
CODE_BY_STATUS = {status: code for code, status in STATUS_BY_CODE.items()}


def status_of(error: EngineError) -> int:
    """The class's code decides (an instance may carry a narrower code, e.g. TOKEN_EXPIRED)."""
    return STATUS_BY_CODE.get(type(error).code, 500)


def request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "")) or uuid.uuid4().hex


def error_response(request: Request, error: EngineError, status: int | None = None) -> JSONResponse:
    body = ErrorBody(
        error=error.code,
        message=error.message,
        details=error.details,
        field=error.field,
        request_id=request_id(request),
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status or status_of(error), headers=error.headers
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(EngineError)
    async def _engine_error(request: Request, exc: EngineError) -> JSONResponse:
        return error_response(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such endpoint: {request.method} {request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        headers = dict(exc.headers) if exc.headers else None
        code = CODE_BY_STATUS.get(exc.status_code, ErrorCode.INTERNAL_ERROR)
        return error_response(request, EngineError(message, code=code, headers=headers), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's raw 422 shape never leaks: the first problem becomes 400 + field, all go in details.
        problems = [_problem(error) for error in exc.errors()]
        first = problems[0] if problems else {"field": None, "message": "invalid request"}
        field = first["field"]
        message = f"{field}: {first['message']}" if field else str(first["message"])
        return error_response(
            request, Invalid(message, field=field, details={"problems": problems} if problems else None)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error in %s %s", request.method, request.url.path)
        message = f"internal error (request id {request_id(request)}); the server log has the details"
        return error_response(request, Internal(message))


def _problem(error: dict[str, Any]) -> dict[str, Any]:
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "header")]
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    return {"field": ".".join(location) or None, "message": message}


class RequestIdMiddleware:
    """Give every request an id (the caller's `X-Request-ID` if sane) and echo it on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", rid.encode("latin-1")))
            await send(message)

        await self.app(scope, receive, send_with_id)
