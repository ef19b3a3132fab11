"""Voice cloning providers: services that clone a timbre from a sample (the built-in method only
matches pitch and pace). One provider today, ElevenLabs' instant voice cloning, used when its key is
configured; the interface is what another provider implements.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import httpx

from ..config import EngineConfig
from ..outbound import TRANSFER_TIMEOUT, USER_AGENT, ProviderError, RemoteService


class CloningProviderError(ProviderError):
    """A cloning service failed or refused."""


class CloningProvider(Protocol):
    name: str

    def clone(self, name: str, sample: Path, description: str | None) -> str:
        """Create a voice from `sample`; return the provider's voice id."""
        ...


class ElevenLabsCloning(RemoteService[CloningProviderError]):
    """POST /v1/voices/add (multipart: name, files, description; `xi-api-key` header)."""

    name = "elevenlabs"
    label = "ElevenLabs"
    error_type = CloningProviderError
    URL = "https://api.elevenlabs.io/v1/voices/add"
    ENV_KEY = "SCRIPTSENSEI_ELEVENLABS_API_KEY"
    _api_key: str  # always set

    def __init__(self, api_key: str, *, client: httpx.Client | None = None) -> None:
        super().__init__(api_key, client=client, timeout=TRANSFER_TIMEOUT, follow_redirects=False)

    def clone(self, name: str, sample: Path, description: str | None) -> str:
        data = {"name": name, **({"description": description} if description else {})}
        try:
            with sample.open("rb") as audio:
                response = self._client.post(
                    self.URL,
                    headers={"xi-api-key": self._api_key, "User-Agent": USER_AGENT},
                    data=data,
                    files={"files": (sample.name, audio, "application/octet-stream")},
                )
        except httpx.TimeoutException as exc:
            raise self._error(f"{self.label} did not answer in time; try again later") from exc
        except httpx.TransportError as exc:
            raise self._error(
                f"{self.label} is unreachable ({type(exc).__name__}); check the network"
            ) from exc
        if response.is_success:
            try:
                voice_id = response.json()["voice_id"]
            except (ValueError, KeyError, TypeError) as exc:
                raise self._error(f"{self.label} sent an unexpected answer") from exc
            return str(voice_id)
        raise self._status_error(response)

    def _status_error(self, response: httpx.Response) -> CloningProviderError:
        status = response.status_code
        detail = self._redact(_detail(response))
        if status == 401:
            message = f"{self.label} rejected the API key: check {self.ENV_KEY}"
        elif status == 402 or "quota" in detail.lower() or "credit" in detail.lower():
            message = (
                f"{self.label} says the account is out of credit or its plan lacks voice cloning: {detail}"
            )
        elif status == 429:
            message = f"{self.label} is rate limiting requests; try again in a minute"
        elif status in (400, 422):
            message = f"{self.label} refused the sample: {detail}"
        elif status >= 500:
            message = f"{self.label} failed (HTTP {status}); try again later"
        else:
            message = f"{self.label} refused the request (HTTP {status}): {detail}"
        return self._error(message, status)


def _detail(response: httpx.Response) -> str:
    """The provider's own explanation, from `{"detail": {"message": …}}` or `{"detail": "…"}`."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200] or response.reason_phrase
    detail = body.get("detail", body) if isinstance(body, dict) else body
    if isinstance(detail, dict):
        detail = detail.get("message") or detail.get("status") or detail
    return str(detail)[:300]


def cloning_provider(
    config: EngineConfig, name: str, *, client: httpx.Client | None = None
) -> CloningProvider:
    """The configured provider called `name`; a clear error when it is unknown or has no key."""
    if name != ElevenLabsCloning.name:
        raise CloningProviderError(name, f"unknown cloning provider {name!r}; providers: elevenlabs")
    if not config.elevenlabs_api_key:
        raise CloningProviderError(
            name, f"elevenlabs is not configured: set {ElevenLabsCloning.ENV_KEY} on the server"
        )
    return ElevenLabsCloning(config.elevenlabs_api_key, client=client)
