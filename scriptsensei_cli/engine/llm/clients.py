"""Wire clients for the three LLM APIs: OpenAI-compatible chat completions, Anthropic Messages,
Gemini generateContent. Each sends one conversation and returns the text (whole or streamed) with
token counts, and turns every failure into a classified `LLMError` that names the provider, says
what to do, and never contains the key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..outbound import USER_AGENT, redact, retry_after
from .errors import Failure, LLMError
from .settings import ProviderSettings

MAX_TOKENS = 2048
TEMPERATURE = 0.8


@dataclass(frozen=True)
class Message:
    role: str  # "user" or "assistant"
    content: str


@dataclass(frozen=True)
class Usage:
    tokens_in: int | None
    tokens_out: int | None


@dataclass(frozen=True)
class Completion:
    text: str
    usage: Usage


def sse_events(response: httpx.Response) -> Iterator[tuple[str, str]]:
    """(event, data) pairs of a server-sent-events body; `event` is "" when the server names none."""
    event, data = "", list[str]()
    for line in response.iter_lines():
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "", []
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
        elif line.startswith("event:"):
            event = line[6:].strip()
    if data:
        yield event, "\n".join(data)


class WireClient:
    """What the three APIs share: the HTTP client, timeouts, and the error classification."""

    def __init__(self, settings: ProviderSettings, *, http: httpx.Client | None = None) -> None:
        self.settings = settings
        self.name = settings.name
        self.model = settings.model or ""
        self._http = http or httpx.Client(timeout=httpx.Timeout(settings.timeout, connect=10))

    def close(self) -> None:
        self._http.close()

    # -- the API-specific parts ---------------------------------------------------------------------

    def _request(self, system: str, messages: list[Message], *, stream: bool) -> httpx.Request:
        raise NotImplementedError

    def _parse(self, body: Any) -> Completion:
        raise NotImplementedError

    def _stream_pieces(self, response: httpx.Response) -> Iterator[str | Usage]:
        """Text deltas, then one `Usage`; raises CUT when the stream ends without its end marker."""
        raise NotImplementedError

    def _models_request(self) -> httpx.Request:
        raise NotImplementedError

    # -- shared -------------------------------------------------------------------------------------

    def complete(self, system: str, messages: list[Message]) -> Completion:
        response = self._send(self._request(system, messages, stream=False))
        return self._parse(self._json(response))

    def stream(self, system: str, messages: list[Message]) -> Iterator[str | Usage]:
        request = self._request(system, messages, stream=True)
        try:
            response = self._http.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from None
        try:
            if response.is_error:
                response.read()
                raise self._status_error(response)
            if "html" in response.headers.get("content-type", ""):
                raise self._html_error()
            try:
                yield from self._stream_pieces(response)
            except httpx.HTTPError as exc:  # the connection dropped mid-stream
                raise self.error(Failure.CUT, f"the stream broke off ({type(exc).__name__})") from None
        finally:
            response.close()

    def check(self) -> None:
        """Raise the classified error if the provider cannot be reached or refuses the key."""
        self._send(self._models_request())

    def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._http.send(request)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from None
        if response.is_error:
            raise self._status_error(response)
        return response

    def _json(self, response: httpx.Response) -> Any:
        if "html" in response.headers.get("content-type", ""):
            raise self._html_error()
        try:
            return response.json()
        except ValueError:
            raise self.error(Failure.MALFORMED, "answered with something that is not JSON") from None

    def error(
        self, failure: Failure, message: str, status: int | None = None, retry_after: float | None = None
    ) -> LLMError:
        message = redact(message, self.settings.api_key)
        return LLMError(self.name, failure, message, status, retry_after=retry_after)

    def _html_error(self) -> LLMError:
        return self.error(
            Failure.BAD_BASE_URL,
            f"answered with a web page, not the API: check {self._env('BASE_URL')} "
            f"({self.settings.base_url})",
        )

    def _env(self, suffix: str) -> str:
        return f"SCRIPTSENSEI_{self.name.upper()}_{suffix}"

    def _transport_error(self, exc: httpx.HTTPError) -> LLMError:
        host = urlsplit(self.settings.base_url).netloc
        if isinstance(exc, httpx.TimeoutException):
            return self.error(Failure.TIMEOUT, f"no answer from {host} within {self.settings.timeout:g} s")
        return self.error(
            Failure.UNREACHABLE,
            f"cannot reach {host} ({type(exc).__name__}): check {self._env('BASE_URL')} and the network",
        )

    def _status_error(self, response: httpx.Response) -> LLMError:
        status = response.status_code
        detail, code = _error_detail(response)
        detail = redact(detail, self.settings.api_key)  # before it goes mid-message: it may end in a cut key
        lowered = f"{detail} {code}".lower()
        if status in (401, 403) or "api key not valid" in lowered or "api_key_invalid" in lowered:
            return self.error(
                Failure.BAD_KEY,
                f"the API key was rejected (HTTP {status}): check {self._env('API_KEY')}",
                status,
            )
        if status == 402 or any(w in lowered for w in ("insufficient_quota", "billing", "credit balance")):
            return self.error(
                Failure.OUT_OF_CREDIT,
                f"the account is out of credit ({detail}): top it up, or use another provider",
                status,
            )
        if status == 429:
            return self.error(
                Failure.RATE_LIMITED, f"rate limited ({detail or 'HTTP 429'})", status, retry_after(response)
            )
        if status == 404 and "model" in lowered:
            return self.error(
                Failure.MODEL_NOT_FOUND, f"model {self.model!r} not found: check {self._env('MODEL')}", status
            )
        if status in (404, 405):
            return self.error(
                Failure.BAD_BASE_URL,
                f"nothing answers at {response.request.url.path} (HTTP {status}): "
                f"check {self._env('BASE_URL')}",
                status,
            )
        if any(w in lowered for w in ("content_policy", "content policy", "safety", "content_filter")):
            return self.error(Failure.CONTENT_REFUSED, f"refused the content ({detail})", status)
        if status >= 500:
            return self.error(
                Failure.SERVER_ERROR,
                f"server error (HTTP {status}): {detail}",
                status,
                retry_after(response),
            )
        return self.error(Failure.MALFORMED, f"rejected the request (HTTP {status}): {detail}", status)

    def _post(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Request:
        return self._http.build_request(
            "POST",
            url,
            json=body,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **headers},
        )

    def _get(self, url: str, headers: dict[str, str]) -> httpx.Request:
        return self._http.build_request("GET", url, headers={"User-Agent": USER_AGENT, **headers})

    def _load(self, data: str) -> Any:
        try:
            return json.loads(data)
        except ValueError:
            raise self.error(
                Failure.MALFORMED, f"sent a stream event that is not JSON: {data[:80]!r}"
            ) from None


def _error_detail(response: httpx.Response) -> tuple[str, str]:
    """(message, code) from the three APIs' error bodies, or the start of the text."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return ("an HTML error page" if text.startswith("<") else text[:200]) or response.reason_phrase, ""
    error = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(error, dict):
        message = str(error.get("message") or error.get("status") or error)
        code = " ".join(str(error.get(k) or "") for k in ("code", "type", "status"))
        return message[:300], code
    return str(error)[:300], ""


# -- OpenAI-compatible ----------------------------------------------------------------------------


class OpenAICompatible(WireClient):
    """POST {base}/chat/completions: OpenAI, Ollama, vLLM, llama.cpp, LM Studio, DeepSeek, Groq…"""

    def _headers(self) -> dict[str, str]:
        key = self.settings.api_key
        return {"Authorization": f"Bearer {key}"} if key else {}

    def _request(self, system: str, messages: list[Message], *, stream: bool) -> httpx.Request:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}]
            + [{"role": m.role, "content": m.content} for m in messages],
            "temperature": TEMPERATURE,
            "max_tokens": MAX_TOKENS,
            "stream": stream,
        }
        if stream:
            body["stream_options"] = {"include_usage": True}
        return self._post(f"{self.settings.base_url}/chat/completions", body, self._headers())

    def _parse(self, body: Any) -> Completion:
        try:
            choice = body["choices"][0]
            message = choice["message"]
        except (KeyError, IndexError, TypeError):
            raise self.error(Failure.MALFORMED, "answered without a completion (no choices)") from None
        if message.get("refusal") or choice.get("finish_reason") == "content_filter":
            raise self.error(
                Failure.CONTENT_REFUSED,
                f"refused to write this: {message.get('refusal') or 'content filter'}",
            )
        usage = body.get("usage") or {}
        return Completion(
            message.get("content") or "", Usage(usage.get("prompt_tokens"), usage.get("completion_tokens"))
        )

    def _stream_pieces(self, response: httpx.Response) -> Iterator[str | Usage]:
        usage, finished = Usage(None, None), False
        for _event, data in sse_events(response):
            if data.strip() == "[DONE]":
                yield usage
                return
            chunk = self._load(data)
            if "error" in chunk:
                raise self.error(Failure.SERVER_ERROR, f"error in the stream: {_error_text(chunk)}")
            if chunk.get("usage"):
                usage = Usage(chunk["usage"].get("prompt_tokens"), chunk["usage"].get("completion_tokens"))
            for choice in chunk.get("choices") or []:
                text = (choice.get("delta") or {}).get("content")
                if text:
                    yield text
                if choice.get("finish_reason") == "content_filter":
                    raise self.error(Failure.CONTENT_REFUSED, "the content filter stopped the answer")
                if choice.get("finish_reason"):
                    finished = True
        if not finished:
            raise self.error(Failure.CUT, "the stream ended before the answer did")
        yield usage

    def _models_request(self) -> httpx.Request:
        return self._get(f"{self.settings.base_url}/models", self._headers())


# -- Anthropic ---------------------------------------------------------------------------------------


class Anthropic(WireClient):
    """POST {base}/v1/messages with `x-api-key` and `anthropic-version`."""

    VERSION = "2023-06-01"

    def _headers(self) -> dict[str, str]:
        return {"x-api-key": self.settings.api_key or "", "anthropic-version": self.VERSION}

    def _request(self, system: str, messages: list[Message], *, stream: bool) -> httpx.Request:
        body = {
            "model": self.model,
            "system": system,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": MAX_TOKENS,
            "temperature": TEMPERATURE,
            "stream": stream,
        }
        return self._post(f"{self.settings.base_url}/v1/messages", body, self._headers())

    def _parse(self, body: Any) -> Completion:
        if not isinstance(body, dict) or "content" not in body:
            raise self.error(Failure.MALFORMED, "answered without a message (no content)")
        if body.get("stop_reason") == "refusal":
            raise self.error(Failure.CONTENT_REFUSED, "refused to write this")
        text = "".join(block.get("text", "") for block in body["content"] if block.get("type") == "text")
        usage = body.get("usage") or {}
        return Completion(text, Usage(usage.get("input_tokens"), usage.get("output_tokens")))

    def _stream_pieces(self, response: httpx.Response) -> Iterator[str | Usage]:
        tokens_in = tokens_out = None
        for event, data in sse_events(response):
            payload = self._load(data)
            kind = event or payload.get("type", "")
            if kind == "message_start":
                tokens_in = ((payload.get("message") or {}).get("usage") or {}).get("input_tokens")
            elif kind == "content_block_delta":
                text = (payload.get("delta") or {}).get("text")
                if text:
                    yield text
            elif kind == "message_delta":
                tokens_out = (payload.get("usage") or {}).get("output_tokens", tokens_out)
                if (payload.get("delta") or {}).get("stop_reason") == "refusal":
                    raise self.error(Failure.CONTENT_REFUSED, "refused to write this")
            elif kind == "message_stop":
                yield Usage(tokens_in, tokens_out)
                return
            elif kind == "error":
                overloaded = "overloaded" in _error_text(payload)
                failure = Failure.SERVER_ERROR if overloaded else Failure.MALFORMED
                raise self.error(failure, f"error in the stream: {_error_text(payload)}")
        raise self.error(Failure.CUT, "the stream ended before the answer did")

    def _models_request(self) -> httpx.Request:
        return self._get(f"{self.settings.base_url}/v1/models", self._headers())


# -- Gemini --------------------------------------------------------------------------------------------


class Gemini(WireClient):
    """POST {base}/v1beta/models/{model}:generateContent (or :streamGenerateContent?alt=sse); the key
    goes in the `x-goog-api-key` header, so it never appears in a URL or a log line."""

    def _headers(self) -> dict[str, str]:
        return {"x-goog-api-key": self.settings.api_key or ""}

    def _request(self, system: str, messages: list[Message], *, stream: bool) -> httpx.Request:
        body = {
            "systemInstruction": {"parts": [{"text": system}]},
            "contents": [
                {"role": "model" if m.role == "assistant" else "user", "parts": [{"text": m.content}]}
                for m in messages
            ],
            "generationConfig": {"temperature": TEMPERATURE, "maxOutputTokens": MAX_TOKENS},
        }
        method = "streamGenerateContent?alt=sse" if stream else "generateContent"
        return self._post(
            f"{self.settings.base_url}/v1beta/models/{self.model}:{method}", body, self._headers()
        )

    def _candidate_text(self, body: Any) -> tuple[str, str | None]:
        if not isinstance(body, dict):
            raise self.error(Failure.MALFORMED, "answered with an unexpected shape")
        blocked = (body.get("promptFeedback") or {}).get("blockReason")
        if blocked:
            raise self.error(Failure.CONTENT_REFUSED, f"blocked the prompt ({blocked})")
        candidates = body.get("candidates") or []
        if not candidates:
            return "", None
        candidate = candidates[0]
        reason = candidate.get("finishReason")
        if reason in ("SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "RECITATION"):
            raise self.error(Failure.CONTENT_REFUSED, f"stopped the answer ({reason})")
        parts = (candidate.get("content") or {}).get("parts") or []
        return "".join(part.get("text", "") for part in parts), reason

    def _usage(self, body: Any) -> Usage:
        meta = body.get("usageMetadata") or {}
        return Usage(meta.get("promptTokenCount"), meta.get("candidatesTokenCount"))

    def _parse(self, body: Any) -> Completion:
        text, _ = self._candidate_text(body)
        return Completion(text, self._usage(body))

    def _stream_pieces(self, response: httpx.Response) -> Iterator[str | Usage]:
        usage, finished = Usage(None, None), False
        for _event, data in sse_events(response):
            chunk = self._load(data)
            if "error" in chunk:
                raise self.error(Failure.SERVER_ERROR, f"error in the stream: {_error_text(chunk)}")
            text, reason = self._candidate_text(chunk)
            if text:
                yield text
            if chunk.get("usageMetadata"):
                usage = self._usage(chunk)
            finished = finished or reason is not None
        if not finished:
            raise self.error(Failure.CUT, "the stream ended before the answer did")
        yield usage

    def _models_request(self) -> httpx.Request:
        return self._get(f"{self.settings.base_url}/v1beta/models", self._headers())


def _error_text(payload: Any) -> str:
    error = payload.get("error", payload) if isinstance(payload, dict) else payload
    if isinstance(error, dict):
        return str(error.get("message") or error.get("type") or error)[:300]
    return str(error)[:300]


CLIENTS: dict[str, type[WireClient]] = {"openai": OpenAICompatible, "anthropic": Anthropic, "gemini": Gemini}


def client_for(settings: ProviderSettings, *, http: httpx.Client | None = None) -> WireClient:
    return CLIENTS[settings.kind](settings, http=http)
