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
