"""A provider's error message never carries the key, even when it echoes the key and the message is
cut short through it. Tested at the HTTP boundary: httpx's MockTransport stands in for the LLM API."""

from __future__ import annotations

import httpx
import pytest

from scriptsensei_cli.engine.llm.clients import Message, OpenAICompatible
from scriptsensei_cli.engine.llm.errors import LLMError
from scriptsensei_cli.engine.llm.settings import ProviderSettings

KEY = "sk-proj-77d1c0a94be2f35d6c18"


@pytest.mark.parametrize(
    ("status", "message", "needle"),
    [
        (402, f"insufficient_quota for key {KEY}", "out of credit (insufficient_quota for key ***)"),
        (402, "billing: " + "x" * 280 + KEY, "out of credit (billing: xxx"),  # cut at 300 characters
        (500, f"upstream failed for {KEY}", "server error (HTTP 500): upstream failed for ***"),
    ],
)
def test_an_echoed_key_is_masked_whole_or_cut(status: int, message: str, needle: str) -> None:
    def api(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": {"message": message, "code": "x"}})

    settings = ProviderSettings("openai", "openai", "https://api.example.com", "gpt-test", api_key=KEY)
    client = OpenAICompatible(settings, http=httpx.Client(transport=httpx.MockTransport(api)))
    with pytest.raises(LLMError) as caught:
        client.complete("system", [Message("user", "hello")])
    assert needle in str(caught.value)
    assert KEY[:8] not in str(caught.value)


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("12", 12.0), ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0), ("soon", None), (None, None)],
)
def test_rate_limits_keep_the_providers_retry_after(retry_after: str | None, expected: float | None) -> None:
    headers = {"Date": "Wed, 21 Oct 2015 07:28:00 GMT"}
    if retry_after is not None:
        headers["Retry-After"] = retry_after

    def api(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers=headers, json={"error": {"message": "slow down"}})

    settings = ProviderSettings("openai", "openai", "https://api.example.com", "gpt-test", api_key=KEY)
    client = OpenAICompatible(settings, http=httpx.Client(transport=httpx.MockTransport(api)))
    with pytest.raises(LLMError) as caught:
        client.complete("system", [Message("user", "hello")])
    assert caught.value.retry_after == expected
