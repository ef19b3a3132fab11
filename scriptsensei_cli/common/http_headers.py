"""HTTP headers both sides read or write the same way: who we say we are (`USER_AGENT`, sent by the
client to the engine and by the engine to third-party services), and how long a server asked us to
wait (`retry_after_seconds`, from `Retry-After` as seconds or as an HTTP date).
"""

from __future__ import annotations

import math
import time
from datetime import UTC
from email.utils import parsedate_to_datetime

from scriptsensei_cli import __version__

PROJECT_URL = "https://pypi.org/project/scriptsensei-cli/"
# Who we are and where to read about us (Pexels and Pixabay ask API users to say so).
USER_AGENT = f"ScriptSensei-CLI/{__version__} (+{PROJECT_URL})"


def http_date(value: str | None) -> float | None:
    """An HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT") as a Unix time; None when absent or unreadable."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, with no claim about the sender's own zone
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def retry_after_seconds(
    value: str | None, *, now: float | None = None, cap: float | None = None
) -> float | None:
    """Seconds to wait from a `Retry-After` value: a number of seconds, or an HTTP date counted from
    `now` (a Unix time; the clock when None). Never negative, at most `cap` when one is given; None
    when the value is absent or unreadable (a date that cannot be parsed, "soon", nan, infinity)."""
    if not value or not value.strip():
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        when = http_date(value)
        if when is None:
            return None
        seconds = when - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    seconds = max(seconds, 0.0)
    return seconds if cap is None else min(seconds, cap)
