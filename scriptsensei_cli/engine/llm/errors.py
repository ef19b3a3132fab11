"""LLM failures, classified so that the chain knows what to do and the user knows what to fix."""

from __future__ import annotations

from enum import StrEnum

from ..outbound import ProviderError


class Failure(StrEnum):
    BAD_KEY = "bad_key"
    OUT_OF_CREDIT = "out_of_credit"
    BAD_BASE_URL = "bad_base_url"
    MODEL_NOT_FOUND = "model_not_found"
    CONTENT_REFUSED = "content_refused"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    MALFORMED = "malformed"  # not the wire format, not the script format, wrong language, empty
    CUT = "cut"  # a stream that stopped before the provider said it was done

    @property
    def transient(self) -> bool:
        """Worth retrying the same provider after a pause."""
        return self in (Failure.RATE_LIMITED, Failure.SERVER_ERROR, Failure.TIMEOUT)


class LLMError(ProviderError):
    """One provider's failure: `failure` is the class, `message` what happened and what to do."""

    def __init__(
        self,
        provider: str,
        failure: Failure,
        message: str,
        status: int | None = None,
        *,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(provider, f"{provider}: {message}", status, retry_after=retry_after)
        self.failure = failure


class ChainFailed(Exception):
    """Every provider in the chain failed; the message lists each one's reason."""

    def __init__(self, errors: list[LLMError]) -> None:
        self.errors = errors
        reasons = "; ".join(error.message for error in errors)
        super().__init__(f"every LLM provider failed: {reasons}")
        self.message = str(self)
