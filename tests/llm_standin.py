"""A local stand-in for the LLM APIs we cannot reach from here (OpenAI, Anthropic, Gemini).

It speaks each provider's wire format, whole and streamed (SSE), on loopback, and misbehaves on
request: rate limits with Retry-After, server errors, HTML pages, malformed JSON, empty answers,
streams cut short, slow answers, answers in the wrong language or the wrong format. Only the HTTP
boundary is stood in for; everything of ours runs for real.

    with StandIn() as llm:
        llm.plan("openai", ["429", "ok"])          # first call rate limited, second answers
        env = llm.env("openai", "anthropic")       # SCRIPTSENSEI_* settings pointing here
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SCRIPT_EN = """TITLE: Three habits for better sleep
HOOK: You are not tired because of your bedtime. You are tired because of your mornings.
VISUAL: an alarm clock at dawn
POINT: Get ten minutes of daylight within an hour of waking up, every single day.
VISUAL: a walk in the sun
POINT: Stop caffeine after noon, because it lingers in your body for hours.
VISUAL: a coffee cup pushed away
CTA: Follow for part two, and tell me which habit you will try first.
HASHTAGS: #sleep #health #habits
"""
SCRIPT_ES = """TITLE: Tres hábitos para dormir mejor
HOOK: No estás cansado por la hora de dormir. Estás cansado por tus mañanas.
POINT: Toma diez minutos de luz del día en la primera hora después de despertar.
POINT: Deja el café después del mediodía, porque se queda en tu cuerpo durante horas.
CTA: Sígueme para la segunda parte y dime qué hábito vas a probar primero.
HASHTAGS: #dormir #salud #habitos
"""
KEYS = {
    "openai": "sk-test-openai-0123456789",
    "anthropic": "sk-ant-test-0123456789",
    "gemini": "AIzaTest0123456789",
}


@dataclass
class Seen:
    provider: str
    path: str
    headers: dict[str, str]
    body: Any


class StandIn:
    def __init__(self) -> None:
        self.plans: dict[str, deque[str]] = defaultdict(deque)
        self.seen: list[Seen] = []
        self.chunk_delay = 0.0
        self.slow_seconds = 3.0
        self.answer_seconds = 0.0  # every POST waits this long first: a slow provider that answers
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # model lists: the reachability check
                provider = self.path.strip("/").split("/")[0]
                stand_in.seen.append(Seen(provider, self.path, dict(self.headers), None))
                behaviour = stand_in._next(provider)
                if behaviour == "401":
                    self._json(
                        401,
                        {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}},
                    )
                else:
                    self._json(200, {"data": [{"id": "model-a"}], "models": [{"name": "models/gemini"}]})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                provider = self.path.strip("/").split("/")[0]
                stand_in.seen.append(Seen(provider, self.path, dict(self.headers), body))
                if stand_in.answer_seconds:
                    time.sleep(stand_in.answer_seconds)
                stand_in._respond(self, provider, body)

            def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                self._raw(status, data, "application/json", headers)

            def _raw(
                self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _sse(self, events: Iterator[tuple[str | None, str]], *, complete: bool = True) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for event, data in events:
                    frame = (f"event: {event}\n" if event else "") + f"data: {data}\n\n"
                    self.wfile.write(frame.encode())
                    self.wfile.flush()
                    if stand_in.chunk_delay:
                        time.sleep(stand_in.chunk_delay)
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> StandIn:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def plan(self, provider: str, behaviours: list[str]) -> None:
        """What the next calls to `provider` do, in order; "ok" once the plan runs out."""
        self.plans[provider].extend(behaviours)

    def calls(self, provider: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.provider == provider and seen.body is not None]

    def env(self, *providers: str) -> dict[str, str]:
        """Settings naming these providers, in this order, all pointing at the stand-in."""
        env = {"SCRIPTSENSEI_LLM_PROVIDERS": ",".join(providers)}
        for provider in providers:
            prefix = f"SCRIPTSENSEI_{provider.upper()}"
            env[f"{prefix}_API_KEY"] = KEYS[provider]
            env[f"{prefix}_BASE_URL"] = f"{self.url}/{provider}" + ("/v1" if provider == "openai" else "")
            env[f"{prefix}_MODEL"] = {
                "openai": "gpt-4o-mini",
                "anthropic": "claude-3-5-haiku-latest",
                "gemini": "gemini-2.0-flash",
            }[provider]
        return env

    def _next(self, provider: str) -> str:
        plan = self.plans[provider]
        return plan.popleft() if plan else "ok"

    # -- answers ---------------------------------------------------------------------------------------

    def _respond(self, handler: Any, provider: str, body: Any) -> None:
        behaviour = self._next(provider)
        streaming = bool(body.get("stream")) or "streamGenerateContent" in handler.path
        text = {"es": SCRIPT_ES, "empty": "", "bad_format": "Here are some thoughts about sleep."}.get(
            behaviour, SCRIPT_EN
        )
        if behaviour == "wrong_language":
            text = SCRIPT_EN
        if behaviour == "429":
            handler._json(
                429,
                {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}},
                {"Retry-After": "0"},
            )
        elif behaviour == "500":
            handler._json(500, {"error": {"message": "internal", "type": "server_error"}})
        elif behaviour == "401":
            handler._json(
                401,
                {
                    "error": {
                        "message": f"Incorrect API key provided: {KEYS.get(provider, '')[:8]}…",
                        "type": "authentication_error",
                    }
                },
            )
        elif behaviour == "402":
            handler._json(
                429,
                {
                    "error": {
                        "message": "You exceeded your current quota",
                        "code": "insufficient_quota",
                        "type": "insufficient_quota",
                    }
                },
            )
        elif behaviour == "html":
            handler._raw(200, b"<!doctype html><html><body>Welcome to nginx!</body></html>", "text/html")
        elif behaviour == "malformed":
            handler._raw(200, b'{"choices": [', "application/json")
        elif behaviour == "slow":
            time.sleep(self.slow_seconds)
            handler._json(500, {"error": {"message": "too late"}})
        elif streaming:
            handler._sse(self._events(provider, text, cut=behaviour == "cut"))
        else:
            handler._json(200, self._whole(provider, text))

    @staticmethod
    def _pieces(text: str) -> list[str]:
        return re.findall(r"\S+\s*|\s+", text)

    def _whole(self, provider: str, text: str) -> Any:
        if provider == "anthropic":
            return {
                "type": "message",
                "content": [{"type": "text", "text": text}],
                "stop_reason": "end_turn",
                "usage": {"input_tokens": 120, "output_tokens": 90},
            }
        if provider == "gemini":
            return {
                "candidates": [{"content": {"parts": [{"text": text}]}, "finishReason": "STOP"}],
                "usageMetadata": {"promptTokenCount": 120, "candidatesTokenCount": 90},
            }
        return {
            "choices": [{"message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 120, "completion_tokens": 90},
        }

    def _events(self, provider: str, text: str, *, cut: bool) -> Iterator[tuple[str | None, str]]:
        pieces = self._pieces(text)
        if cut:
            pieces = pieces[: len(pieces) // 2]
        if provider == "anthropic":
            yield (
                "message_start",
                json.dumps({"type": "message_start", "message": {"usage": {"input_tokens": 120}}}),
            )
            for piece in pieces:
                yield (
                    "content_block_delta",
                    json.dumps(
                        {"type": "content_block_delta", "delta": {"type": "text_delta", "text": piece}}
                    ),
                )
            if not cut:
                yield (
                    "message_delta",
                    json.dumps(
                        {
                            "type": "message_delta",
                            "delta": {"stop_reason": "end_turn"},
                            "usage": {"output_tokens": 90},
                        }
                    ),
                )
                yield "message_stop", json.dumps({"type": "message_stop"})
        elif provider == "gemini":
            for index, piece in enumerate(pieces):
                last = index == len(pieces) - 1 and not cut
                chunk: dict[str, Any] = {"candidates": [{"content": {"parts": [{"text": piece}]}}]}
                if last:
                    chunk["candidates"][0]["finishReason"] = "STOP"
                    chunk["usageMetadata"] = {"promptTokenCount": 120, "candidatesTokenCount": 90}
                yield None, json.dumps(chunk)
        else:
            for piece in pieces:
                yield None, json.dumps({"choices": [{"delta": {"content": piece}, "finish_reason": None}]})
            if not cut:
                yield None, json.dumps({"choices": [{"delta": {}, "finish_reason": "stop"}]})
                yield (
                    None,
                    json.dumps({"choices": [], "usage": {"prompt_tokens": 120, "completion_tokens": 90}}),
                )
                yield None, "[DONE]"
