"""`ss server start|status`: a real server process, its first user, and the loopback rule."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import CLI


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(isolated_env) -> Iterator[str]:  # type: ignore[no-untyped-def]
    port = free_port()
    env = {
        **os.environ,
        "SCRIPTSENSEI_ADMIN_EMAIL": "admin@example.com",
        "SCRIPTSENSEI_ADMIN_PASSWORD": "admin-password-1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scriptsensei_cli",
            "server",
            "start",
            "--port",
            str(port),
            "--data-dir",
            str(isolated_env / "server"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/health").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"the server did not start: {process.communicate()[1]}")
    yield url
    process.terminate()
    _, stderr = process.communicate(timeout=20)
    assert process.returncode in (0, -15), stderr  # uvicorn re-raises SIGTERM after a clean shutdown
    assert "Shutting down" in stderr
    assert "created the first user admin@example.com" in stderr and url in stderr


def test_first_user_logs_in_and_works(server: str) -> None:
    cli = CLI({"SCRIPTSENSEI_API_URL": server})
    login = cli(
        "auth", "login", "--email", "admin@example.com", "--password-stdin", input="admin-password-1\n"
    )
    assert login.exit_code == 0, login.stderr
    status = json.loads(cli("server", "status", "--json").stdout)
    assert status["api_url"] == server and status["status"] == "ok"
    assert cli("script", "generate", "Container gardening", "--json").exit_code == 0
    assert json.loads(cli("auth", "status", "--json").stdout)["user"] == "admin@example.com"


def test_non_loopback_bind_needs_a_flag(cli: CLI) -> None:
    result = cli("server", "start", "--host", "0.0.0.0")
    assert result.exit_code == 2 and "--allow-remote" in result.stderr


def test_status_of_an_unreachable_server(cli: CLI) -> None:
    result = cli(
        "server",
        "status",
        env={"SCRIPTSENSEI_API_URL": "http://127.0.0.1:9", "SCRIPTSENSEI_MAX_RETRIES": "0"},
    )
    assert result.exit_code == 1 and "http://127.0.0.1:9" in result.stderr


def test_cors_allows_the_configured_origins_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A real preflight, for the API and for Socket.IO: the named origin is echoed (with credentials,
    as browsers require: never '*'); another origin gets no CORS headers, and none are named by default."""
    import httpx

    from scriptsensei_cli.engine.config import EngineConfig
    from scriptsensei_cli.engine.server import EngineServer

    allowed, refused = "https://studio.example.com", "https://evil.example.net"

    def preflight(url: str, origin: str) -> httpx.Response:
        return httpx.options(
            f"{url}/api/v1/auth/me",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )

    def polling(url: str, origin: str) -> httpx.Response:
        return httpx.get(f"{url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})

    config = EngineConfig(data_dir=tmp_path / "cors", cors_origins=(allowed,))
    with EngineServer(config) as server:
        ok = preflight(server.url, allowed)
        assert ok.status_code == 200, ok.text
        assert ok.headers["access-control-allow-origin"] == allowed
        assert ok.headers["access-control-allow-credentials"] == "true"
        assert "authorization" in ok.headers["access-control-allow-headers"].lower()
        assert "GET" in ok.headers["access-control-allow-methods"]
        simple = httpx.get(f"{server.url}/api/v1/health", headers={"Origin": allowed})
        assert simple.headers["access-control-allow-origin"] == allowed
        no = preflight(server.url, refused)
        assert no.status_code >= 400 and "access-control-allow-origin" not in no.headers
        sio_ok = polling(server.url, allowed)
        assert sio_ok.status_code == 200 and sio_ok.headers["access-control-allow-origin"] == allowed
        assert sio_ok.headers["access-control-allow-credentials"] == "true"
        sio_no = polling(server.url, refused)
        assert sio_no.status_code == 400 and "access-control-allow-origin" not in sio_no.headers
    with EngineServer(EngineConfig(data_dir=tmp_path / "default")) as server:
        assert "access-control-allow-origin" not in preflight(server.url, allowed).headers
        assert "access-control-allow-origin" not in polling(server.url, allowed).headers


def test_cors_origins_come_from_the_environment(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from scriptsensei_cli.engine.config import EngineConfig

    monkeypatch.setenv("SCRIPTSENSEI_CORS_ORIGINS", " https://a.example/ , http://localhost:5173,")
    assert EngineConfig.from_env(tmp_path).cors_origins == ("https://a.example", "http://localhost:5173")
