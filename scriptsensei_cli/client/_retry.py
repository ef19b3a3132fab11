"""When to retry a request, and how long to wait first: the whole policy in one place."""

from __future__ import annotations

import random

from ..common.http_headers import retry_after_seconds
from ._config import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def is_replayable(method: str, has_idempotency_key: bool) -> bool:
    """GETs may always be replayed; a POST only when its idempotency key makes a repeat harmless."""
    return method in {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"} or has_idempotency_key


def server_delay(header: str | None) -> float | None:
    """The server's `Retry-After` in seconds, at most `MAX_RETRY_AFTER`; None when it named none."""
    return retry_after_seconds(header, cap=MAX_RETRY_AFTER)


def backoff_delay(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter for `attempt` (0-based); the server's `Retry-After` wins."""
    if retry_after is not None:
        return retry_after
    ceiling = min(INITIAL_RETRY_DELAY * (2**attempt), MAX_RETRY_DELAY)
    return float(ceiling * (0.5 + random.random() / 2))
