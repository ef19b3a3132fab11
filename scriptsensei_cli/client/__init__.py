"""The ScriptSensei API client: httpx underneath, contract models on top, no CLI concerns."""

from ._base import Credentials, new_idempotency_key
from ._client import ScriptSensei
from ._config import DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_READ_TIMEOUT, Timeouts
from ._errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ConnectError,
    LoginRequiredError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeout,
    ResponseFormatError,
    ScriptSenseiError,
    ServerError,
    TransportError,
    UnsupportedMediaError,
)

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_READ_TIMEOUT",
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConnectError",
    "Credentials",
    "LoginRequiredError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeout",
    "ResponseFormatError",
    "ScriptSensei",
    "ScriptSenseiError",
    "ServerError",
    "Timeouts",
    "TransportError",
    "UnsupportedMediaError",
    "new_idempotency_key",
]
