"""Errors raised by the client.

    ScriptSenseiError
    ├── TransportError               no usable response came back
    │   ├── ConnectError             the server could not be reached (`url` says where we tried)
    │   └── RequestTimeout           the server took longer than the timeout
    ├── APIStatusError               the server answered with a non-2xx status
    │   ├── BadRequestError          400: invalid input (`field` names it)
    │   ├── AuthenticationError      401: no token, a bad one, or an expired one
    │   ├── PermissionDeniedError    403
    │   ├── NotFoundError            404: unknown id, or someone else's
    │   ├── ConflictError            409
    │   ├── PayloadTooLargeError     413
    │   ├── UnsupportedMediaError    415
    │   ├── RateLimitError           429 (`retry_after` in seconds when the server said)
    │   └── ServerError              5xx
    ├── ResponseFormatError          a 2xx body that does not match the contract
    └── LoginRequiredError           no credentials are stored for this server

Every `APIStatusError` carries the status, the error code, the message, the field and the request
id from the server's error body (DESIGN.md §2), so a caller can act on it without parsing text.
"""

from __future__ import annotations

from typing import Any


class ScriptSenseiError(Exception):
    """Base of every error the client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransportError(ScriptSenseiError):
    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


class ConnectError(TransportError):
    pass


class RequestTimeout(TransportError):
    pass


class APIStatusError(ScriptSenseiError):
    status_code: int = 0

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str,
        field: str | None = None,
        details: dict[str, Any] | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.field = field
        self.details = details
        self.request_id = request_id
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class PayloadTooLargeError(APIStatusError):
    pass


class UnsupportedMediaError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class ServerError(APIStatusError):
    pass


class ResponseFormatError(ScriptSenseiError):
    pass


class LoginRequiredError(ScriptSenseiError):
    def __init__(self, message: str, *, api_url: str) -> None:
        super().__init__(message)
        self.api_url = api_url


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaError,
    422: BadRequestError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, APIStatusError)
