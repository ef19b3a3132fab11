"""When to retry a request, and how long to wait first: the whole policy in one place."""

from __future__ import annotations

import email.utils
import random
import time

from ._config import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def is_replayable(method: str, has_idempotency_key: bool) -> bool:
    """GETs may always be replayed; a POST only when its idempotency key makes a repeat harmless."""
    return method in {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"} or has_idempotency_key


def retry_after_seconds(header: str | None, *, now: float | None = None) -> float | None:
    """Parse `Retry-After` (seconds or an HTTP date); None when absent or unreadable."""
    if not header:
        return None
    header = header.strip()
    try:
        seconds = float(header)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def backoff_delay(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter for `attempt` (0-based); the server's `Retry-After` wins."""
    if retry_after is not None:
        return retry_after
    ceiling = min(INITIAL_RETRY_DELAY * (2**attempt), MAX_RETRY_DELAY)
    return float(ceiling * (0.5 + random.random() / 2))
