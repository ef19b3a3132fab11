"""What every third-party service client (stock media, image generation, voice cloning) raises."""

from __future__ import annotations


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
