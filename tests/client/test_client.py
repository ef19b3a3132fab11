"""Client behaviour: retries, Retry-After, idempotency keys, refresh on 401, error mapping.

Retry tests need a server that misbehaves on cue (503s, 429s, dropped connections), which the real
engine does not do; they run against a scripted HTTP server on loopback, a real socket and real
HTTP. Refresh-on-401 runs against the real engine.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from scriptsensei_cli.client import (
    AuthenticationError,
    BadRequestError,
    ConnectError,
    NotFoundError,
    ScriptSensei,
    ServerError,
)
from scriptsensei_cli.common.http_headers import USER_AGENT, http_date, retry_after_seconds
from scriptsensei_cli.contract import GenerateScriptRequest

OK_HEALTH = (200, {}, {"status": "ok", "version": "test"})


class Scripted:
    def __init__(self) -> None:
        self.replies: list[Any] = []
        self.requests: list[dict[str, Any]] = []


@pytest.fixture
def scripted() -> Iterator[tuple[str, Scripted]]:
    state = Scripted()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            state.requests.append(
                {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
            )
            reply = state.replies.pop(0) if state.replies else OK_HEALTH
            if reply == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            status, headers, payload = reply
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()
    server.server_close()


def client_for(url: str, sleeps: list[float], **kwargs: Any) -> ScriptSensei:
    return ScriptSensei(url, sleep=sleeps.append, **kwargs)


def test_get_retries_503_then_succeeds(scripted: tuple[str, Scripted]) -> None:
    url, state = scripted
    state.replies = [(503, {}, {"error": "SERVICE_UNAVAILABLE", "message": "busy"})] * 2 + [OK_HEALTH]
    sleeps: list[float] = []
    with client_for(url, sleeps) as client:
        assert client.health().status == "ok"
    assert len(state.requests) == 3
    assert len(sleeps) == 2 and 0 < sleeps[0] <= 0.5 and sleeps[1] <= 1.0


def test_retries_give_up_with_server_error(scripted: tuple[str, Scripted]) -> None:
    url, state = scripted
    state.replies = [
        (503, {"X-Request-ID": "rid-1"}, {"error": "SERVICE_UNAVAILABLE", "message": "busy"})
    ] * 5
    with client_for(url, [], max_retries=2) as client, pytest.raises(ServerError) as caught:
        client.health()
    assert len(state.requests) == 3
    assert caught.value.status_code == 503 and caught.value.request_id == "rid-1"


def test_429_honours_retry_after(scripted: tuple[str, Scripted]) -> None:
    url, state = scripted
    state.replies = [
        (429, {"Retry-After": "3"}, {"error": "RATE_LIMITED", "message": "slow down"}),
        OK_HEALTH,
    ]
    sleeps: list[float] = []
    with client_for(url, sleeps) as client:
        client.health()
    assert sleeps == [3.0]
    assert state.requests[0]["headers"]["User-Agent"] == USER_AGENT


def test_a_long_or_unreadable_retry_after_is_capped_or_ignored(scripted: tuple[str, Scripted]) -> None:
    url, state = scripted
    state.replies = [
        (429, {"Retry-After": "86400"}, {"error": "RATE_LIMITED", "message": "slow down"}),
        (503, {"Retry-After": "nan"}, {"error": "X", "message": "busy"}),
        OK_HEALTH,
    ]
    sleeps: list[float] = []
    with client_for(url, sleeps) as client:
        client.health()
    assert sleeps[0] == 60.0, "a day's wait is not worth holding a command for: MAX_RETRY_AFTER"
    assert 0 < sleeps[1] <= 1.0, "unreadable: the client's own backoff"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:28:30 -0000", 30.0),  # a date with no zone of its own is UTC
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # already past
        (None, None),
        ("", None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
        ("Mon, 32 Foo 2015 99:99:99 GMT", None),
    ],
)
def test_retry_after_is_seconds_or_an_http_date(value: str | None, expected: float | None) -> None:
    now = http_date("Wed, 21 Oct 2015 07:28:00 GMT")
    assert retry_after_seconds(value, now=now) == expected
    assert retry_after_seconds("Wed, 21 Oct 2015 09:28:00 GMT", now=now, cap=60.0) == 60.0


def test_dropped_connection_is_retried_for_get(scripted: tuple[str, Scripted]) -> None:
    url, state = scripted
    state.replies = ["drop", OK_HEALTH]
    with client_for(url, []) as client:
        assert client.health().status == "ok"
    assert len(state.requests) == 2


def test_idempotent_post_reuses_its_key_across_retries(scripted: tuple[str, Scripted]) -> None:
    url, state = scripted
    state.replies = [
        "drop",
        (503, {}, {"error": "X", "message": "busy"}),
        (400, {}, {"error": "VALIDATION_ERROR", "message": "bad", "field": "topic"}),
    ]
    request = GenerateScriptRequest(topic="AI in healthcare")
    with client_for(url, []) as client, pytest.raises(BadRequestError) as caught:
        client.scripts.generate(request, idempotency_key="key-123")
    keys = [r["headers"].get("Idempotency-Key") for r in state.requests]
    assert keys == ["key-123"] * 3
    assert caught.value.field == "topic"


def test_post_without_key_is_not_retried(scripted: tuple[str, Scripted]) -> None:
    url, state = scripted
    state.replies = [(503, {}, {"error": "X", "message": "busy"}), OK_HEALTH]
    with client_for(url, []) as client, pytest.raises(ServerError):
        client.scripts.generate(GenerateScriptRequest(topic="AI in healthcare"))
    assert len(state.requests) == 1


def test_success_data_envelope_is_unwrapped(scripted: tuple[str, Scripted]) -> None:
    url, state = scripted
    state.replies = [(200, {}, {"success": True, "data": {"status": "ok", "version": "legacy"}})]
    with client_for(url, []) as client:
        assert client.health().version == "legacy"


def test_legacy_error_shapes_are_mapped(scripted: tuple[str, Scripted]) -> None:
    url, state = scripted
    state.replies = [
        (404, {}, {"detail": "Script not found"}),
        (404, {}, {"success": False, "error": "No such video"}),
    ]
    with client_for(url, []) as client:
        with pytest.raises(NotFoundError, match="Script not found"):
            client.scripts.get("x")
        with pytest.raises(NotFoundError, match="No such video"):
            client.scripts.get("y")


def test_unreachable_server_is_a_connect_error() -> None:
    with ScriptSensei("http://127.0.0.1:9", max_retries=0) as client, pytest.raises(ConnectError) as caught:
        client.health()
    assert caught.value.url == "http://127.0.0.1:9"


def test_expired_access_token_is_refreshed_once_against_the_engine(engine: Any, register: Any) -> None:
    account = register()
    seen: list[tuple[str, str | None]] = []
    with ScriptSensei(
        engine.url,
        token="not.a.valid-jwt",
        refresh_token=account.refresh_token,
        on_tokens_changed=lambda access, refresh: seen.append((access, refresh)),
    ) as client:
        assert client.auth.me().email == account.email
    assert len(seen) == 1 and seen[0][1] != account.refresh_token  # rotated
    # The spent refresh token is refused: a stolen copy is useless after one use.
    with (
        ScriptSensei(engine.url, token="bad.bad.bad", refresh_token=account.refresh_token) as client,
        pytest.raises(AuthenticationError),
    ):
        client.auth.me()
