"""What the media module's online services share (stock photo sites, image generators).

- One httpx client each, closed by the service only if it made it: a test or a caller may lend one.
- Who we say we are (`user_agent`), and the service's own rate-limit hint (`retry_after`).
- The wording of the failures every service has in common, with the API key never in a message.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Generic, Self, TypeVar

import httpx

from scriptsensei_cli import __version__
from scriptsensei_cli.engine.outbound import ProviderError, redact

PROJECT_URL = "https://pypi.org/project/scriptsensei-cli/"

ErrorT = TypeVar("ErrorT", bound=ProviderError)


def user_agent() -> str:
    """What remote APIs see: who we are and where to read about us (Pexels and Pixabay ask for it)."""
    return f"ScriptSensei-CLI/{__version__} (+{PROJECT_URL})"


def retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from `Retry-After` (seconds or HTTP date) or Pixabay's `X-RateLimit-Reset`."""
    value = response.headers.get("Retry-After") or response.headers.get("X-RateLimit-Reset")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    date = response.headers.get("Date")
    now = parsedate_to_datetime(date) if date else datetime.now(UTC)
    return max((when - now).total_seconds(), 0.0)


class RemoteService(Generic[ErrorT]):
    """An online service reached over HTTP; subclasses set `name`, `label` and `error_type`."""

    name: str
    label: str  # how messages name the service: "Pexels", "The image service at api.example.com"
    error_type: type[ErrorT]  # set on the subclass, like name

    def __init__(
        self, api_key: str | None, *, client: httpx.Client | None, timeout: httpx.Timeout | float
    ) -> None:
        self._api_key = api_key
        self._owns_client = client is None
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _error(self, message: str, status: int | None = None, *, retry_after: float | None = None) -> ErrorT:
        return self.error_type(self.name, message, status, retry_after=retry_after)

    def _rate_limited(self, response: httpx.Response) -> ErrorT:
        wait = retry_after(response)
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
