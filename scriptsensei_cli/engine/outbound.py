"""Calls to third-party services (LLM APIs, stock media, image generation, voice cloning, the YouTube
Data API, a user's URL to import): what every one of them shares.

- Who we say we are (`USER_AGENT`), and how long we wait by default (`API_TIMEOUT`, `TRANSFER_TIMEOUT`).
- The service's own rate-limit hint (`retry_after`: `Retry-After` in seconds or as an HTTP date).
- `ProviderError`, what a service client raises, and `redact`, which keeps API keys out of its message.
- `RemoteService`, the base of the keyed clients: one httpx client each, closed by the service only if
  it made it (a test or a caller may lend one), and the wording of the failures they have in common.
"""

from __future__ import annotations

from typing import Any, Generic, Self, TypeVar

import httpx

from scriptsensei_cli.common.http_headers import USER_AGENT, http_date, retry_after_seconds

__all__ = [
    "API_TIMEOUT",
    "TRANSFER_TIMEOUT",
    "USER_AGENT",
    "ProviderError",
    "RemoteService",
    "json_object",
    "redact",
    "retry_after",
]

# A JSON API call that should answer at once (a search, a listing).
API_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# Moving a media file either way (a stock download, a voice sample upload).
TRANSFER_TIMEOUT = httpx.Timeout(120.0, connect=10.0)


class ProviderError(Exception):
    """A service failed or refused; `message` names it and says what to do. Never holds a key or a
    URL that carries one. `retry_after` is the service's own hint, in seconds, when it gave one."""

    def __init__(
        self, provider: str, message: str, status: int | None = None, *, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.message = message
        self.status = status
        self.retry_after = retry_after


MIN_SECRET_PIECE = 6  # a shorter tail could be any word's ending, and tells little of a key


def redact(text: str, secret: str | None) -> str:
    """`text` with `secret` masked as `***`, also where a service's message (or ours) was shortened
    through it, leaving only its first characters at the end of the text."""
    if not secret:
        return text
    text = text.replace(secret, "***")
    for size in range(min(len(secret) - 1, len(text)), MIN_SECRET_PIECE - 1, -1):
        if text.endswith(secret[:size]):
            return text[:-size] + "***"
    return text


def retry_after(response: httpx.Response, *also: str) -> float | None:
    """Seconds the service asks us to wait: its `Retry-After`, else the first of the headers `also`
    named that it sent (read the same way). An HTTP date counts from the response's own `Date` (the
    service's clock), else from ours. None when it named no wait that can be read."""
    value = next(
        (response.headers[name] for name in ("Retry-After", *also) if response.headers.get(name)), None
    )
    return retry_after_seconds(value, now=http_date(response.headers.get("Date")))


def json_object(response: httpx.Response) -> dict[str, Any] | None:
    """The response's body when it is a JSON object; None for anything else (HTML, a list, garbage)."""
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


ErrorT = TypeVar("ErrorT", bound=ProviderError)


class RemoteService(Generic[ErrorT]):
    """An online service reached over HTTP; subclasses set `name`, `label` and `error_type`."""

    name: str
    label: str  # how messages name the service: "Pexels", "The image service at api.example.com"
    error_type: type[ErrorT]  # set on the subclass, like name
    # Headers read for the wait after a 429 when `Retry-After` is missing (Pixabay: X-RateLimit-Reset).
    wait_headers: tuple[str, ...] = ()

    def __init__(
        self,
        api_key: str | None,
        *,
        client: httpx.Client | None,
        timeout: httpx.Timeout | float,
        follow_redirects: bool = True,
    ) -> None:
        self._api_key = api_key
        self._owns_client = client is None
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=follow_redirects)

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """One API request, as us, for JSON; a timeout or a failed connection raises `_unreachable`,
        never chained to httpx's exception (its request holds the URL, which may hold a key)."""
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        try:
            return self._client.request(method, url, headers=headers, **kwargs)
        except httpx.TimeoutException:
            raise self._unreachable("timed out") from None
        except httpx.TransportError as exc:
            raise self._unreachable(f"connection failed: {type(exc).__name__}") from None

    def _error(self, message: str, status: int | None = None, *, retry_after: float | None = None) -> ErrorT:
        return self.error_type(self.name, message, status, retry_after=retry_after)

    def _rate_limited(self, response: httpx.Response) -> ErrorT:
        wait = retry_after(response, *self.wait_headers)
        when = f"retry after {wait:g} s" if wait is not None else "try again later"
        return self._error(f"{self.label} rate limit reached; {when}", response.status_code, retry_after=wait)

    def _refused(self, response: httpx.Response, detail: str, *, limit: int = 300) -> ErrorT:
        """The service said no; `detail` (its own words) is shortened only after the key is taken out."""
        status = response.status_code
        detail = self._redact(detail)[:limit] or response.reason_phrase
        return self._error(f"{self.label} refused the request (HTTP {status}): {detail}", status)

    def _unreachable(self, detail: str, status: int | None = None) -> ErrorT:
        return self._error(f"{self.label} is unreachable or failing ({detail}); try again later", status)

    def _redact(self, text: str) -> str:
        return redact(text, self._api_key)
