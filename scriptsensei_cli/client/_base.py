"""The HTTP layer: auth header, one refresh on 401, retries, idempotency keys, error mapping."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from ..common.atomic import atomic_write
from ..common.http_headers import USER_AGENT
from ._config import (
    API_PREFIX,
    DEFAULT_MAX_RETRIES,
    IDEMPOTENCY_HEADER,
    REQUEST_ID_HEADER,
    Timeouts,
)
from ._errors import (
    APIStatusError,
    ConnectError,
    RequestTimeout,
    ResponseFormatError,
    TransportError,
    status_error_class,
)
from ._retry import RETRYABLE_STATUSES, backoff_delay, is_replayable, server_delay

logger = logging.getLogger("scriptsensei.http")

ModelT = TypeVar("ModelT", bound=BaseModel)
TokenRefresher = Callable[[httpx.Client, str], tuple[str, str | None]]
TokensChanged = Callable[[str, str | None], None]


class Credentials:
    """The bearer token and, for login sessions, the refresh token that renews it."""

    def __init__(
        self,
        access_token: str | None,
        refresh_token: str | None = None,
        on_change: TokensChanged | None = None,
    ) -> None:
        self.access_token = access_token
        self.refresh_token = refresh_token
        self._on_change = on_change

    def update(self, access_token: str, refresh_token: str | None) -> None:
        self.access_token = access_token
        if refresh_token is not None:
            self.refresh_token = refresh_token
        if self._on_change is not None:
            self._on_change(access_token, self.refresh_token)


class StreamedBody(Protocol):
    """A request body sent in chunks, with its length known up front (see `_multipart`)."""

    @property
    def content_type(self) -> str: ...

    @property
    def length(self) -> int: ...

    def chunks(self) -> Iterator[bytes]: ...


class HTTPClient:
    """A synchronous httpx client that speaks the ScriptSensei API conventions.

    http = HTTPClient("http://127.0.0.1:8765", credentials=Credentials("…"))
    body = http.request_json("GET", "/scripts", params={"page": 1})
    """

    def __init__(
        self,
        base_url: str,
        *,
        credentials: Credentials | None = None,
        timeouts: Timeouts | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        timeouts = timeouts or Timeouts()
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials or Credentials(None)
        self.max_retries = max_retries
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=transport,
            # Plain-HTTP servers (the embedded engine on loopback) need no CA bundle; loading one
            # costs ~100 ms of start-up. Redirects are not followed, so this never downgrades https.
            verify=self.base_url.startswith("https://"),
            event_hooks={"request": [_log_request], "response": [_log_response]},
        )

    def close(self) -> None:
        self._http.close()

    # -- requests ---------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        authenticated: bool = True,
        body: StreamedBody | None = None,
        read_timeout: float | None = None,
    ) -> httpx.Response:
        """Send a request, retrying where the policy allows; raise the mapped error on failure.

        `body` streams a request body (an upload) instead of JSON; each attempt streams it afresh.
        `read_timeout` overrides the client's for a request known to take long (a large import).
        """
        timeout = (
            httpx.Timeout(read_timeout, connect=self._http.timeout.connect)
            if read_timeout is not None
            else httpx.USE_CLIENT_DEFAULT
        )
        headers = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else {}
        if body is not None:
            headers.update({"Content-Type": body.content_type, "Content-Length": str(body.length)})
        replayable = is_replayable(method, idempotency_key is not None)
        refreshed = False
        attempt = 0
        while True:
            if authenticated and self.credentials.access_token:
                headers["Authorization"] = f"Bearer {self.credentials.access_token}"
            try:
                response = self._http.request(
                    method,
                    path,
                    json=json_body,
                    content=body.chunks() if body is not None else None,
                    params=_clean_params(params),
                    headers=headers,
                    timeout=timeout,
                )
            except httpx.TransportError as exc:
                if replayable and attempt < self.max_retries:
                    delay = backoff_delay(attempt)
                    logger.info("retrying %s %s in %.2fs after %s", method, path, delay, type(exc).__name__)
                    self._sleep(delay)
                    attempt += 1
                    continue
                raise _transport_error(exc, self.base_url) from exc

            if response.status_code == 401 and authenticated and not refreshed and self._try_refresh():
                refreshed = True
                continue
            if (
                response.status_code in RETRYABLE_STATUSES
                and replayable
                and attempt < self.max_retries
                and not _upstream_failure(response)
            ):
                delay = backoff_delay(attempt, server_delay(response.headers.get("Retry-After")))
                logger.info(
                    "retrying %s %s in %.2fs after HTTP %d", method, path, delay, response.status_code
                )
                self._sleep(delay)
                attempt += 1
                continue
            if response.is_error:
                raise api_error(response)
            return response

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        return unwrap_envelope(_decode_json(response))

    def request_model(self, model: type[ModelT], method: str, path: str, **kwargs: Any) -> ModelT:
        return parse_model(model, self.request_json(method, path, **kwargs))

    @contextmanager
    def stream_lines(self, method: str, path: str, *, json_body: Any = None) -> Iterator[Iterator[str]]:
        """Stream a response line by line (NDJSON); errors before the first byte are mapped as usual.

        A stream is never replayed: text already shown cannot be taken back.
        """
        with self._stream(method, path, json_body=json_body) as response:
            yield _lines(response, self.base_url)

    @contextmanager
    def stream_bytes(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json_body: Any = None
    ) -> Iterator[tuple[int | None, Iterator[bytes]]]:
        """Stream a binary response: (Content-Length or None, chunks)."""
        with self._stream(method, path, params=params, json_body=json_body) as response:
            length = response.headers.get("content-length")
            yield (int(length) if length and length.isdigit() else None), _bytes(response, self.base_url)

    def download_to(
        self,
        method: str,
        path: str,
        destination: Path,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        on_bytes: Callable[[int, int | None], None] | None = None,
    ) -> Path:
        """Stream a response body into `destination` through a temporary file renamed into place
        when complete: an interrupted download never leaves a partial file at the final path."""
        with (
            self.stream_bytes(method, path, params=params, json_body=json_body) as (total, chunks),
            atomic_write(destination, "wb") as out,
        ):
            received = 0
            for chunk in chunks:
                out.write(chunk)
                received += len(chunk)
                if on_bytes is not None:
                    on_bytes(received, total)
        return destination

    @contextmanager
    def _stream(
        self, method: str, path: str, *, json_body: Any = None, params: Mapping[str, Any] | None = None
    ) -> Iterator[httpx.Response]:
        for refreshed in (False, True):
            headers = {}
            if self.credentials.access_token:
                headers["Authorization"] = f"Bearer {self.credentials.access_token}"
            try:
                with self._http.stream(
                    method, path, json=json_body, params=_clean_params(params), headers=headers
                ) as response:
                    if response.status_code == 401 and not refreshed and self._try_refresh():
                        continue
                    if response.is_error:
                        response.read()
                        raise api_error(response)
                    yield response
                    return
            except httpx.TransportError as exc:
                raise _transport_error(exc, self.base_url) from exc

    # -- auth -------------------------------------------------------------------------------------

    def _try_refresh(self) -> bool:
        refresh_token = self.credentials.refresh_token
        if not refresh_token:
            return False
        try:
            response = self._http.post("/auth/refresh", json={"refresh_token": refresh_token})
        except httpx.TransportError as exc:
            raise _transport_error(exc, self.base_url) from exc
        if response.is_error:
            logger.info("token refresh refused: HTTP %d", response.status_code)
            return False
        body = unwrap_envelope(_decode_json(response))
        if not isinstance(body, dict) or "access_token" not in body:
            raise ResponseFormatError("the refresh response carries no access token")
        self.credentials.update(str(body["access_token"]), body.get("refresh_token"))
        return True


def new_idempotency_key() -> str:
    return f"ss-{uuid.uuid4().hex}"


def _upstream_failure(response: httpx.Response) -> bool:
    """A third-party service failed after the server's own retries: retrying here would only
    multiply them (error code UPSTREAM_ERROR)."""
    if response.status_code != 502:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("error") == "UPSTREAM_ERROR"


def unwrap_envelope(body: Any) -> Any:
    """Accept the original services' `{"success": true, "data": …}` envelope as well as bare bodies."""
    if isinstance(body, dict) and "success" in body and ("data" in body or body.get("success") is False):
        if body.get("success") is False:
            raise ResponseFormatError(str(body.get("message") or body.get("error") or "request failed"))
        return body.get("data")
    return body


def parse_model(model: type[ModelT], body: Any) -> ModelT:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise ResponseFormatError(f"the server's response is not a valid {model.__name__}: {exc}") from exc


def api_error(response: httpx.Response) -> APIStatusError:
    """Map an error response to its exception, tolerating the original services' error shapes."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("data"), dict) and "success" in body:
        body = {**body["data"], **{k: v for k, v in body.items() if k != "data"}}
    body = body if isinstance(body, dict) else {}
    detail = body.get("detail")
    message = body.get("message") or (detail if isinstance(detail, str) else None)
    code = body.get("error") if isinstance(body.get("error"), str) else None
    if message is None and code and " " in code:  # {"error": "a human sentence"}
        message, code = code, None
    status = response.status_code
    return status_error_class(status)(
        message or response.reason_phrase or f"HTTP {status}",
        status_code=status,
        code=code or f"HTTP_{status}",
        field=body.get("field") if isinstance(body.get("field"), str) else None,
        details=body.get("details") if isinstance(body.get("details"), dict) else None,
        request_id=body.get("request_id") or response.headers.get(REQUEST_ID_HEADER),
        retry_after=server_delay(response.headers.get("Retry-After")),
    )


def _decode_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise ResponseFormatError(
            f"expected JSON from {response.request.url}, got {response.headers.get('content-type', '?')}"
        ) from exc


def _lines(response: httpx.Response, base_url: str) -> Iterator[str]:
    try:
        for line in response.iter_lines():
            if line.strip():
                yield line
    except httpx.TransportError as exc:
        raise _transport_error(exc, base_url) from exc


def _bytes(response: httpx.Response, base_url: str) -> Iterator[bytes]:
    try:
        yield from response.iter_bytes(1 << 16)
    except httpx.TransportError as exc:
        raise _transport_error(exc, base_url) from exc


def _transport_error(exc: httpx.TransportError, base_url: str) -> TransportError:
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeout(f"the server at {base_url} did not answer in time", url=base_url)
    if isinstance(exc, httpx.ConnectError):
        return ConnectError(f"cannot reach the ScriptSensei server at {base_url}", url=base_url)
    return TransportError(f"the connection to {base_url} failed: {exc or type(exc).__name__}", url=base_url)


def _clean_params(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if params is None:
        return None
    return {key: value for key, value in params.items() if value is not None}


def _log_request(request: httpx.Request) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        headers = {
            k: ("[redacted]" if k.lower() == "authorization" else v) for k, v in request.headers.items()
        }
        logger.debug("> %s %s %s", request.method, request.url, json.dumps(headers))


def _log_response(response: httpx.Response) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "< %d %s (request id %s)",
            response.status_code,
            response.request.url,
            response.headers.get(REQUEST_ID_HEADER, "-"),
        )
