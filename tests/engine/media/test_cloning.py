"""ElevenLabs voice cloning, tested only at the HTTP boundary: an httpx.MockTransport stands in for
api.elevenlabs.io, which cannot be reached from here (and would need a paid key)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.media.cloning import CloningProviderError, ElevenLabsCloning, cloning_provider

KEY = "sk_test_0123456789abcdef"


def provider(handler) -> ElevenLabsCloning:  # type: ignore[no-untyped-def]
    return ElevenLabsCloning(KEY, client=httpx.Client(transport=httpx.MockTransport(handler)))


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "me.wav"
    path.write_bytes(b"RIFF0000WAVEfmt " + b"\0" * 64)
    return path


def test_clone_sends_the_sample_and_returns_the_voice_id(sample: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"voice_id": "c38kUX8pkfYO2kHyqfFy", "requires_verification": False})

    assert provider(handler).clone("My voice", sample, "calm narrator") == "c38kUX8pkfYO2kHyqfFy"
    request = seen[0]
    assert str(request.url) == "https://api.elevenlabs.io/v1/voices/add"
    assert request.headers["xi-api-key"] == KEY and request.headers["user-agent"].startswith("ScriptSensei")
    body = request.read()
    assert b'name="name"' in body and b"My voice" in body and b'name="files"; filename="me.wav"' in body
    assert b"calm narrator" in body and sample.read_bytes() in body


@pytest.mark.parametrize(
    ("response", "needle"),
    [
        (
            httpx.Response(401, json={"detail": {"status": "invalid_api_key"}}),
            "SCRIPTSENSEI_ELEVENLABS_API_KEY",
        ),
        (httpx.Response(402, json={"detail": {"message": "quota exceeded"}}), "out of credit"),
        (httpx.Response(429, json={"detail": "too many"}), "rate limiting"),
        (
            httpx.Response(422, json={"detail": {"message": "audio too noisy"}}),
            "refused the sample: audio too noisy",
        ),
        (httpx.Response(503, text="upstream down"), "try again later"),
        # A service that echoes the key, whole or cut short by our 300-character limit.
        (httpx.Response(422, json={"detail": {"message": f"bad key {KEY} for this"}}), "bad key *** for"),
        (httpx.Response(422, json={"detail": {"message": "x" * 290 + KEY}}), "refused the sample: xxx"),
    ],
)
def test_errors_say_which_provider_and_what_to_do(
    sample: Path, response: httpx.Response, needle: str
) -> None:
    with pytest.raises(CloningProviderError) as caught:
        provider(lambda request: response).clone("x", sample, None)
    assert needle in caught.value.message and "ElevenLabs" in caught.value.message
    assert KEY[:8] not in caught.value.message


def test_a_timeout_is_reported_not_raised_raw(sample: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(CloningProviderError, match="did not answer in time"):
        provider(handler).clone("x", sample, None)


def test_an_unconfigured_or_unknown_provider_is_named(tmp_path: Path) -> None:
    with pytest.raises(CloningProviderError, match="set SCRIPTSENSEI_ELEVENLABS_API_KEY"):
        cloning_provider(EngineConfig(data_dir=tmp_path), "elevenlabs")
    with pytest.raises(CloningProviderError, match="unknown cloning provider 'acme'"):
        cloning_provider(EngineConfig(data_dir=tmp_path, elevenlabs_api_key=KEY), "acme")
